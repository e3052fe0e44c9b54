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
    private TextFiles() {}

    /** The file's text; a {@link UserException} naming the file, the line and the byte when it is not UTF-8, or is a folder. */
    public static String readUtf8(Path file)
            throws IOException
    {
        if (Files.isDirectory(file)) {
            throw new UserException(file + " is a folder, not a file of SQL: move it away");
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
