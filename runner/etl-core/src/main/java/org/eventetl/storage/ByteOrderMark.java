package org.eventetl.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Whether a raw file's text starts with the UTF-8 byte-order mark (EF BB BF). Trino's text
 * reader drops the mark (Athena runs Trino's reader); so does DuckDB's line reader, but its JSON
 * reader cannot read the first line past it, so the embedded engine reads that one line apart.
 */
public final class ByteOrderMark
{
    private static final byte[] MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    /** Enough of a gzip file to inflate its first three bytes, whatever its header holds. */
    static final int PEEK = 64 * 1024;

    private ByteOrderMark() {}

    public static boolean startsWith(Storage storage, SourceFile file)
            throws IOException
    {
        return startsWith(storage.readStart(file.location(), PEEK), file.gzip());
    }

    /** A gzip start that cannot be inflated is no mark: the engine reports what is wrong with the file. */
    static boolean startsWith(byte[] start, boolean gzip)
    {
        byte[] text = start;
        if (gzip) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(start))) {
                text = in.readNBytes(MARK.length);
            }
            catch (IOException e) {
                return false;
            }
        }
        return text.length >= MARK.length && text[0] == MARK[0] && text[1] == MARK[1] && text[2] == MARK[2];
    }
}
