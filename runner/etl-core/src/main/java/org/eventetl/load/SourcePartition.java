package org.eventetl.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.eventetl.model.UserException;
import org.eventetl.storage.ByteOrderMark;
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
            throw new UserException("cannot list " + request.sourceFolder() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The files, each also checked for a byte-order mark when the engine reads local files only:
     * embedded DuckDB's JSON reader cannot read past one (the other engines' readers drop it). Only
     * a plan needs that, so listings for other purposes skip the reads.
     */
    static List<SourceFile> plannedFiles(Storage storage, LoadRequest request, boolean localEngine)
    {
        List<SourceFile> files = files(storage, request);
        if (!localEngine) {
            return files;
        }
        List<SourceFile> marked = new ArrayList<>();
        for (SourceFile file : files) {
            try {
                marked.add(file.withByteOrderMark(ByteOrderMark.startsWith(storage, file)));
            }
            catch (IOException e) {
                throw new UserException("cannot read the start of " + file.location() + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(marked);
    }
}
