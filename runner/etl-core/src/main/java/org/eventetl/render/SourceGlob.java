package org.eventetl.render;

import java.util.List;
import java.util.Optional;

import org.eventetl.storage.Location;
import org.eventetl.storage.SourceFile;

/**
 * The source files as one glob, {@code <folder>/[!_.]*}, for a day of many files: a list of
 * 100,000 paths is megabytes of SQL that DuckDB parses in every statement that reads them. The glob
 * reads exactly the listed files when the listing is {@link org.eventetl.storage.Storage#listFiles}'s:
 * every file whose name starts with neither {@code _} nor {@code .}, directly in the folder. DuckDB's
 * glob matches files only (a subfolder is not matched, nor descended into) and matches the names
 * starting with {@code .} that {@code *} alone would take; the listing refuses symbolic links and
 * anything but regular files, which the glob would follow. What the glob cannot know is a file that
 * lands after the listing: V2 compares the glob's count with the listing's before it reads.
 */
final class SourceGlob
{
    /** Below this many files the list is short, exact by construction, and costs nothing. */
    static final int FROM_FILES = 1_000;

    private SourceGlob() {}

    static Optional<String> of(Location folder, List<SourceFile> files)
    {
        if (folder.isS3() || files.size() < FROM_FILES) {
            return Optional.empty();
        }
        String prefix = folder.asPrefix();
        for (SourceFile file : files) {
            String path = file.location().uri();
            if (!path.startsWith(prefix) || path.indexOf('/', prefix.length()) >= 0) {
                return Optional.empty();
            }
        }
        return Optional.of(PlanRenderer.literalGlob(prefix) + "[!_.]*");
    }
}
