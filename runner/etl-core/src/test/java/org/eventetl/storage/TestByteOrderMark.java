package org.eventetl.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

final class TestByteOrderMark
{
    private static final byte[] MARKED = "\uFEFF{\"meta\":{}}\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PLAIN = "{\"meta\":{}}\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path folder;

    @Test
    void findsTheMarkInPlainAndGzippedFiles()
            throws IOException
    {
        LocalStorage storage = new LocalStorage();

        assertThat(ByteOrderMark.startsWith(storage, file("a.json", MARKED))).isTrue();
        assertThat(ByteOrderMark.startsWith(storage, file("b.json", PLAIN))).isFalse();
        assertThat(ByteOrderMark.startsWith(storage, file("c.json.gz", gzip(MARKED)))).isTrue();
        assertThat(ByteOrderMark.startsWith(storage, file("d.json.gz", gzip(PLAIN)))).isFalse();
        // the mark's bytes inside a gzip file are not its text
        assertThat(ByteOrderMark.startsWith(storage, file("e.json", gzip(MARKED)))).isFalse();
    }

    @Test
    void shortEmptyAndBrokenFilesHaveNoMark()
            throws IOException
    {
        LocalStorage storage = new LocalStorage();

        assertThat(ByteOrderMark.startsWith(storage, file("a.json", new byte[0]))).isFalse();
        assertThat(ByteOrderMark.startsWith(storage, file("b.json", Arrays.copyOf(MARKED, 2)))).isFalse();
        assertThat(ByteOrderMark.startsWith(storage, file("c.json.gz", "not gzip".getBytes(StandardCharsets.UTF_8)))).isFalse();
        assertThat(ByteOrderMark.startsWith(storage, file("d.json.gz", Arrays.copyOf(gzip(MARKED), 12)))).isFalse();
    }

    @Test
    void aLargeGzipFileIsJudgedByItsStartAlone()
            throws IOException
    {
        byte[] large = new byte[10 * ByteOrderMark.PEEK];
        new Random(7).nextBytes(large);
        System.arraycopy(MARKED, 0, large, 0, MARKED.length);

        assertThat(ByteOrderMark.startsWith(new LocalStorage(), file("a.json.gz", gzip(large)))).isTrue();
    }

    private SourceFile file(String name, byte[] content)
            throws IOException
    {
        Path path = Files.write(folder.resolve(name), content);
        return new SourceFile(Location.local(path), content.length);
    }

    private static byte[] gzip(byte[] content)
            throws IOException
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }
}
