package org.eventetl.load;

import java.io.IOException;
import java.util.List;

import org.eventetl.model.UserException;
import org.eventetl.storage.FileReasons;
import org.eventetl.storage.RefusedSourceFileException;
import org.eventetl.storage.SourceFile;
import org.eventetl.storage.Storage;

/** The files of a load's source partition, as the plan names them. */
final class SourcePartition
{
    private SourcePartition() {}

    /** Lists the source partition's files; a missing or empty partition is refused (exit 2). */
    static List<SourceFile> files(Storage storage, LoadRequest request)
    {
        try {
            if (!storage.folderExists(request.sourceFolder())) {
                throw new UserException("source partition " + request.sourceFolder() + " does not exist; check --source and --partition");
            }
            List<SourceFile> files = storage.listFiles(request.sourceFolder());
            if (files.isEmpty()) {
                throw new UserException("source partition " + request.sourceFolder() + " has no data files (names starting with _ or . are ignored)");
            }
            return files;
        }
        catch (IOException e) {
            throw unreadable(request, e);
        }
    }

    /** The refusal of a source folder that cannot be read; a file the load refuses whatever the access says what to do itself. */
    static UserException unreadable(LoadRequest request, IOException failure)
    {
        return new UserException("cannot read source partition " + request.sourceFolder() + ": " + FileReasons.describe(failure)
                + (failure instanceof RefusedSourceFileException ? "" : "; check --source and your access to it"), failure);
    }
}
