package org.eventetl.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eventetl.config.Settings;
import org.eventetl.engine.duckdb.DuckDbEngine;
import org.eventetl.engine.duckdb.DuckDbSettings;
import org.eventetl.model.EngineKind;
import org.eventetl.partition.Partition;
import org.eventetl.sample.SampleSpec;
import org.eventetl.sample.SampleWriter;
import org.eventetl.storage.Location;
import org.eventetl.testing.Cli;
import org.eventetl.testing.EventOracle;
import org.eventetl.testing.HostileLines;
import org.eventetl.testing.LoadCounts;
import org.eventetl.testing.Loads;
import org.eventetl.testing.OutputReader;
import org.eventetl.testing.RawFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eventetl.testing.Multisets.assertSameElements;

/**
 * Loads a partition end to end on embedded DuckDB and compares every output with
 * {@link EventOracle}, which reads the same raw files with Jackson.
 */
final class TestLoadEndToEnd
{
    private static final Partition PARTITION = new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9));

    @TempDir
    Path temporary;

    /** Where each test writes its raw files. */
    private Path source()
    {
        return temporary.resolve("source");
    }

    @Test
    void testHandWrittenLines()
            throws IOException
    {
        Path source = source();
        Path output = temporary.resolve("output");
        RawFiles.write(source, PARTITION, "a.json",
                // the ordinary event, every field present
                "{\"meta\":{\"session_long\":\"dev-1\",\"date\":\"2017-08-09T10:15:30Z\",\"event_type\":\"action\"},"
                        + "\"params\":{\"cc\":\"gh\",\"long\":-0.187,\"lat\":5.6037,\"user_id\":\"u1\",\"extra\":{\"user_type\":\"registered\",\"language\":\"en\"}}}",
                // country case and surrounding spaces
                "{\"meta\":{\"session_long\":\"dev-1\",\"date\":\"2017-08-09T11:00:00.250Z\"},\"params\":{\"cc\":\" gh \"}}",
                "{\"meta\":{\"session_long\":\"dev-2\",\"date\":\"2017-08-09T12:00:00+02:00\"},\"params\":{\"cc\":\"Za\",\"long\":28.0473,\"lat\":-26.2041}}",
                "{\"meta\":{\"session_long\":\"dev-3\"},\"params\":{\"cc\":\"GH \",\"long\":5,\"lat\":1.5e1}}",
                // a device in two countries; the offset takes this one into the next UTC day
                "{\"meta\":{\"session_long\":\"dev-1\",\"date\":\"2017-08-09T23:30:00-02:00\"},\"params\":{\"cc\":\"ZA\"}}",
                // wrong types become null
                "{\"meta\":{\"session_long\":\"dev-4\"},\"params\":{\"cc\":\"gh\",\"long\":\"n/a\",\"lat\":true,\"user_id\":42,\"extra\":{\"user_type\":false}}}",
                "{\"meta\":{\"session_long\":\"dev-4\"},\"params\":{\"cc\":\"za\",\"long\":\"12.5\",\"lat\":\"-3\",\"user_id\":\"7\"}}",
                "{\"meta\":{\"session_long\":123,\"date\":\"yesterday\"},\"params\":{\"cc\":233,\"long\":null,\"lat\":[1]}}",
                "{\"meta\":{\"session_long\":{\"id\":1},\"date\":1502272800},\"params\":{\"cc\":[\"gh\"]}}",
                "{\"meta\":\"not an object\",\"params\":{\"cc\":\"za\"}}",
                "{\"meta\":{\"session_long\":\"dev-5\"},\"params\":{\"cc\":\"za\",\"extra\":\"flat\"}}",
                "{\"meta\":{\"session_long\":\"dev-5b\"},\"params\":\"flat\"}",
                // null, empty and missing device ids
                "{\"meta\":{\"session_long\":null},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{\"session_long\":\"\"},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{},\"params\":{\"cc\":\"za\"}}",
                "{\"params\":{\"cc\":\"za\"}}",
                // null, empty, blank and missing countries
                "{\"meta\":{\"session_long\":\"dev-6\"},\"params\":{\"cc\":\"\"}}",
                "{\"meta\":{\"session_long\":\"dev-6\"},\"params\":{\"cc\":\"   \"}}",
                // white space that is not a space: Trino's and Athena's trim drops it, and so must DuckDB
                "{\"meta\":{\"session_long\":\"dev-6t\"},\"params\":{\"cc\":\"\\tgh\\u2003\"}}",
                "{\"meta\":{\"session_long\":\"dev-7\"},\"params\":{\"cc\":null}}",
                "{\"meta\":{\"session_long\":\"dev-7\"},\"params\":{}}",
                "{\"meta\":{\"session_long\":\"dev-8\",\"date\":\"2017-08-09T08:00:00Z\"}}",
                // escapes inside strings
                "{\"meta\":{\"session_long\":\"dev-\\u00e9\\\"q\"},\"params\":{\"cc\":\"\\u0067h\"}}",
                // objects without the fields: events of nulls
                "{}",
                "{\"other\":1}",
                "{\"meta\":null,\"params\":null}",
                // not JSON objects: rejects
                "{\"meta\":{\"session_long\":\"trunc",
                "this is not json",
                "[1,2]",
                "[{\"meta\":{\"session_long\":\"in-array\"},\"params\":{\"cc\":\"gh\"}}]",
                "\"str\"",
                "null",
                "42",
                "{\"meta\":{\"session_long\":\"dev-9\"},\"params\":{\"cc\":\"gh\"}} trailing",
                // blank lines: neither
                "",
                "   ",
                "\t \t",
                " \r",
                "{\"meta\":{\"session_long\":\"dev-10\"},\"params\":{\"cc\":\"za\"}}");
        RawFiles.writeGzip(source, PARTITION, "b.json.gz",
                "{\"meta\":{\"session_long\":\"dev-2\",\"date\":\"2017-08-09T13:00:00Z\"},\"params\":{\"cc\":\"za\",\"long\":18.4241,\"lat\":-33.9249}}",
                "{\"meta\":{\"session_long\":\"gz-1\"},\"params\":{\"cc\":\"gh\"}}",
                "",
                "{broken gzip line",
                "{\"meta\":{\"session_long\":\"gz-2\"},\"params\":{\"cc\":\"za\"}}");
        RawFiles.writeText(source, PARTITION, "c.json",
                "{\"meta\":{\"session_long\":\"crlf-1\"},\"params\":{\"cc\":\"gh\"}}\r\n \r\ncrlf garbage\r\n{\"meta\":{\"session_long\":\"crlf-2\"},\"params\":{\"cc\":\"za\"}}");
        // a file that starts with a byte-order mark: the mark is dropped and its first line is an
        // event, as Trino and Athena read it; a mark starting any other line makes that line a reject
        RawFiles.writeText(source, PARTITION, "d.json", "\uFEFF{\"meta\":{\"session_long\":\"bom-1\",\"date\":\"2017-08-09T09:00:00Z\"},"
                + "\"params\":{\"cc\":\" gh\",\"long\":-0.2,\"lat\":5.6,\"extra\":{\"language\":\"en\"}}}\n"
                + "{\"meta\":{\"session_long\":\"bom-2\"},\"params\":{\"cc\":\"za\"}}\n"
                + "\uFEFF{\"meta\":{\"session_long\":\"bom-3\"},\"params\":{\"cc\":\"za\"}}\n");
        RawFiles.writeGzip(source, PARTITION, "e.json.gz", "\uFEFF{\"meta\":{\"session_long\":\"bom-gz\"},\"params\":{\"cc\":\"za\"}}");
        // hidden files, a subfolder and neighbouring partitions: never read
        String hidden = "{\"meta\":{\"session_long\":\"hidden\"},\"params\":{\"cc\":\"hd\"}}";
        RawFiles.write(source, PARTITION, "_SUCCESS", hidden);
        RawFiles.write(source, PARTITION, ".part.json", hidden);
        RawFiles.write(source, PARTITION, "_temporary.json", hidden, "garbage");
        RawFiles.write(source, PARTITION, "nested/x.json", hidden);
        String leak = "{\"meta\":{\"session_long\":\"leak\"},\"params\":{\"cc\":\"lk\"}}";
        RawFiles.write(source, PARTITION.withDay(LocalDate.of(2017, 8, 10)), "a.json", leak, "leaked garbage");
        RawFiles.write(source, new Partition("olx", "hydra", "android2", LocalDate.of(2017, 8, 9)), "a.json", leak, "leaked garbage");
        RawFiles.write(source, new Partition("olx", "hydra", "androi", LocalDate.of(2017, 8, 9)), "a.json", leak, "leaked garbage");

        EventOracle oracle = EventOracle.of(RawFiles.folder(source, PARTITION));
        // the oracle itself, checked by hand on a few lines
        assertThat(oracle.dau()).containsOnlyKeys("GH", "ZA");
        assertThat(oracle.rejects()).hasSize(11);
        assertThat(oracle.events()).hasSize(27 + 3 + 2 + 2 + 1);
        assertThat(oracle.events()).filteredOn(event -> "dev-1".equals(event.deviceId())).extracting(EventOracle.Event::country)
                .containsExactlyInAnyOrder("GH", "GH", "ZA");

        LoadResult result = Loads.load(PARTITION, source, output, 0.5);

        assertMatchesOracle(result, oracle, output);
        OutputReader outputs = new OutputReader(output, PARTITION);
        assertThat(outputs.events()).extracting(OutputReader.EventRow::deviceId).doesNotContain("hidden", "leak", "in-array");
        assertThat(outputs.rejects()).extracting(EventOracle.Reject::line).doesNotContain("garbage", "leaked garbage");
        assertThat(outputs.rejects()).extracting(EventOracle.Reject::file).anyMatch(file -> file.endsWith("/b.json.gz"));
        assertThat(outputs.eventDetails()).filteredOn(row -> "dev-\u00e9\"q".equals(row.deviceId())).extracting(OutputReader.DetailRow::country)
                .containsExactly("GH");
        assertThat(outputs.rejects()).extracting(EventOracle.Reject::line).contains("\uFEFF{\"meta\":{\"session_long\":\"bom-3\"},\"params\":{\"cc\":\"za\"}}");
        assertThat(outputs.eventDetails()).filteredOn(row -> "bom-1".equals(row.deviceId())).singleElement()
                .satisfies(row -> assertThat(row.country()).isEqualTo("GH"));
        assertThat(outputs.events()).extracting(OutputReader.EventRow::deviceId).contains("bom-gz");
        assertThat(outputs.eventDetails()).filteredOn(row -> "dev-6t".equals(row.deviceId())).extracting(OutputReader.DetailRow::country)
                .containsExactly("GH");
    }

    /**
     * Every kind of bad line among good ones, in one day: each is a reject with its file, line number
     * and reason, the good lines of the same files all load, fields outside their domain are NULL,
     * and the day loads (exit 0) because the rejects stay under the ratio.
     */
    @Test
    void testHostileLinesAmongGoodOnes()
            throws IOException
    {
        Path source = source();
        Path output = temporary.resolve("output");
        List<String> good = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            good.add("{\"meta\":{\"session_long\":\"good-" + i + "\",\"date\":\"2017-08-09T10:00:00Z\"},\"params\":{\"cc\":\"" + (i % 2 == 0 ? "gh" : "za")
                    + "\",\"long\":1.5,\"lat\":2.5}}");
        }
        List<String> lines = new ArrayList<>(good.subList(0, 150));
        lines.addAll(HostileLines.LINES);
        lines.addAll(good.subList(150, 300));
        RawFiles.write(source, PARTITION, "a.json", lines.toArray(String[]::new));
        // bytes that are not UTF-8, each line between good ones; the line reader refuses them, and the
        // good lines after them are numbered as the file has them
        byte[] utf8 = String.join("\n", good.subList(0, 3)).getBytes(StandardCharsets.UTF_8);
        RawFiles.writeBytes(source, PARTITION, "b.json", RawFiles.concat(
                utf8, RawFiles.utf8("\n{\"meta\":{\"session_long\":\"bad"), new byte[] {(byte) 0xFF}, RawFiles.utf8("\"}}\n"),
                RawFiles.utf8(good.get(3) + "\n"), new byte[] {(byte) 0xC0, (byte) 0xAF}, RawFiles.utf8("{}\n"),
                RawFiles.utf8(good.get(4) + "\n{\"s\":\"sur"), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, RawFiles.utf8("\"}\n"),
                RawFiles.utf8("garbage after\n" + good.get(5) + "\n")));
        // a bare CR ends a line as LF and CRLF do (Trino's text reader)
        RawFiles.writeText(source, PARTITION, "c.json", good.get(6) + "\r" + good.get(7) + "\r\nabc\rdef\r\n" + good.get(8));
        RawFiles.writeGzip(source, PARTITION, "d.json.gz", good.get(9), "gz garbage", "[]");

        long maxLineBytes = HostileLines.MAX_LINE_BYTES;
        EventOracle oracle = EventOracle.of(RawFiles.folder(source, PARTITION), maxLineBytes);
        // the oracle, checked by hand
        assertThat(oracle.rejects()).extracting(EventOracle.Reject::reason).containsExactlyInAnyOrder(
                "not_json", "not_json", "not_json", "not_json", "not_object", "not_json", "not_json", "not_json", "byte_order_mark", "too_long",
                "invalid_utf8", "invalid_utf8", "invalid_utf8", "not_json",
                "not_json", "not_json",
                "not_json", "not_object");
        assertThat(oracle.rejects()).filteredOn(reject -> reject.reason().equals("too_long")).singleElement()
                .satisfies(reject -> assertThat(reject.lineBytes()).isEqualTo(10_000 + 28));
        assertThat(oracle.rejects()).filteredOn(reject -> reject.file().endsWith("b.json")).extracting(EventOracle.Reject::lineNumber)
                .containsExactly(4L, 6L, 8L, 9L);

        Settings settings = Settings.load(Optional.empty(), Map.of("load.max-line-bytes", String.valueOf(maxLineBytes)));
        LoadResult result;
        try (DuckDbEngine engine = new DuckDbEngine(DuckDbSettings.defaults())) {
            result = Loads.pipeline(settings).load(new LoadRequest(PARTITION, Location.local(source), Location.local(output), EngineKind.DUCKDB, 0.1),
                    engine, LoadListener.SILENT, Pipeline.DEFAULT_LEASE, new RunStop(engine));
        }

        assertMatchesOracle(result, oracle, output);
        OutputReader outputs = new OutputReader(output, PARTITION);
        assertThat(outputs.eventDetails()).filteredOn(row -> row.deviceId().equals("edges")).singleElement()
                .satisfies(row -> assertThat(List.of(row.longitude(), row.latitude())).containsExactly(-180.0, 90.0));
        assertThat(outputs.eventDetails()).filteredOn(row -> row.deviceId().startsWith("lon-") || row.deviceId().startsWith("lat-"))
                .hasSize(3).allSatisfy(row -> assertThat(row.longitude() == null || row.latitude() == null).isTrue());
        assertThat(outputs.eventDetails()).filteredOn(row -> List.of("offset-25", "year-1969", "year-2101").contains(row.deviceId()))
                .hasSize(3).allSatisfy(row -> assertThat(row.eventTimeMicros()).isNull());
        assertThat(outputs.eventDetails()).extracting(OutputReader.DetailRow::deviceId).contains("after-long", "good-299", "good-5", "good-8");
    }

    @Test
    void testSampleData()
            throws IOException
    {
        EventOracle oracle = sampleDay(30_000, 3, 42, 0.05, 0.01, false);
        assertThat(oracle.rejects()).isNotEmpty();
        assertThat(oracle.dau()).containsOnlyKeys("GH", "ZA");
        assertThat(oracle.eventsPerCountry()).containsKey(null);

        assertSampleDayLoadsAsTheOracleSays(oracle, 0.05);
    }

    @Test
    void testFilesLargerThanTheReadersBuffer()
            throws IOException
    {
        // two files of over 40 MB: DuckDB's line reader splits each into 32 MiB buffers that its
        // threads read at once, so V3's line numbers hold only if the order of the lines survives that
        EventOracle oracle = sampleDay(250_000, 2, 5, 0.02, 0.001, false);
        assertThat(RawFiles.dataFiles(source(), PARTITION)).hasSize(2).allMatch(file -> file.toFile().length() > 40_000_000L);
        assertThat(oracle.rejects()).hasSizeGreaterThan(100);

        assertSampleDayLoadsAsTheOracleSays(oracle, 0.01);
    }

    @Test
    void testSampleDataGzip()
            throws IOException
    {
        assertSampleDayLoadsAsTheOracleSays(sampleDay(20_000, 2, 7, 0.02, 0.001, true), 0.01);
    }

    @Test
    void testEmptyFilesAreEmptyWhateverTheirNames()
            throws IOException
    {
        Path source = source();
        Path output = temporary.resolve("output");
        RawFiles.writeGzip(source, PARTITION, "a.json.gz", "{\"meta\":{\"session_long\":\"gz\"},\"params\":{\"cc\":\"gh\"}}");
        RawFiles.write(source, PARTITION, "b.json", "{\"meta\":{\"session_long\":\"plain\"},\"params\":{\"cc\":\"za\"}}");
        // a writer that died before its first block leaves a .gz of 0 bytes, which is no gzip stream
        Files.write(RawFiles.folder(source, PARTITION).resolve("c.json.gz"), new byte[0]);
        Files.write(RawFiles.folder(source, PARTITION).resolve("d.json"), new byte[0]);

        EventOracle oracle = EventOracle.of(RawFiles.folder(source, PARTITION));
        assertThat(oracle.events()).hasSize(2);
        assertMatchesOracle(Loads.load(PARTITION, source, output, 0.5), oracle, output);
    }

    /** Generates a day into the source folder and reads it with the oracle. */
    private EventOracle sampleDay(long events, int files, long seed, double nullRatio, double malformedRatio, boolean gzip)
            throws IOException
    {
        Path source = source();
        new SampleWriter(new SampleSpec(PARTITION, source, events, files, seed, nullRatio, malformedRatio, gzip)).write(bytes -> {});
        return EventOracle.of(RawFiles.folder(source, PARTITION));
    }

    private void assertSampleDayLoadsAsTheOracleSays(EventOracle oracle, double maxRejectRatio)
            throws IOException
    {
        Path output = temporary.resolve("output");
        assertMatchesOracle(Loads.load(PARTITION, source(), output, maxRejectRatio), oracle, output);
    }

    @Test
    void testFileNamesThatLookLikeGlobs()
            throws IOException
    {
        Path source = source();
        Path output = temporary.resolve("output");
        // each name must read exactly its own file: x[1].json is not a pattern for x1.json
        RawFiles.write(source, PARTITION, "x[1].json", "{\"meta\":{\"session_long\":\"bracket\"},\"params\":{\"cc\":\"gh\"}}", "bracket garbage");
        RawFiles.write(source, PARTITION, "x1.json", "{\"meta\":{\"session_long\":\"plain\"},\"params\":{\"cc\":\"za\"}}");
        RawFiles.write(source, PARTITION, "st*r.json", "{\"meta\":{\"session_long\":\"star\"},\"params\":{\"cc\":\"gh\"}}");
        RawFiles.write(source, PARTITION, "stXr.json", "{\"meta\":{\"session_long\":\"x-star\"},\"params\":{\"cc\":\"gh\"}}");
        RawFiles.write(source, PARTITION, "q?.json", "{\"meta\":{\"session_long\":\"question\"},\"params\":{\"cc\":\"za\"}}");
        RawFiles.write(source, PARTITION, "qq.json", "{\"meta\":{\"session_long\":\"qq\"},\"params\":{\"cc\":\"za\"}}");
        RawFiles.write(source, PARTITION, "o'brien and co.json", "{\"meta\":{\"session_long\":\"quote\"},\"params\":{\"cc\":\"gh\"}}", "quote garbage");
        RawFiles.write(source, PARTITION, "tab\tand\nline.json", "tab\tgarbage", "back\\nslash");
        // a terminal's escape sequence and bell in a reject, which show must not pass to the terminal
        RawFiles.write(source, PARTITION, "control.json", "\u001b[31mred\u001b]0;title\u0007 garbage");

        EventOracle oracle = EventOracle.of(RawFiles.folder(source, PARTITION));
        assertThat(oracle.events()).hasSize(7);
        LoadResult result = Loads.load(PARTITION, source, output, 0.6);

        assertMatchesOracle(result, oracle, output);
        assertThat(new OutputReader(output, PARTITION).rejects()).extracting(reject -> Path.of(reject.file()).getFileName().toString())
                .containsExactlyInAnyOrder("x[1].json", "o'brien and co.json", "tab\tand\nline.json", "tab\tand\nline.json", "control.json");
        // show prints one row per line, tab-separated: a tab or line break in a value is shown escaped, and a
        // backslash doubled, so that a line holding a backslash and an n is not read as a line break
        Cli.Result shown = Cli.run("show", "rejects", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.out().lines()).hasSize(6).allSatisfy(line -> assertThat(line.split("\t", -1)).hasSize(5));
        assertThat(shown.out()).contains("tab\\tand\\nline.json\t1\tnot_json\ttab\\tgarbage\t")
                .contains("tab\\tand\\nline.json\t2\tnot_json\tback\\\\nslash\t")
                .contains("control.json\t1\tnot_json\t\\x1b[31mred\\x1b]0;title\\x07 garbage\t")
                .doesNotContain("\u001b").doesNotContain("\u0007");
    }

    /**
     * DuckDB reads a path with a glob character as a pattern in which a backslash separates folders:
     * sub\\[x].json was read as sub/[x].json, a subfolder's file, and published with exit 0. Such a
     * name, or a source root so named, is refused now, naming it, and nothing is published.
     */
    @Test
    void testPathsWithABackslashAndAGlobCharacter()
            throws IOException
    {
        Path source = source();
        Path output = temporary.resolve("output");
        RawFiles.write(source, PARTITION, "plain.json", "{\"meta\":{\"session_long\":\"plain\"},\"params\":{\"cc\":\"gh\"}}");
        RawFiles.write(source, PARTITION, "sub\\[x].json", "{\"meta\":{\"session_long\":\"listed\"},\"params\":{\"cc\":\"gh\"}}");
        Path subfolder = Files.createDirectories(RawFiles.folder(source, PARTITION).resolve("sub"));
        Files.writeString(subfolder.resolve("[x].json"), "{\"meta\":{\"session_long\":\"decoy\"},\"params\":{\"cc\":\"za\"}}\n");
        Cli.Result load = Cli.run("load", "--partition", PARTITION.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(load.code()).as(load.err()).isEqualTo(2);
        assertThat(load.err()).contains("sub\\[x].json holds a backslash and one of * ? [").contains("rename it").hasLineCount(1);
        assertThat(output.resolve("event_details")).doesNotExist();

        Path root = temporary.resolve("raw\\[eu]");
        RawFiles.write(root, PARTITION, "plain.json", "{\"meta\":{\"session_long\":\"plain\"},\"params\":{\"cc\":\"gh\"}}");
        Cli.Result underRoot = Cli.run("load", "--partition", PARTITION.hivePath(), "--source", root.toString(), "--output", output.toString());
        assertThat(underRoot.code()).as(underRoot.err()).isEqualTo(2);
        assertThat(underRoot.err()).contains("raw\\[eu]/").contains("holds a backslash and one of * ? [");
        assertThat(output.resolve("event_details")).doesNotExist();
    }

    @Test
    void testADayOfManyFilesWithOddNames()
            throws IOException
    {
        Path source = source();
        Path output = temporary.resolve("output");
        // from 1,000 files a day is read through one glob, which must read exactly the listed files;
        // DuckDB's glob does not match a name with a backslash, so such a day is read from the list
        for (int i = 0; i < 1_000; i++) {
            RawFiles.write(source, PARTITION, "part-" + i + ".json", "{\"meta\":{\"session_long\":\"d" + i + "\"},\"params\":{\"cc\":\"gh\"}}");
        }
        RawFiles.write(source, PARTITION, "x[1] {a,b}.json", "{\"meta\":{\"session_long\":\"bracket\"},\"params\":{\"cc\":\"za\"}}", "bracket garbage");
        EventOracle globbed = EventOracle.of(RawFiles.folder(source, PARTITION));
        assertMatchesOracle(Loads.load(PARTITION, source, output, 0.5), globbed, output);

        RawFiles.write(source, PARTITION, "back\\slash.json", "{\"meta\":{\"session_long\":\"backslash\"},\"params\":{\"cc\":\"za\"}}");
        EventOracle listed = EventOracle.of(RawFiles.folder(source, PARTITION));
        assertThat(listed.events()).hasSize(1_002);
        assertMatchesOracle(Loads.load(PARTITION, source, output, 0.5), listed, output);
        assertThat(new OutputReader(output, PARTITION).rejects()).extracting(reject -> Path.of(reject.file()).getFileName().toString())
                .containsExactly("x[1] {a,b}.json");
    }

    @Test
    void testNoRejects()
            throws IOException
    {
        Path source = source();
        Path output = temporary.resolve("output");
        RawFiles.write(source, PARTITION, "a.json",
                "{\"meta\":{\"session_long\":\"dev-1\"},\"params\":{\"cc\":\"gh\"}}",
                "",
                "{\"meta\":{\"session_long\":\"dev-2\"},\"params\":{\"cc\":\"gh\"}}");

        EventOracle oracle = EventOracle.of(RawFiles.folder(source, PARTITION));
        LoadResult result = Loads.load(PARTITION, source, output, 0);

        assertMatchesOracle(result, oracle, output);
        assertThat(LoadCounts.of(result).rejects()).isZero();
        // the blank line made V3 look (V2 scanned a line it did not write); what it keeps is nothing
        assertThat(new OutputReader(output, PARTITION).rejects()).isEmpty();
    }

    @Test
    void testOnlyFieldlessObjectsAndRejects()
            throws IOException
    {
        Path source = source();
        Path output = temporary.resolve("output");
        RawFiles.write(source, PARTITION, "a.json", "{}", "{\"other\":true}", "[]", "{\"meta\":{\"session_long\":\"x\"}");

        EventOracle oracle = EventOracle.of(RawFiles.folder(source, PARTITION));
        LoadResult result = Loads.load(PARTITION, source, output, 0.5);

        assertMatchesOracle(result, oracle, output);
        assertThat(new OutputReader(output, PARTITION).dau()).isEmpty();
    }

    private static void assertMatchesOracle(LoadResult result, EventOracle oracle, Path output)
    {
        OutputReader outputs = new OutputReader(output, PARTITION);

        assertThat(outputs.dau()).as("dau").isEqualTo(oracle.dau());

        List<OutputReader.EventRow> events = outputs.events();
        assertThat(events).as("events rows").hasSize(oracle.events().size());
        assertThat(outputs.eventsPerCountry()).as("events per country").isEqualTo(oracle.eventsPerCountry());
        assertSameElements("events", events, oracle.events().stream().map(OutputReader.EventRow::of).toList());

        List<OutputReader.DetailRow> details = outputs.eventDetails();
        assertThat(details).as("event_details rows").hasSize(oracle.events().size());
        assertThat(details.stream().filter(row -> row.longitude() != null).count()).as("longitudes").isEqualTo(oracle.longitudes());
        assertSameElements("event_details", details, oracle.events().stream().map(OutputReader.DetailRow::of).toList());

        assertSameElements("rejects", outputs.rejects(), oracle.rejects());
        assertThat(LoadCounts.of(result).rejects()).as("rejects counted").isEqualTo(oracle.rejects().size());
        assertThat(LoadCounts.of(result).events()).as("events counted").isEqualTo(oracle.events().size());
        assertThat(LoadCounts.of(result).lines()).as("non-blank lines counted").isEqualTo(oracle.nonBlankLines());

        List<Path> eventFiles = OutputReader.files(outputs.folder("events"));
        assertThat(eventFiles).isNotEmpty().allMatch(file -> file.getFileName().toString().endsWith(".parquet"));
        for (Path file : eventFiles) {
            assertThat(outputs.countryAndDeviceInFileOrder(file)).as("order of %s", file).isSortedAccordingTo(COUNTRY_THEN_DEVICE);
        }
    }

    /** (country, device_id) ascending by UTF-8 bytes as SQL compares text, nulls last. */
    private static final Comparator<List<String>> COUNTRY_THEN_DEVICE = Comparator
            .<List<String>, String>comparing(row -> row.get(0), Comparator.nullsLast(TestLoadEndToEnd::compareUtf8))
            .thenComparing(row -> row.get(1), Comparator.nullsLast(TestLoadEndToEnd::compareUtf8));

    private static int compareUtf8(String left, String right)
    {
        return Arrays.compareUnsigned(left.getBytes(StandardCharsets.UTF_8), right.getBytes(StandardCharsets.UTF_8));
    }
}
