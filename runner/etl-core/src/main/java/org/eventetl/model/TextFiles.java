package org.eventetl.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the project's own text files (steps, audits, callbacks, partials) as UTF-8, refusing one
 * that is not by its name and line. Java's own messages ("Input length = 3") name neither, and a
 * partial read by a lenient reader turned a stray byte into U+FFFD inside the rendered SQL, which
 * render showed and only the engine refused.
 */
public final class TextFiles
{
    /**
     * The largest file of SQL or partial read: the project's largest is ~13 KB. The template library
     * appends a template's text line by line to one growing string, so its compile time grows with
     * the square of the size: 20,000 lines took 4 s and 100,000 lines minutes, in every command
     * that reads sql/. A file over this is refused at once instead.
     */
    public static final long MAX_BYTES = 256 * 1024;

    private TextFiles() {}

    /** The file's text; a {@link UserException} naming the file, the line and the byte when it is not UTF-8, or naming it when it is a folder or over {@link #MAX_BYTES}. */
    public static String readUtf8(Path file)
            throws IOException
    {
        if (Files.isDirectory(file)) {
            throw new UserException(file + " is a folder, not a file of SQL: move it away");
        }
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new UserException(String.format("%s: %,d bytes, over the %,d KiB a file of SQL or a partial may hold (the template library would take minutes"
                    + " to compile it); split it, or keep data in a table the SQL reads", file, size, MAX_BYTES / 1024));
        }
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new UserException(String.format("%s:%d: not UTF-8 (the byte 0x%02X at byte %,d of the file); save it as UTF-8", file, line, bytes[offset] & 0xff, offset));
        }
        try {
            CoderResult flushed = decoder.flush(out);
            if (flushed.isError()) {
                flushed.throwException();
            }
        }
        catch (CharacterCodingException e) {
            throw new UserException(file + ": not UTF-8 (it ends inside a character); save it as UTF-8", e);
        }
        return out.flip().toString();
    }
}
