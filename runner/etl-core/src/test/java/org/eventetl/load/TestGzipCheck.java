package org.eventetl.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.model.LoadFailedException;
import org.eventetl.storage.Location;
import org.eventetl.storage.SourceFile;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the check of gzip source files lets through, on files made here byte by byte. */
class TestGzipCheck
{
    @TempDir
    Path work;

    @Test
    void wholeFilesPass()
            throws IOException
    {
        byte[] first = gzip(lines(1, 20_000));
        byte[] second = gzip(lines(20_001, 20_100));
        assertPasses(file("one.json.gz", first));
        // two members, as a writer that appends, or cat a.gz b.gz, makes
        assertPasses(file("two.json.gz", concat(first, second)));
        assertPasses(file("small.json.gz", gzip("{}\n")));
        // an empty file is no gzip stream, and holds no line: not checked
        assertPasses(file("empty.json.gz", new byte[0]));
        // nor is a file not named .gz
        assertPasses(file("plain.json", "not gzip".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void damagedFilesFailNamed()
            throws IOException
    {
        byte[] first = gzip(lines(1, 20_000));
        byte[] second = gzip(lines(20_001, 20_100));

        byte[] crc = first.clone();
        crc[crc.length - 8] ^= 1;
        assertFails(file("crc.json.gz", crc), "Corrupt GZIP trailer");

        assertFails(file("cut.json.gz", Arrays.copyOf(first, first.length - 12)), "it ends inside a member: cut short");
        // cut inside its header: the JDK's EOFException there has no message (it was said as "(EOFException)")
        assertFails(file("cut-header.json.gz", Arrays.copyOf(first, 5)), "it ends inside a member: cut short");

        byte[] header = concat(first, second);
        header[first.length + 1] ^= 1;
        assertFails(file("header.json.gz", header), "bytes after its last member are no gzip member");

        assertFails(file("garbage.json.gz", concat(first, "trailing garbage, 30 bytes....".getBytes(StandardCharsets.UTF_8))),
                "bytes after its last member are no gzip member");

        assertFails(file("text.json.gz", "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8)), "Not in GZIP format");

        // valid gzip (the JDK reads it), but with a header flag that DuckDB's reader refuses
        byte[] commented = first.clone();
        commented[3] |= 0x01;
        SourceFile flagged = file("text-flag.json.gz", commented);
        assertThatThrownBy(() -> GzipCheck.verify(List.of(flagged), List.of(flagged), LongLines.longerThan(1024)))
                .isInstanceOf(LoadFailedException.class)
                .hasMessageStartingWith(flagged.location() + " is gzip whose header sets FTEXT, FHCRC or FCOMMENT, which DuckDB's reader does not take");
    }

    private void assertPasses(SourceFile file)
    {
        assertThatCode(() -> GzipCheck.verify(List.of(file), List.of(file), LongLines.longerThan(1024))).as(file.location().fileName()).doesNotThrowAnyException();
    }

    private void assertFails(SourceFile file, String problem)
    {
        assertThatThrownBy(() -> GzipCheck.verify(List.of(file), List.of(file), LongLines.longerThan(1024))).as(file.location().fileName())
                .isInstanceOf(LoadFailedException.class)
                .hasMessageStartingWith(file.location() + " is a damaged gzip file (" + problem + ")");
    }

    private SourceFile file(String name, byte[] content)
            throws IOException
    {
        Path path = Files.write(work.resolve(name), content);
        return new SourceFile(Location.local(path), content.length);
    }

    private static String lines(int from, int to)
    {
        StringBuilder text = new StringBuilder();
        for (int n = from; n <= to; n++) {
            text.append("{\"meta\":{\"session_long\":\"d").append(n).append("\"}}\n");
        }
        return text.toString();
    }

    private static byte[] gzip(String text)
            throws IOException
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] first, byte[] second)
    {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
