package org.eventetl.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.assertj.core.api.AbstractThrowableAssert;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The generator behind {@code etl sample}: what its flags promise. The shares of dirty fields and
 * malformed lines are random draws, one per field or line, so they are checked against the asked
 * ratio within {@value #SIGMAS} standard deviations of a binomial share: a correct generator
 * passes that for any seed but once in more than a million, and a wrong one (a ratio applied
 * twice, or not at all) is off by far more.
 */
final class TestSampleWriter
{
    private static final Partition PARTITION = new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double SIGMAS = 5;

    @TempDir
    Path temporary;

    @Test
    void theSameSeedWritesTheSameBytes()
            throws IOException
    {
        List<byte[]> first = contents(write("first", 5_000, 3, 7, 0.02, 0.001, false));
        List<byte[]> again = contents(write("again", 5_000, 3, 7, 0.02, 0.001, false));
        List<byte[]> otherSeed = contents(write("other", 5_000, 3, 8, 0.02, 0.001, false));

        assertThat(first).hasSize(3).allSatisfy(bytes -> assertThat(bytes).hasSizeGreaterThan(100_000));
        for (int i = 0; i < first.size(); i++) {
            assertThat(again.get(i)).as("file %d", i).isEqualTo(first.get(i));
            assertThat(otherSeed.get(i)).as("file %d of another seed", i).isNotEqualTo(first.get(i));
        }
    }

    @Test
    void writesAsManyNonBlankLinesAsEventsAsked()
            throws IOException
    {
        // malformed lines come with the odd blank line, which is neither an event nor a reject
        List<String> lines = lines(write("events", 10_001, 4, 1, 0.02, 0.05, false));

        assertThat(lines.stream().filter(line -> !line.isBlank())).hasSize(10_001);
        assertThat(lines.stream().filter(String::isBlank)).isNotEmpty();
    }

    @Test
    void makesTheAskedShareOfFieldsDirty()
            throws IOException
    {
        double ratio = 0.1;
        List<JsonNode> events = lines(write("dirty", 20_000, 2, 3, ratio, 0, false)).stream()
                .filter(line -> !line.isBlank())
                .map(TestSampleWriter::parse)
                .toList();

        // four draws an event that tell clean from dirty on their own: the device id, the user type,
        // the language (a string, or null, empty, an object or true) and whether there is a location at all
        int dirty = 0;
        for (JsonNode event : events) {
            dirty += cleanString(event.path("meta").path("session_long")) ? 0 : 1;
            dirty += cleanString(event.path("params").path("extra").path("user_type")) ? 0 : 1;
            dirty += cleanString(event.path("params").path("extra").path("language")) ? 0 : 1;
            dirty += event.path("params").has("long") ? 0 : 1;
        }
        assertShare(dirty, events.size() * 4, ratio);

        List<JsonNode> clean = lines(write("clean", 2_000, 1, 3, 0, 0, false)).stream().map(TestSampleWriter::parse).toList();
        assertThat(clean).allSatisfy(event -> {
            assertThat(cleanString(event.path("meta").path("session_long"))).isTrue();
            assertThat(event.path("params").has("long")).isTrue();
        });
    }

    @Test
    void makesTheAskedShareOfLinesMalformed()
            throws IOException
    {
        double ratio = 0.05;
        List<String> lines = lines(write("malformed", 20_000, 2, 5, 0, ratio, false)).stream().filter(line -> !line.isBlank()).toList();

        long malformed = lines.stream().filter(line -> !isObject(line)).count();

        assertShare(malformed, lines.size(), ratio);
        assertThat(lines(write("wellformed", 2_000, 1, 5, 0.02, 0, false))).allSatisfy(line -> assertThat(isObject(line)).as(line).isTrue());
    }

    @Test
    void gzipWritesTheSameLinesGzipped()
            throws IOException
    {
        Path gzipped = write("gzipped", 3_000, 2, 9, 0.02, 0.001, true);
        Path plain = write("plain", 3_000, 2, 9, 0.02, 0.001, false);

        assertThat(names(gzipped)).containsExactly("part-00000.json.gz", "part-00001.json.gz");
        for (Path file : files(gzipped)) {
            byte[] bytes = Files.readAllBytes(file);
            // the gzip magic number, RFC 1952
            assertThat(bytes[0] & 0xFF).isEqualTo(0x1F);
            assertThat(bytes[1] & 0xFF).isEqualTo(0x8B);
        }
        assertThat(lines(gzipped)).isEqualTo(lines(plain));
    }

    @Test
    void writesTheFilesAskedAndSharesTheEventsOut()
            throws IOException
    {
        Path folder = write("files", 1_000, 3, 1, 0, 0, false);

        assertThat(names(folder)).containsExactly("part-00000.json", "part-00001.json", "part-00002.json");
        // 1,000 events over three files: 334, 333, 333
        assertThat(files(folder)).extracting(file -> read(file).lines().count()).containsExactly(334L, 333L, 333L);
        assertThat(SampleSpec.defaultFiles(0)).isEqualTo(1);
        assertThat(SampleSpec.defaultFiles(200_001)).isEqualTo(2);

        assertThat(folder.resolve(SampleWriter.MARKER)).hasContent("part-00000.json\npart-00001.json\npart-00002.json");

        // a smaller sample into the same folder leaves none of the larger one's parts behind
        new SampleWriter(spec(temporary.resolve("files"), 10, 1, 1, 0, 0, false)).write(bytes -> {});
        assertThat(names(folder)).containsExactly("part-00000.json");
        assertThat(folder.resolve(SampleWriter.MARKER)).hasContent("part-00000.json");
    }

    @Test
    void refusesPartsThatNoSampleNamed()
            throws IOException
    {
        // part-NNNNN.json is also how Spark and Hadoop name their files: without the marker, or beside
        // one that does not name it, such a file is not the sample's to replace
        Path folder = dayFolder("spark");
        Files.writeString(folder.resolve("part-00007.json"), "{\"real\":1}\n");
        assertSampleRefused("spark", 1)
                .hasMessageContaining("already holds part-00007.json, which no sample wrote (no _etl_sample file there names it");
        assertThat(folder.resolve("part-00007.json")).hasContent("{\"real\":1}");
        assertThat(folder.resolve(SampleWriter.MARKER)).doesNotExist();

        Path sampled = write("sampled", 10, 1, 1, 0, 0, false);
        Files.writeString(sampled.resolve("part-00001.json"), "{\"real\":2}\n");
        assertSampleRefused("sampled", 2)
                .hasMessage(sampled + " already holds part-00001.json, which no sample wrote; choose an empty --output");
        assertThat(sampled.resolve("part-00001.json")).hasContent("{\"real\":2}");
        assertThat(names(sampled)).containsExactly("part-00000.json", "part-00001.json");

        // a marker that is a link would be read, and written, through it
        Path elsewhere = Files.writeString(temporary.resolve("elsewhere.txt"), "part-00000.json\n");
        Files.createSymbolicLink(dayFolder("linked").resolve(SampleWriter.MARKER), elsewhere);
        assertSampleRefused("linked", 1)
                .hasMessageContaining("already holds _etl_sample, which no sample wrote (it is not a plain file)");
        assertThat(elsewhere).hasContent("part-00000.json");
    }

    @Test
    void refusesAFolderWithFilesNoSampleWrote()
            throws IOException
    {
        Path folder = dayFolder("taken");
        Files.writeString(folder.resolve("events.json"), "{}\n");

        assertSampleRefused("taken", 1)
                .hasMessageContaining("already holds events.json");
        assertThat(folder.resolve("events.json")).hasContent("{}");
        assertThatThrownBy(() -> spec(temporary, 10, 0, 1, 0, 0, false)).isInstanceOf(UserException.class).hasMessage("--files must be between 1 and 10000, got 0");
        assertThatThrownBy(() -> spec(temporary, 10, 1, 1, 1.5, 0, false)).isInstanceOf(UserException.class).hasMessage("--null-ratio must be between 0 and 1, got 1.5");
    }

    private static void assertShare(long count, long trials, double ratio)
    {
        double tolerance = SIGMAS * Math.sqrt(ratio * (1 - ratio) / trials);
        assertThat((double) count / trials).as("share of %,d", trials).isCloseTo(ratio, within(tolerance));
    }

    /** The partition's folder under the output {@code name}, made empty. */
    private Path dayFolder(String name)
            throws IOException
    {
        return Files.createDirectories(temporary.resolve(name).resolve(PARTITION.sourcePath()));
    }

    /** A sample of 10 events in {@code files} files into the output {@code name}, refused as a user's mistake. */
    private AbstractThrowableAssert<?, ? extends Throwable> assertSampleRefused(String name, int files)
    {
        return assertThatThrownBy(() -> new SampleWriter(spec(temporary.resolve(name), 10, files, 1, 0, 0, false)).write(bytes -> {}))
                .isInstanceOf(UserException.class);
    }

    private Path write(String name, long events, int files, long seed, double nullRatio, double malformedRatio, boolean gzip)
            throws IOException
    {
        SampleSpec spec = spec(temporary.resolve(name), events, files, seed, nullRatio, malformedRatio, gzip);
        long bytes = new SampleWriter(spec).write(written -> {});
        assertThat(bytes).isPositive();
        return spec.partitionFolder();
    }

    private static SampleSpec spec(Path output, long events, int files, long seed, double nullRatio, double malformedRatio, boolean gzip)
    {
        return new SampleSpec(PARTITION, output, events, files, seed, nullRatio, malformedRatio, gzip);
    }

    private static boolean cleanString(JsonNode field)
    {
        return field.isTextual() && !field.asText().isEmpty();
    }

    private static boolean isObject(String line)
    {
        try {
            return JSON.readTree(line).isObject();
        }
        catch (JsonProcessingException e) {
            return false;
        }
    }

    private static JsonNode parse(String line)
    {
        try {
            return JSON.readTree(line);
        }
        catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    /** Every line of every file, in file order, gzip read as such. */
    private static List<String> lines(Path folder)
            throws IOException
    {
        List<String> lines = new ArrayList<>();
        for (Path file : files(folder)) {
            lines.addAll(read(file).lines().toList());
        }
        return lines;
    }

    private static String read(Path file)
    {
        try (InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<byte[]> contents(Path folder)
            throws IOException
    {
        List<byte[]> contents = new ArrayList<>();
        for (Path file : files(folder)) {
            contents.add(Files.readAllBytes(file));
        }
        return contents;
    }

    private static List<String> names(Path folder)
            throws IOException
    {
        return files(folder).stream().map(file -> file.getFileName().toString()).toList();
    }

    private static List<Path> files(Path folder)
            throws IOException
    {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> !file.getFileName().toString().equals(SampleWriter.MARKER)).sorted().toList();
        }
    }
}
