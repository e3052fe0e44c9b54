package org.eventetl.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.eventetl.partition.Partition;

/** Writes hand-made raw files into a source partition folder, laid out as docs/design.md says ("What it does"). */
public final class RawFiles
{
    private RawFiles() {}

    /** {@code <root>/<brand>/<tracker>/<channel>/<yyyy>/<mm>/<dd>}, spelled out here rather than taken from the runner. */
    public static Path folder(Path sourceRoot, Partition partition)
    {
        return sourceRoot.resolve(partition.brand())
                .resolve(partition.tracker())
                .resolve(partition.channel())
                .resolve(String.format("%04d", partition.day().getYear()))
                .resolve(String.format("%02d", partition.day().getMonthValue()))
                .resolve(String.format("%02d", partition.day().getDayOfMonth()));
    }

    /**
     * The data files of a partition folder, sorted: what a load reads, without the files whose names
     * start with _ or . (a sample's _etl_sample marker among them), which it skips.
     */
    public static List<Path> dataFiles(Path sourceRoot, Partition partition)
    {
        try (Stream<Path> files = Files.list(folder(sourceRoot, partition))) {
            return files.filter(file -> !file.getFileName().toString().startsWith("_") && !file.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the lines, each ending in {@code \n}. */
    public static Path write(Path sourceRoot, Partition partition, String fileName, String... lines)
    {
        return writeBytes(sourceRoot, partition, fileName, joined(lines));
    }

    /** Writes the lines, each ending in {@code \n}, gzip-compressed. */
    public static Path writeGzip(Path sourceRoot, Partition partition, String fileName, String... lines)
    {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
            out.write(joined(lines));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return writeBytes(sourceRoot, partition, fileName, compressed.toByteArray());
    }

    /** Writes the text exactly as given (for line endings other than {@code \n}). */
    public static Path writeText(Path sourceRoot, Partition partition, String fileName, String text)
    {
        return writeBytes(sourceRoot, partition, fileName, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the bytes exactly as given (for bytes that are not UTF-8). */
    public static Path writeBytes(Path sourceRoot, Partition partition, String fileName, byte[] content)
    {
        Path file = folder(sourceRoot, partition).resolve(fileName);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The text's UTF-8 bytes, for {@link #writeBytes} among bytes that are not. */
    public static byte[] utf8(String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The parts one after the other. */
    public static byte[] concat(byte[]... parts)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] joined(String... lines)
    {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
