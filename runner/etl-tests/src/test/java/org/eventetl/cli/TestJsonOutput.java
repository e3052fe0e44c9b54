package org.eventetl.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.partition.Partition;
import org.eventetl.testing.Cli;
import org.eventetl.testing.RawFiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code --json} in one style: stdout is one JSON object that starts with
 * {@code "format_version": 1} and the command's name, and every key at every depth is snake_case
 * (a history entry's fields included, which the history files themselves spell in camelCase).
 */
final class TestJsonOutput
{
    private static final Pattern SNAKE_CASE = Pattern.compile("^[a-z][a-z0-9_]*$");
    private static final String CHANNEL = "brand=olx/tracker=hydra/channel=android";
    private static final Partition DAY = Partition.parse(CHANNEL + "/year=2017/month=08/day=09");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    private static String source;
    private static String output;

    @BeforeAll
    static void prepare()
    {
        source = work.resolve("source").toString();
        output = work.resolve("output").toString();
        RawFiles.write(Path.of(source), DAY, "a.json",
                "{\"meta\":{\"session_long\":\"dev-1\",\"date\":\"2017-08-09T10:15:30Z\"},\"params\":{\"cc\":\"gh\",\"lat\":5.6,\"long\":-0.2}}",
                "{\"meta\":{\"session_long\":\"dev-2\"},\"params\":{\"cc\":\"za\"}}",
                "not json");
    }

    @Test
    void testEveryCommandsJson()
            throws Exception
    {
        JsonNode load = document("load", ExitCode.DONE, "load", "--partition", DAY.hivePath(), "--source", source, "--output", output, "--max-reject-ratio", "0.5", "--json");
        assertThat(load.get("run_id").asText()).matches("\\d{8}_\\d{6}_[0-9a-f]{8}");
        assertThat(load.get("interrupted").asBoolean(true)).isFalse();
        assertThat(load.get("steps")).hasSize(7);
        assertThat(load.get("summaries")).extracting(summary -> summary.get("dataset").asText()).containsExactly("rejects", "dau");

        JsonNode status = document("status", ExitCode.DONE, "status", "--partition", DAY.hivePath(), "--source", source, "--output", output, "--json");
        JsonNode partition = status.get("partitions").get(0);
        assertThat(partition.get("state").asText()).isEqualTo("current");
        assertThat(partition.get("published_run").get("run_id").asText()).isEqualTo(load.get("run_id").asText());
        assertThat(partition.get("published_run").get("finished_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        JsonNode step = partition.get("steps").get(1);
        assertThat(step.get("state").asText()).isEqualTo("applied");
        assertThat(step.get("published").get("run_id").asText()).isEqualTo(load.get("run_id").asText());
        assertThat(step.get("published").has("bytes_scanned")).isTrue();

        JsonNode backfill = document("backfill", ExitCode.DONE, "backfill", "--partition", CHANNEL, "--from", "2017-08-09", "--to", "2017-08-10",
                "--source", source, "--output", output, "--max-reject-ratio", "0.5", "--only-stale", "--json");
        assertThat(backfill.get("interrupted").asBoolean()).isFalse();
        assertThat(backfill.get("days")).extracting(day -> day.get("outcome").asText()).containsExactly("current", "no_source");
        assertThat(backfill.get("counts").get("current").asInt()).isEqualTo(1);
        assertThat(backfill.get("exit_code").asInt()).isEqualTo(ExitCode.DONE);
        assertThat(backfill.has("error")).as("no error when every day is done").isFalse();

        JsonNode validate = document("validate", ExitCode.DONE, "validate", "--partition", DAY.hivePath(), "--output", output, "--json");
        assertThat(validate.get("steps").asInt()).isEqualTo(7);
        assertThat(validate.get("history_entries").asInt()).isEqualTo(7);
        assertThat(validate.get("findings")).isEmpty();
    }

    /**
     * A backfilled day names every warning it counts: its detail named the first only, beside a
     * count of two (found by a new-user probe). A day of one empty file after three days with
     * events warns twice: no events (A7), and a DAU far below the days before (A4).
     */
    @Test
    void aBackfilledDayNamesEveryWarningItCounts()
            throws Exception
    {
        Path days = work.resolve("warned-source");
        for (String day : List.of("09", "10", "11")) {
            RawFiles.write(days, Partition.parse(CHANNEL + "/year=2017/month=08/day=" + day), "a.json",
                    "{\"meta\":{\"session_long\":\"dev-1\"},\"params\":{\"cc\":\"gh\"}}",
                    "{\"meta\":{\"session_long\":\"dev-2\"},\"params\":{\"cc\":\"gh\"}}");
        }
        RawFiles.write(days, Partition.parse(CHANNEL + "/year=2017/month=08/day=12"), "a.json");
        JsonNode backfill = document("backfill", ExitCode.DONE, "backfill", "--partition", CHANNEL, "--from", "2017-08-09", "--to", "2017-08-12",
                "--source", days.toString(), "--output", work.resolve("warned-output").toString(), "--json");

        JsonNode day = backfill.get("days").get(3);
        assertThat(day.get("outcome").asText()).isEqualTo("loaded");
        assertThat(day.get("warnings").asInt()).isEqualTo(2);
        assertThat(day.get("detail").asText()).contains("audit A4__dau_volume warned").contains("audit A7__has_events warned");
    }

    /** A failure or a refusal with --json is a document on stdout too, beside its line on stderr. */
    @Test
    void testAFailureIsADocumentToo()
            throws Exception
    {
        JsonNode failed = document("load", ExitCode.STEP_FAILED, "load", "--partition", DAY.hivePath(), "--source", source, "--output", work.resolve("failed").toString(),
                "--max-reject-ratio", "0.01", "--json");
        assertThat(failed.get("exit_code").asInt()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(failed.get("error").asText()).contains("A3__reject_ratio");

        // a backfill with a failed day had only the day's detail: one top-level line, as other failures have
        JsonNode backfill = document("backfill", ExitCode.STEP_FAILED, "backfill", "--partition", CHANNEL, "--from", "2017-08-09", "--to", "2017-08-10",
                "--source", source, "--output", work.resolve("failed-backfill").toString(), "--max-reject-ratio", "0.01", "--continue-on-error", "--json");
        assertThat(backfill.get("exit_code").asInt()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(backfill.get("error").asText()).isEqualTo("1 of 2 days failed");
        assertThat(backfill.get("days").get(0).get("detail").asText()).contains("A3__reject_ratio");

        Cli.Result refused = Cli.run("status", "--partition", DAY.hivePath(), "--source", work.resolve("missing").toString(), "--output", output, "--json");
        assertThat(refused.code()).isEqualTo(ExitCode.REFUSED);
        JsonNode document = JSON.readTree(refused.out());
        assertThat(document.get("command").asText()).isEqualTo("status");
        assertThat(document.get("exit_code").asInt()).isEqualTo(ExitCode.REFUSED);
        assertThat("etl: " + document.get("error").asText()).isEqualTo(refused.err().strip());

        // a load that published, then failed to write its report: its own document only, stdout stays one document
        Path blocked = work.resolve("report-blocked");
        java.nio.file.Files.createDirectories(blocked);
        java.nio.file.Files.writeString(blocked.resolve("_reports"), "a file where the report's folder goes");
        Cli.Result reported = Cli.run("load", "--partition", DAY.hivePath(), "--source", source, "--output", blocked.toString(),
                "--max-reject-ratio", "0.5", "--json", "--report");
        assertThat(reported.code()).as(reported.err()).isEqualTo(ExitCode.STEP_FAILED);
        List<JsonNode> documents = JSON.readerFor(JsonNode.class).<JsonNode>readValues(reported.out()).readAll();
        assertThat(documents).singleElement().satisfies(loaded -> assertThat(loaded.get("run_id")).isNotNull());

        // without --json, stdout stays empty
        assertThat(Cli.run("status", "--partition", DAY.hivePath(), "--source", work.resolve("missing").toString(), "--output", output).out()).isEmpty();
    }

    /** Parses stdout, checks the envelope and every key, and returns the document. */
    private static JsonNode document(String command, int code, String... args)
            throws Exception
    {
        Cli.Result run = Cli.run(args);
        assertThat(run.code()).as("%s: %s", command, run.err()).isEqualTo(code);
        JsonNode document = JSON.readTree(run.out());
        assertThat(document.isObject()).as("%s prints one object", command).isTrue();
        List<String> fields = new ArrayList<>();
        document.fieldNames().forEachRemaining(fields::add);
        assertThat(fields.subList(0, 2)).as("%s's first fields", command).containsExactly("format_version", "command");
        assertThat(document.get("format_version").asInt()).isEqualTo(1);
        assertThat(document.get("command").asText()).isEqualTo(command);
        List<String> keys = new ArrayList<>();
        keys(document, "", keys);
        assertThat(keys).as("%s's keys", command).hasSizeGreaterThan(3)
                .allSatisfy(key -> assertThat(key.substring(key.lastIndexOf('.') + 1)).as(key).matches(SNAKE_CASE));
        return document;
    }

    private static void keys(JsonNode node, String path, List<String> keys)
    {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                keys.add(path + "." + field.getKey());
                keys(field.getValue(), path + "." + field.getKey(), keys);
            }
        }
        else if (node.isArray()) {
            for (JsonNode element : node) {
                keys(element, path + "[]", keys);
            }
        }
    }
}
