package org.eventetl.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eventetl.model.TerminalText;
import org.eventetl.partition.Partition;
import org.eventetl.testing.EventOracle;
import org.eventetl.testing.FolderSnapshot;
import org.eventetl.testing.Loads;
import org.eventetl.testing.OutputReader;
import org.eventetl.testing.RawFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code etl load} in-process: exit codes, messages and what a refused run leaves behind (docs/design.md, "What each failure leaves"; docs/operations.md, "Exit codes"). */
final class TestLoadCommand
{
    private static final String PARTITION_TEXT = "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09";
    private static final Partition PARTITION = Partition.parse(PARTITION_TEXT);
    private static final List<String> DATASETS = List.of("event_details", "events", "dau", "rejects");

    @TempDir
    static Path shared;

    @TempDir
    Path temporary;

    /** A source and an output that a real load filled, plus files in the prefixes of the partitions the refusals name. */
    @BeforeAll
    static void prepare()
            throws IOException
    {
        Path source = shared.resolve("source");
        Path output = shared.resolve("output");
        RawFiles.write(source, PARTITION, "a.json",
                "{\"meta\":{\"session_long\":\"dev-1\"},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{\"session_long\":\"dev-2\"},\"params\":{\"cc\":\"za\"}}",
                "not json");
        RawFiles.write(source, PARTITION.withDay(LocalDate.of(2017, 8, 12)), "_SUCCESS", "");
        Loads.load(PARTITION, source, output, 0.5);
        for (String dataset : DATASETS) {
            for (String hive : List.of(
                    PARTITION_TEXT,
                    "brand=OLX/tracker=hydra/channel=android/year=2017/month=08/day=09",
                    "brand=olx/tracker=hydra/channel=android/year=2017/month=02/day=30",
                    "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=11",
                    "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=12")) {
                Path file = output.resolve(dataset).resolve(hive).resolve("earlier-run.parquet");
                Files.createDirectories(file.getParent());
                Files.writeString(file, "not really parquet, but it must survive a refusal: " + hive);
            }
        }
        Files.writeString(output.resolve("README"), "the output root");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // bad values
            "brand=olx'; DROP/tracker=hydra/channel=android/year=2017/month=08/day=09",
            "brand=OLX/tracker=hydra/channel=android/year=2017/month=08/day=09",
            "brand=../x/tracker=hydra/channel=android/year=2017/month=08/day=09",
            "brand=olx/tracker=hydra/channel=andr oid/year=2017/month=08/day=09",
            "brand=olx/tracker=hydra/channel=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/year=2017/month=08/day=09",
            "brand=olx/tracker=hydra/channel=/year=2017/month=08/day=09",
            // missing, unknown and repeated keys
            "brand=olx/tracker=hydra/channel=android/year=2017/month=08",
            "brand=olx/tracker=hydra/year=2017/month=08/day=09",
            "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09/hour=10",
            "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09/day=10",
            "olx/hydra/android/2017/08/09",
            // bad dates
            "brand=olx/tracker=hydra/channel=android/year=2017/month=02/day=30",
            "brand=olx/tracker=hydra/channel=android/year=2017/month=8/day=09",
            "brand=olx/tracker=hydra/channel=android/year=2017/month=13/day=01",
            // a source partition that does not exist, and one without data files
            "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=11",
            "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=12"})
    void testRefusedPartition(String partition)
    {
        assertRefused("load", "--partition", partition, "--source", shared.resolve("source").toString(), "--output", shared.resolve("output").toString());
    }

    @Test
    void testRefusedUsage()
    {
        String source = shared.resolve("source").toString();
        String output = shared.resolve("output").toString();
        assertRefused("load", "--source", source, "--output", output);
        assertRefused("load", "--partition", PARTITION_TEXT, "--source", source, "--output", output, "--max-reject-ratio", "2");
        assertRefused("load", "--partition", PARTITION_TEXT, "--source", source, "--output", output, "--max-reject-ratio", "lots");
        assertRefused("load", "--partition", PARTITION_TEXT, "--source", source, "--output", output, "--engine", "spark");
        assertRefused("load", "--partition", PARTITION_TEXT, "--source", source, "--output", output, "--no-such-flag");
        assertRefused("load", "--partition", PARTITION_TEXT, "--source", source, "--output", output, "extra");
        assertRefused("load", "--partition", PARTITION_TEXT, "--source", source, "--output", source + "/olx");
        assertRefused("unload", "--partition", PARTITION_TEXT);
    }

    @Test
    void testRejectRatioExceeded()
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        RawFiles.write(source, PARTITION, "a.json",
                "{\"meta\":{\"session_long\":\"dev-1\"},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{\"session_long\":\"dev-2\"},\"params\":{\"cc\":\"gh\"}}",
                "",
                "{\"meta\":{\"session_long\":\"dev-3\"},\"params\":{\"cc\":\"za\"}}",
                "truncated {\"meta\"",
                "[\"array\"]");
        EventOracle oracle = EventOracle.of(RawFiles.folder(source, PARTITION));
        assertThat(oracle.rejects()).hasSize(2);
        assertThat(oracle.nonBlankLines()).isEqualTo(5);

        Run run = etl("load", "--partition", PARTITION_TEXT, "--source", source.toString(), "--output", output.toString(), "--max-reject-ratio", "0.3");

        // nothing is published; the rejects are kept in the run's staged outputs, which the message names
        assertThat(run.code()).isEqualTo(ExitCode.STEP_FAILED);
        String message = run.lastErrLine();
        assertThat(message)
                .startsWith("etl: audit A3__reject_ratio failed: ")
                .contains("2 of 5 non-blank lines")
                .contains("--max-reject-ratio 0.3")
                .contains("nothing was published")
                .contains(output.resolve("_staging") + "/");
        Path staged = Path.of(message.replaceAll(".*kept under (\\S+) for inspection.*", "$1"));
        assertThat(new OutputReader(staged, PARTITION).rejects()).containsExactlyInAnyOrderElementsOf(oracle.rejects());
        assertThat(new OutputReader(output, PARTITION).folder("rejects")).doesNotExist();

        // at the limit it passes; the default limit (0.01) fails it too
        assertThat(etl("load", "--partition", PARTITION_TEXT, "--source", source.toString(), "--output", output.toString(), "--max-reject-ratio", "0.4").code())
                .isEqualTo(ExitCode.DONE);
        Run byDefault = etl("load", "--partition", PARTITION_TEXT, "--source", source.toString(), "--output", output.toString());
        assertThat(byDefault.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(byDefault.lastErrLine()).contains("2 of 5 non-blank lines").contains("nothing was published");
    }

    @Test
    void testJsonSummary()
            throws IOException
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        RawFiles.write(source, PARTITION, "a.json",
                "{\"meta\":{\"session_long\":\"dev-1\"},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{\"session_long\":\"dev-1\"},\"params\":{\"cc\":\" za\"}}",
                "{\"meta\":{\"session_long\":\"dev-2\"},\"params\":{\"cc\":\"GH\"}}",
                "{\"meta\":{\"session_long\":\"dev-3\"},\"params\":{}}",
                "garbage");
        EventOracle oracle = EventOracle.of(RawFiles.folder(source, PARTITION));

        Run run = etl("load", "--partition", PARTITION_TEXT, "--source", source.toString(), "--output", output.toString(),
                "--max-reject-ratio", "0.5", "--json");

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.DONE);
        JsonNode summary = new ObjectMapper().readTree(run.out());
        assertThat(summary.get("partition").textValue()).isEqualTo(PARTITION_TEXT);
        assertThat(summary.get("format_version").intValue()).isEqualTo(1);
        // what the steps' -- summary: headers show: dau's rows, and the rejects counted by reason
        Map<String, JsonNode> shown = new TreeMap<>();
        summary.get("summaries").forEach(dataset -> shown.put(dataset.get("dataset").textValue(), dataset));
        Map<String, Long> dau = new TreeMap<>();
        for (JsonNode row : shown.get("dau").get("rows")) {
            // counts are JSON numbers, not text a script must parse
            assertThat(row.get(1).isIntegralNumber()).as(row.toString()).isTrue();
            dau.put(row.get(0).textValue(), row.get(1).longValue());
        }
        assertThat(dau).isEqualTo(oracle.dau()).isNotEmpty();
        long rejects = 0;
        for (JsonNode row : shown.get("rejects").get("rows")) {
            assertThat(row.get(1).isIntegralNumber()).as(row.toString()).isTrue();
            rejects += row.get(1).longValue();
        }
        assertThat(rejects).isEqualTo(oracle.rejects().size());
        assertThat(summary.get("audits")).allSatisfy(audit -> assertThat(audit.get("verdict").textValue()).isEqualTo("passed"));
        assertThat(summary.get("published")).hasSize(6);
        List<String> steps = new ArrayList<>();
        summary.get("steps").forEach(step -> steps.add(step.get("step").textValue()));
        assertThat(steps).containsExactly("V1__functions", "V2__event_details", "V3__rejects", "V4__events", "V5__dau", "V6__hourly_activity", "V7__location_grid");
    }

    @Test
    void testTextSummary()
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        RawFiles.write(source, PARTITION, "a.json",
                "{\"meta\":{\"session_long\":\"dev-1\"},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{\"session_long\":\"dev-2\"},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{\"session_long\":\"dev-2\"},\"params\":{\"cc\":\"za\"}}");

        Run run = etl("load", "--partition", PARTITION_TEXT, "--source", source.toString(), "--output", output.toString());

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.DONE);
        assertThat(run.out()).contains("\ndau\n");
        String table = run.out().substring(run.out().indexOf("\ndau\n") + 1);
        assertThat(table.lines().skip(2).map(line -> line.trim().split("\\s+")).map(cells -> cells[0] + "=" + cells[1]).toList())
                .containsExactly("GH=2", "ZA=1");
        assertThat(run.err()).contains("V5__dau");
    }

    /**
     * A country is whatever text the events carried: the summary printed it raw, so an event's
     * escape sequences retitled, cleared and recoloured the terminal, a line break in it forged a
     * line of the summary, and a 1 MB country padded every line of the table to 1 MB.
     */
    @Test
    void testSummaryOfHostileCountries()
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        String hostile = "\\u001b]0;PWNED\\u0007\\u001b[2J\\u001b[31mX\\nfake: all good\\u0000";
        RawFiles.write(source, PARTITION, "a.json",
                "{\"meta\":{\"session_long\":\"dev-1\"},\"params\":{\"cc\":\"" + hostile + "\"}}",
                "{\"meta\":{\"session_long\":\"dev-2\"},\"params\":{\"cc\":\"\\u202egh\"}}",
                "{\"meta\":{\"session_long\":\"dev-3\"},\"params\":{\"cc\":\"" + "z".repeat(1_000_000) + "\"}}");

        Run run = etl("load", "--partition", PARTITION_TEXT, "--source", source.toString(), "--output", output.toString());

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.DONE);
        assertThat(run.out()).doesNotContainPattern("[\\x00-\\x09\\x0b-\\x1f\\x7f\\u202e]").doesNotContainPattern("(?m)^FAKE")
                .contains("\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31MX\\nFAKE: ALL GOOD\\x00").contains("\\u202eGH")
                .contains("Z".repeat(TerminalText.SHOWN_CHARACTERS) + "…(" + (1_000_000 - TerminalText.SHOWN_CHARACTERS) + " more characters)");
        assertThat(run.out().lines().mapToInt(String::length).max().orElseThrow()).isLessThan(400);
    }

    /** A line break in --output forged a line of the progress on stderr (each step's line names its staged folder). */
    @Test
    void testProgressOfAnOutputWithALineBreak()
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("out\nFAKE: published everything");
        RawFiles.write(source, PARTITION, "a.json", "{\"meta\":{\"session_long\":\"dev-1\"},\"params\":{\"cc\":\"gh\"}}");

        Run run = etl("load", "--partition", PARTITION_TEXT, "--source", source.toString(), "--output", output.toString());

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.DONE);
        assertThat(run.err()).contains(" -> " + temporary.resolve("out FAKE: published everything")).doesNotContainPattern("(?m)^FAKE");
    }

    @Test
    void testHelp()
    {
        Run run = etl("load", "--help");

        assertThat(run.code()).isEqualTo(ExitCode.DONE);
        assertThat(run.out()).contains("usage: etl load").contains("--partition").contains("--max-reject-ratio").contains("--json");
        assertThat(run.err()).isEmpty();

        Run overview = etl("--help");
        assertThat(overview.code()).isEqualTo(ExitCode.DONE);
        assertThat(overview.out()).contains("load");
        assertThat(etl().code()).isEqualTo(ExitCode.REFUSED);
    }

    /** Exit 2, one line on stderr, nothing on stdout, and not a single file of the output or source changed. */
    private static void assertRefused(String... args)
    {
        Map<String, String> before = FolderSnapshot.of(shared);
        assertThat(before).isNotEmpty();

        Run run = etl(args);

        assertThat(run.code()).as("exit code; stderr: %s", run.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(run.err()).startsWith("etl: ").endsWith("\n");
        assertThat(run.err().strip()).as("one line").doesNotContain("\n", "\r").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run.out()).isEmpty();
        assertThat(FolderSnapshot.of(shared)).as("files after the refusal").isEqualTo(before);
    }

    private static Run etl(String... args)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = new Etl(new Console(outStream, errStream, Loads.home(), false)).run(args);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int code, String out, String err)
    {
        String lastErrLine()
        {
            List<String> lines = err.strip().lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }
}
