package org.eventetl.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.storage.Location;
import org.eventetl.storage.SourceFile;

import static org.assertj.core.api.Assertions.assertThat;

class TestLongLines
{
    private static final int MIB = 1024 * 1024;
    private static final long LONGER_THAN = LongLines.longerThan(MIB);

    @TempDir
    Path folder;

    @Test
    void longerThanIsTheLimitWithAMarginAndAtLeastOneMebibyte()
    {
        assertThat(LongLines.longerThan(16L * MIB)).isEqualTo(16L * MIB + 16);
        assertThat(LongLines.longerThan(2048)).isEqualTo(MIB);
    }

    /** Lines just under and just over the length, at every kind of place in a file, probed and inflated alike. */
    @Test
    void findsEachLineOverTheLengthAndNoOther()
            throws IOException
    {
        int over = (int) LONGER_THAN + 1;
        // a line over the length at the start, one just under it, one over it after a CR, and one
        // over it that ends the file without a line end
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write(line(3 * MIB, '\n'));
        content.write(line((int) LONGER_THAN, '\n'));
        content.write(smallLines(5_000));
        content.write(line(over, '\r'));
        content.write(smallLines(10));
        long lastFrom = content.size();
        content.write(line(over + 7, (char) 0));
        byte[] bytes = Arrays.copyOf(content.toByteArray(), content.size() - 1);

        assertThat(summary(probed("day.json", bytes))).containsExactly(3L, 3L * MIB, 0L);
        assertThat(summary(inflated("day.json.gz", bytes))).containsExactly(3L, 3L * MIB, 0L);

        // a line end half a mebibyte into the first line: a short line, then a long one after it
        byte[] split = Arrays.copyOf(bytes, bytes.length);
        split[MIB / 2] = '\n';
        long rest = 3L * MIB - MIB / 2 - 1;
        assertThat(summary(probed("split.json", split))).containsExactly(3L, rest, MIB / 2 + 1L);
        assertThat(summary(inflated("split.json.gz", split))).containsExactly(3L, rest, MIB / 2 + 1L);
        // the file's last line, without a line end
        assertThat(summary(inflated("tail.json.gz", Arrays.copyOfRange(bytes, (int) lastFrom, bytes.length)))).containsExactly(1L, over + 7L, 0L);
        assertThat(summary(probed("tail.json", Arrays.copyOfRange(bytes, (int) lastFrom, bytes.length)))).containsExactly(1L, over + 7L, 0L);
    }

    private static List<Long> summary(Optional<LongLines> found)
    {
        return found.map(lines -> List.of((long) lines.lines(), lines.longestBytes(), lines.longestFrom())).orElse(List.of());
    }

    @Test
    void aFileOfShortLinesHasNone()
            throws IOException
    {
        byte[] bytes = smallLines(40_000);
        assertThat(probed("short.json", bytes)).isEmpty();
        assertThat(inflated("short.json.gz", bytes)).isEmpty();
        // a run just under the length, across the probe's blocks, is no long line
        byte[] under = line((int) LONGER_THAN, '\n');
        assertThat(probed("under.json", concat(smallLines(3_000), under, smallLines(3_000)))).isEmpty();
    }

    private Optional<LongLines> probed(String name, byte[] bytes)
            throws IOException
    {
        SourceFile file = file(name, bytes);
        return LongLines.ofPlainFile(file, file.location().toPath(), LONGER_THAN);
    }

    /** What the counter finds in the bytes as gzip inflates them, in chunks of random sizes. */
    private Optional<LongLines> inflated(String name, byte[] bytes)
            throws IOException
    {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(bytes);
        }
        SourceFile file = file(name, compressed.toByteArray());
        List<LongLines> found = GzipCheck.verify(List.of(file), List.of(file), LONGER_THAN);
        LongLines.Counter counter = new LongLines.Counter(file, LONGER_THAN);
        Random random = new Random(7);
        for (int from = 0; from < bytes.length; ) {
            int length = Math.min(bytes.length - from, 1 + random.nextInt(100_000));
            counter.accept(Arrays.copyOfRange(bytes, from, from + length), length);
            from += length;
        }
        assertThat(counter.finish()).as("in chunks of random sizes").isEqualTo(found.stream().findFirst());
        return found.stream().findFirst();
    }

    private SourceFile file(String name, byte[] bytes)
            throws IOException
    {
        Path path = Files.write(folder.resolve(name), bytes);
        return new SourceFile(Location.local(path), bytes.length);
    }

    /** A line of {@code length} bytes and its line end ({@code end}; 0 for none). */
    private static byte[] line(int length, char end)
    {
        byte[] line = new byte[length + 1];
        Arrays.fill(line, (byte) 'x');
        line[length] = (byte) end;
        return line;
    }

    private static byte[] smallLines(int count)
    {
        return "{\"meta\":{\"session_long\":\"d\"},\"params\":{\"cc\":\"gh\"}}\n".repeat(count).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part);
        }
        return out.toByteArray();
    }
}
