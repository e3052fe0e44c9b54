package org.eventetl.plan;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Flyway's checksum: CRC32 over the text's lines, without line endings or a byte-order mark, so
 * that an edit shows while a checkout with other line endings does not.
 */
public final class Checksum
{
    private Checksum() {}

    public static String of(String text)
    {
        CRC32 crc = new CRC32();
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        for (String line : body.split("\r\n|\r|\n", -1)) {
            crc.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return String.format("%08x", crc.getValue());
    }
}
