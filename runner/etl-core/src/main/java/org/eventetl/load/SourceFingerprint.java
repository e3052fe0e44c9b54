package org.eventetl.load;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import org.eventetl.history.RunRecord;
import org.eventetl.storage.SourceFile;

/**
 * Sums up a day's source files for its run record: a SHA-256 over each file's name and size, in
 * name order, and where the storage versions its files (S3's ETags), another over each name and
 * version. Sizes and versions, not contents: reading a day's bytes again to compare them would cost
 * a load's scan, so on a local disk a file rewritten with as many bytes as before goes unseen.
 * Names, not paths: the same files under another --source root are the same day.
 */
final class SourceFingerprint
{
    private SourceFingerprint() {}

    static RunRecord.Source of(List<SourceFile> files)
    {
        List<SourceFile> byName = files.stream().sorted(Comparator.comparing(file -> file.location().fileName())).toList();
        long bytes = byName.stream().mapToLong(SourceFile::bytes).sum();
        boolean versioned = !byName.isEmpty() && byName.stream().noneMatch(file -> file.version().isEmpty());
        return new RunRecord.Source(files.size(), bytes, digest(byName, file -> String.valueOf(file.bytes())),
                versioned ? digest(byName, SourceFile::version) : null);
    }

    private static String digest(List<SourceFile> byName, Function<SourceFile, String> property)
    {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (SourceFile file : byName) {
            digest.update((file.location().fileName() + "\t" + property.apply(file) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }
}
