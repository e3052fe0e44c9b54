package org.eventetl.load;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

import org.eventetl.history.RunRecord;
import org.eventetl.storage.SourceFile;

/**
 * Sums up a day's source files for its run record: a SHA-256 over each file's name and size, in
 * name order. Sizes, not contents: reading a day's bytes again to compare them would cost a load's
 * scan, and a file rewritten with as many bytes as before goes unseen. Names, not paths: the same
 * files under another --source root are the same day.
 */
final class SourceFingerprint
{
    private SourceFingerprint() {}

    static RunRecord.Source of(List<SourceFile> files)
    {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        long bytes = 0;
        for (SourceFile file : files.stream().sorted(Comparator.comparing(file -> file.location().fileName())).toList()) {
            digest.update((file.location().fileName() + "\t" + file.bytes() + "\n").getBytes(StandardCharsets.UTF_8));
            bytes += file.bytes();
        }
        return new RunRecord.Source(files.size(), bytes, HexFormat.of().formatHex(digest.digest(), 0, 16));
    }
}
