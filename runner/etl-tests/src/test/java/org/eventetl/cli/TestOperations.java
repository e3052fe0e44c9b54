package org.eventetl.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.partition.Partition;
import org.eventetl.plan.ScriptResolver;
import org.eventetl.sample.SampleSpec;
import org.eventetl.sample.SampleWriter;
import org.eventetl.testing.Cli;
import org.eventetl.testing.EtlProcess;
import org.eventetl.testing.FolderSnapshot;
import org.eventetl.testing.Loads;
import org.eventetl.testing.OutputReader;
import org.eventetl.testing.RawFiles;
import org.eventetl.testing.Samples;

import static org.assertj.core.api.Assertions.assertThat;

/** status, validate, backfill and repair through the command line, in-process, on small generated days. */
final class TestOperations
{
    private static final String CHANNEL = "brand=olx/tracker=hydra/channel=android";
    private static final Partition AUGUST_1 = Partition.parse(CHANNEL + "/year=2017/month=08/day=01");
    /** A step a test adds to its copy of sql/: the day's distinct devices, a dataset of its own. */
    private static final String DEVICES_STEP = "{{#duckdb}}\nCOPY (SELECT DISTINCT device_id FROM read_parquet('{{staged.events}}*.parquet'))"
            + " TO '{{target}}data.parquet' (FORMAT parquet);\n{{/duckdb}}\n";

    @TempDir
    Path work;

    /**
     * After a backfill killed with several days publishing, status asked for a repair of each day,
     * and repair took one day only (--from was an unknown option). It takes a range, and repairs
     * each day in turn.
     */
    @Test
    void repairTakesARangeOfDays()
            throws Exception
    {
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Partition second = AUGUST_1.withDay(AUGUST_1.day().plusDays(1));
        for (Partition day : List.of(AUGUST_1, second)) {
            Samples.day(source, day, 300);
            EtlProcess killed = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", "publish events"),
                    List.of("load", "--partition", day.hivePath(), "--source", source.toString(), "--output", output.toString()));
            killed.awaitErr("etl: paused at publish events");
            killed.kill();
        }
        String[] range = {"--partition", CHANNEL, "--from", "2017-08-01", "--to", "2017-08-03", "--source", source.toString(), "--output", output.toString()};
        Cli.Result status = Cli.run(Cli.args("status", range));
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.NOT_CURRENT);

        Cli.Result repair = Cli.run(Cli.args("repair", range));
        assertThat(repair.code()).as(repair.err()).isEqualTo(ExitCode.DONE);
        assertThat(repair.out()).containsPattern("(?m)^2017-08-01: finished the publish of run \\S+, which was cut short$")
                .containsPattern("(?m)^2017-08-02: finished the publish of run \\S+, which was cut short$")
                .contains("2017-08-03: nothing to repair for " + AUGUST_1.withDay(AUGUST_1.day().plusDays(2)));
        Cli.Result repaired = Cli.run(Cli.args("status", range));
        assertThat(repaired.code()).as(repaired.out()).isEqualTo(ExitCode.DONE);
    }

    /** A step that fails before any step wrote a dataset leaves nothing to inspect: the message does not send the user to look. */
    @Test
    void aFirstStepThatFailsSaysNothingOfStagedOutputs()
            throws Exception
    {
        Path home = Loads.copyOfProject(work);
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, AUGUST_1, 500);
        Path v2 = home.resolve("sql/V2__event_details.sql");
        String sql = Files.readString(v2);
        assertThat(sql).contains("COPY (\n    WITH fields AS");
        Files.writeString(v2, sql.replace("COPY (\n    WITH fields AS", "COPY ((\n    WITH fields AS"));
        Cli.Result load = Cli.runIn(home, "load", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(load.err())).contains("V2__event_details").endsWith("; published data is unchanged; fix the cause and rerun")
                .doesNotContain("kept");
    }

    @Test
    void statusShowsAppliedFailedOutdatedAndPendingWithExitCodes()
            throws Exception
    {
        Path home = Loads.copyOfProject(work);
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, AUGUST_1, 5_000);
        Partition august2 = AUGUST_1.withDay(AUGUST_1.day().plusDays(1));
        Samples.day(source, august2, 5_000);

        assertThat(Cli.runIn(home, "load", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString()).code()).isZero();
        Cli.Result applied = Cli.runIn(home, "status", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(applied.code()).isEqualTo(ExitCode.DONE);
        assertThat(applied.out()).contains("V2__event_details    applied").containsPattern("partition +current +published by run")
                .contains("1 of 1 partitions current");

        // a day without a source folder is its own state, not an alert: a range of it and a current day is current
        Cli.Result withoutSource = Cli.runIn(home, "status", "--partition", CHANNEL, "--from", "2017-07-31", "--to", "2017-08-01",
                "--source", source.toString(), "--output", output.toString());
        assertThat(withoutSource.code()).as(withoutSource.out()).isEqualTo(ExitCode.DONE);
        assertThat(withoutSource.out()).containsPattern("2017-07-31 +partition +no source").contains("2 of 2 partitions current");
        // and it is one line: no step rows that would all say pending
        assertThat(withoutSource.out().lines().filter(line -> line.startsWith("2017-07-31"))).hasSize(1);
        assertThat(withoutSource.out().lines().filter(line -> line.startsWith("2017-08-01"))).hasSizeGreaterThan(1);

        // a day that never loaded is pending, and a range with it is not current
        Cli.Result range = Cli.runIn(home, "status", "--partition", CHANNEL, "--from", "2017-08-01", "--to", "2017-08-02",
                "--source", source.toString(), "--output", output.toString(), "--json");
        assertThat(range.code()).isEqualTo(ExitCode.NOT_CURRENT);
        JsonNode partitions = new ObjectMapper().readTree(range.out()).get("partitions");
        assertThat(partitions).hasSize(2);
        int steps = new ScriptResolver(home.resolve("sql")).resolve().steps().size();
        assertThat(states(partitions, "day=02")).hasSize(steps).containsOnly("pending");
        assertThat(states(partitions, "day=01")).hasSize(steps).containsOnly("applied");

        // an edited template makes its step outdated
        Files.writeString(home.resolve("sql/V5__dau.sql"), Files.readString(home.resolve("sql/V5__dau.sql")) + "-- reviewed\n");
        Cli.Result outdated = Cli.runIn(home, "status", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(outdated.code()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(outdated.out()).containsPattern("V5__dau +outdated .*template changed");
        Cli.Result validate = Cli.runIn(home, "validate", "--partition", AUGUST_1.hivePath(), "--output", output.toString());
        assertThat(validate.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(validate.out()).contains("V5__dau made the published data with checksum").contains("sql/V5__dau.sql now has");

        // a new source file changes the rendered SQL of the steps that read the source
        RawFiles.write(source, AUGUST_1, "late.json", "{\"meta\":{\"session_long\":\"late\"},\"params\":{\"cc\":\"gh\"}}");
        Cli.Result rendered = Cli.runIn(home, "status", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(rendered.out()).containsPattern("V2__event_details +outdated .*rendered SQL changed");

        // a run whose step fails publishes nothing: the partition is failed, with the step and the
        // engine's message, and the published data is the earlier run's, byte for byte
        Map<String, String> published = FolderSnapshot.of(output.resolve("events"));
        Files.writeString(home.resolve("sql/V4__events.sql"), Files.readString(home.resolve("sql/V4__events.sql")).replace("ORDER BY", "ORDER BYY"));
        Cli.Result load = Cli.runIn(home, "load", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(load.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(load.err()).contains("published data is unchanged").contains("_staging/");
        assertThat(FolderSnapshot.of(output.resolve("events"))).isEqualTo(published);
        Cli.Result failed = Cli.runIn(home, "status", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(failed.code()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(failed.out()).containsPattern("partition +failed +run \\S+ failed in V4__events: .*(?i)syntax error").contains("is intact")
                // the load's own advice is not repeated in status, which gives its own
                .doesNotContain("staged outputs are kept").doesNotContain("published data is unchanged");
        Cli.Result repair = Cli.runIn(home, "repair", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(repair.code()).isZero();
        assertThat(repair.out()).containsPattern("marked run \\S+ as looked at").containsPattern("removed the staging area of run \\S+, which failed \\(its staged outputs were kept for a look\\)")
                .doesNotContain("whose lease had ended");
        Cli.Result afterRepair = Cli.runIn(home, "status", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(afterRepair.out()).containsPattern("partition +outdated").doesNotContain("failed in V4__events");
        assertThat(output.resolve("_staging")).isEmptyDirectory();
    }

    /** Rendering into the same folder before and after a change: a removed step leaves no file behind to hide it from diff. */
    @Test
    void renderOutHoldsTheStepsOfNowOnly()
            throws Exception
    {
        Path home = Loads.copyOfProject(work);
        Path source = work.resolve("source");
        Samples.day(source, AUGUST_1, 100);
        Path step = home.resolve("sql/V8__devices.sql");
        Files.writeString(step, DEVICES_STEP);
        Path out = work.resolve("rendered");
        Path folder = out.resolve("duckdb").resolve(AUGUST_1.hivePath());
        String[] render = {"render", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--out", out.toString()};

        assertThat(Cli.runIn(home, render).code()).isZero();
        assertThat(folder.resolve("V8__devices.sql")).exists();
        Files.writeString(folder.resolve("review-notes.txt"), "looked at V2\n");
        // a query of the user's, beside the rendered ones: render deleted every .sql file there
        Files.writeString(folder.resolve("my_query.sql"), "SELECT 'mine';\n");
        Files.delete(step);
        Cli.Result again = Cli.runIn(home, render);

        assertThat(again.code()).as(again.err()).isZero();
        assertThat(folder.resolve("V8__devices.sql")).doesNotExist();
        assertThat(folder.resolve("V2__event_details.sql")).exists();
        assertThat(folder.resolve("review-notes.txt")).as("not render's").hasContent("looked at V2");
        assertThat(folder.resolve("my_query.sql")).as("not render's").hasContent("SELECT 'mine';\n");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(again.err()).contains("rendered " + (files.count() - 3) + " files into " + folder);
        }

        // a file of the user's where a render would write one of its own, in a folder no render wrote
        Path fresh = work.resolve("rendered-by-hand");
        Path mine = Files.createDirectories(fresh.resolve("duckdb").resolve(AUGUST_1.hivePath())).resolve("V2__event_details.sql");
        Files.writeString(mine, "-- tuned by hand\n");
        Cli.Result inTheWay = Cli.runIn(home, "render", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--out", fresh.toString());
        assertThat(inTheWay.code()).as(inTheWay.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(inTheWay.err()).contains("--out: " + mine + " is in the way: no earlier render wrote it");
        assertThat(mine).hasContent("-- tuned by hand\n");

        // into the output root, render's files would sit among the datasets
        Path output = work.resolve("output");
        Cli.Result intoOutput = Cli.runIn(home, "render", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString(),
                "--out", output.resolve("rendered").toString());
        assertThat(intoOutput.code()).as(intoOutput.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(intoOutput.err()).contains("overlap; render into a folder of its own");
    }

    /** A step removed from sql/ leaves its dataset published; status says so, before and after a reload, and nothing deletes it. */
    @Test
    void aRetiredStepsDatasetIsNamedByStatus()
            throws Exception
    {
        Path home = Loads.copyOfProject(work);
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, AUGUST_1, 100);
        Path step = home.resolve("sql/V8__devices.sql");
        Files.writeString(step, DEVICES_STEP);
        String[] where = {"--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString()};
        assertThat(Cli.runIn(home, Cli.args("load", where)).code()).isZero();
        Cli.Result current = Cli.runIn(home, Cli.args("status", where));
        assertThat(current.out()).doesNotContain("no step writes");

        Files.delete(step);
        String note = "devices of this day is still published, but no step writes it any more: delete "
                + output.resolve("devices").resolve(AUGUST_1.hivePath()) + "/ by hand once retired";
        Cli.Result retired = Cli.runIn(home, Cli.args("status", where));
        assertThat(retired.code()).as(retired.out()).isEqualTo(ExitCode.DONE);
        assertThat(retired.out()).containsPattern("partition +current ").contains(note);
        // deleted by hand, as the note asks: the day stays current (status looks only at the datasets sql/ writes)
        Path devices = output.resolve("devices").resolve(AUGUST_1.hivePath());
        Path aside = Files.move(devices, work.resolve("devices-aside"));
        Cli.Result deleted = Cli.runIn(home, Cli.args("status", where));
        assertThat(deleted.code()).as(deleted.out()).isEqualTo(ExitCode.DONE);
        assertThat(deleted.out()).doesNotContain("devices");
        Files.move(aside, devices);
        assertThat(Cli.runIn(home, Cli.args("load", where)).code()).isZero();
        Cli.Result reloaded = Cli.runIn(home, Cli.args("status", where));
        assertThat(reloaded.out()).contains(note);
        assertThat(output.resolve("devices").resolve(AUGUST_1.hivePath())).isNotEmptyDirectory();
    }

    /**
     * A day's files that change after its publish, as many as before and with the same names (an
     * upstream placeholder of zero bytes replaced by the real data), make the day outdated, and
     * backfill --only-stale reloads it; a file touched but not changed does not.
     */
    @Test
    void aSourceFileThatChangedSinceThePublishMakesTheDayOutdated()
            throws Exception
    {
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, AUGUST_1, 3_000);
        Path file = RawFiles.dataFiles(source, AUGUST_1).get(0);
        byte[] realData = Files.readAllBytes(file);
        Files.write(file, new byte[0]);
        String[] day = {"--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString()};
        assertThat(Cli.run(Cli.args("load", day)).code()).isZero();
        int published = new OutputReader(output, AUGUST_1).events().size();

        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(Cli.run(Cli.args("status", day)).code()).as("a file touched, not changed").isEqualTo(ExitCode.DONE);

        Files.write(file, realData);
        Cli.Result changed = Cli.run(Cli.args("status", day));
        assertThat(changed.code()).as(changed.out()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(changed.out()).containsPattern("partition +outdated +published by run \\S+ from source files that have changed since \\(2 files, "
                + "[0-9,]+ bytes then, 2 files, [0-9,]+ bytes now\\); reload it \\(backfill --only-stale does\\)");

        Cli.Result backfill = Cli.run("backfill", "--partition", CHANNEL, "--from", "2017-08-01", "--to", "2017-08-01", "--only-stale",
                "--source", source.toString(), "--output", output.toString());
        assertThat(backfill.out()).containsPattern("(?m)^2017-08-01 +loaded ");
        assertThat(new OutputReader(output, AUGUST_1).events()).hasSizeGreaterThan(published);
        assertThat(Cli.run(Cli.args("status", day)).code()).isEqualTo(ExitCode.DONE);

        // a file added changes the SQL that names the files as well: the source is the reason given
        RawFiles.write(source, AUGUST_1, "late.json", "{}");
        Cli.Result added = Cli.run(Cli.args("status", day));
        assertThat(added.code()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(added.out()).containsPattern("partition +outdated +published by run \\S+ from source files that have changed since \\(2 files, "
                + "[0-9,]+ bytes then, 3 files, [0-9,]+ bytes now\\)");

        // the day's folder emptied upstream: not a change to reload, but said
        try (Stream<Path> files = Files.list(RawFiles.folder(source, AUGUST_1))) {
            for (Path each : files.toList()) {
                Files.delete(each);
            }
        }
        assertThat(Cli.run(Cli.args("status", day)).out()).containsPattern("its source \\(2 files, [0-9,]+ bytes when published\\) is gone now: a load would find none");
    }

    /**
     * A day whose publication pointer was moved away (as its damage advises) is still a published
     * day: status says the pointer is missing, repair writes it again, and without it A6 still
     * refuses to empty the day, taking the published rows from the history.
     */
    @Test
    void aDayWhosePointerWasMovedAwayIsStillJudgedByWhatItPublished()
            throws Exception
    {
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        String[] day = loadedDay(source, output);
        Path pointer = output.resolve("_etl/published").resolve(AUGUST_1.hivePath() + ".json");
        Files.move(pointer, work.resolve("moved-away.json"));

        Cli.Result status = Cli.run(Cli.args("status", day));
        assertThat(status.out()).contains("its publication pointer " + pointer + " is missing: etl repair writes it again where every dataset is the published run's");

        // repair writes it again, as the run wrote it (the datasets are all the published run's)
        String moved = Files.readString(work.resolve("moved-away.json"));
        Cli.Result repair = Cli.run("repair", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(repair.out()).contains("wrote the publication pointer again for the published run, whose every dataset it is; it was missing");
        ObjectMapper json = new ObjectMapper();
        for (String field : List.of("run_id", "partition", "datasets", "rows")) {
            assertThat(json.readTree(Files.readString(pointer)).get(field)).as(field).isEqualTo(json.readTree(moved).get(field));
        }
        assertThat(Cli.run(Cli.args("status", day)).out()).doesNotContain("is missing");
        Files.move(pointer, work.resolve("moved-again.json"));

        try (Stream<Path> files = Files.list(RawFiles.folder(source, AUGUST_1))) {
            for (Path file : files.toList()) {
                Files.write(file, new byte[0]);
            }
        }
        Cli.Result emptied = Cli.run(Cli.args("load", day));
        assertThat(emptied.code()).as(emptied.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(emptied.err()).contains("A6__not_emptied");
        assertThat(new OutputReader(output, AUGUST_1).events()).isNotEmpty();
    }

    /**
     * A published day whose files are no longer its published run's is not current: a publication
     * pointer edited to name another run, a dataset's marker deleted (which a load then refuses),
     * a dataset's folder deleted. Each is named, and a day whose folder was deleted is reloaded by
     * backfill --only-stale.
     */
    @Test
    void aDayWhosePublishedFilesAreNotItsRunsIsNotCurrent()
            throws Exception
    {
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        String[] day = loadedDay(source, output);
        assertThat(Cli.run(Cli.args("status", day)).code()).isEqualTo(ExitCode.DONE);
        OutputReader reader = new OutputReader(output, AUGUST_1);

        Path pointer = output.resolve("_etl/published").resolve(AUGUST_1.hivePath() + ".json");
        String pointed = Files.readString(pointer);
        String runId = new ObjectMapper().readTree(pointed).get("run_id").asText();
        Files.writeString(pointer, pointed.replace(runId, "20170801_000000_00000000"));
        Cli.Result edited = Cli.run(Cli.args("status", day));
        assertThat(edited.code()).as(edited.out()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(edited.out()).contains("partition", "outdated", "published by run " + runId + ", but its publication pointer " + pointer
                + " names run 20170801_000000_00000000, not the published run: etl repair writes it again");
        // every dataset is the published run's: repair writes the pointer for it again, as the run wrote it, and the day is current
        Cli.Result mended = Cli.run("repair", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(mended.code()).as(mended.err()).isZero();
        assertThat(mended.out()).contains("wrote the publication pointer again for the published run, whose every dataset it is; it named run 20170801_000000_00000000");
        JsonNode before = new ObjectMapper().readTree(pointed);
        JsonNode after = new ObjectMapper().readTree(Files.readString(pointer));
        assertThat(after.get("run_id").asText()).isEqualTo(runId);
        assertThat(after.get("rows")).isEqualTo(before.get("rows"));
        assertThat(after.get("datasets")).isEqualTo(before.get("datasets"));
        assertThat(Cli.run(Cli.args("status", day)).code()).isEqualTo(ExitCode.DONE);
        assertThat(Cli.run("repair", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString()).out())
                .contains("nothing to repair");
        Files.writeString(pointer, pointed);

        Path marker = reader.folder("events").resolve("_etl_run");
        byte[] markerContent = Files.readAllBytes(marker);
        Files.delete(marker);
        Cli.Result unmarked = Cli.run(Cli.args("status", day));
        assertThat(unmarked.code()).as(unmarked.out()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(unmarked.out()).contains("events has lost its _etl_run marker (" + reader.folder("events") + "/)");
        Cli.Result refused = Cli.run(Cli.args("load", day));
        assertThat(refused.code()).as("the load refuses what status warns of").isEqualTo(ExitCode.REFUSED);
        assertThat(refused.err()).contains("that no run of etl published");
        Files.write(marker, markerContent);
        assertThat(Cli.run(Cli.args("status", day)).code()).isEqualTo(ExitCode.DONE);

        // a marker cut short: named as the marker (not as the history), and a reload replaces it
        Files.write(marker, Arrays.copyOf(markerContent, 5));
        Cli.Result damaged = Cli.run(Cli.args("status", day));
        assertThat(damaged.code()).as(damaged.out()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(damaged.out()).contains("the marker of events: " + marker + " is damaged: not the JSON the runner writes").doesNotContain("damaged (");
        assertThat(Cli.run(Cli.args("load", day)).code()).isZero();
        assertThat(Cli.run(Cli.args("status", day)).code()).isEqualTo(ExitCode.DONE);

        // a folder made where the marker goes: the same (it stopped status for the whole range, named as the history)
        Files.delete(marker);
        Files.createDirectories(marker.resolve("inside"));
        Cli.Result folder = Cli.run(Cli.args("status", day));
        assertThat(folder.code()).as(folder.out() + folder.err()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(folder.out()).contains("the marker of events: " + marker + " is damaged: it is a folder, not a file");
        // (with a file in it, that folder is a person's: a load refuses to delete it)
        Files.writeString(marker.resolve("inside").resolve("notes.txt"), "mine");
        Cli.Result kept = Cli.run(Cli.args("load", day));
        assertThat(kept.code()).as(kept.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(kept.err()).contains("that no run of etl published");
        assertThat(marker.resolve("inside").resolve("notes.txt")).hasContent("mine");
        Files.delete(marker.resolve("inside").resolve("notes.txt"));
        Cli.Result replaced = Cli.run(Cli.args("load", day));
        assertThat(replaced.code()).as(replaced.err()).isZero();
        assertThat(marker).isRegularFile();
        assertThat(Cli.run(Cli.args("status", day)).code()).isEqualTo(ExitCode.DONE);

        // and one that holds the JSON null (an internal error before)
        Files.writeString(marker, "null");
        Cli.Result nulled = Cli.run(Cli.args("status", day));
        assertThat(nulled.code()).as(nulled.out() + nulled.err()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(nulled.out()).contains("the marker of events: " + marker + " is damaged: not the JSON the runner writes (it holds null, not a RunMarker)");
        assertThat(Cli.run(Cli.args("load", day)).code()).isZero();

        // a dataset emptied of its data files, its marker kept (a delete of *.parquet on S3, say)
        try (Stream<Path> files = Files.list(reader.folder("event_details"))) {
            for (Path file : files.filter(file -> file.toString().endsWith(".parquet")).toList()) {
                Files.delete(file);
            }
        }
        Cli.Result emptied = Cli.run(Cli.args("status", day));
        assertThat(emptied.code()).as(emptied.out()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(emptied.out()).containsPattern("event_details holds other files than its run published \\([0-9,]+ files?, [0-9,]+ bytes then, 0 files, 0 bytes now");
        assertThat(Cli.run(Cli.args("load", day)).code()).isZero();

        // a data file cut to nothing (a disk that filled, a copy that failed), another file left beside the data
        Path parquet;
        try (Stream<Path> files = Files.list(reader.folder("dau"))) {
            parquet = files.filter(file -> file.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        Files.write(parquet, new byte[0]);
        assertThat(Cli.run(Cli.args("status", day)).out()).containsPattern("dau holds other files than its run published \\(1 file, [0-9,]+ bytes then, 1 file, 0 bytes now");
        // show says what is wrong with it, in one line: no Parquet (it was read as JSON, "malformed
        // JSON", for want of Parquet's magic bytes), and not as its run published it (the user's to mend: exit 2)
        Cli.Result unreadable = Cli.run("show", "dau", "--partition", AUGUST_1.hivePath(), "--output", output.toString());
        assertThat(unreadable.code()).isEqualTo(ExitCode.REFUSED);
        assertThat(unreadable.err().strip()).startsWith("etl: cannot read dau under ").doesNotContain("JSON").doesNotContain("\n")
                .containsPattern("holds other files than run \\S+ published \\(rewritten since: data.parquet\\)");
        assertThat(Cli.run(Cli.args("load", day)).code()).isZero();
        Files.writeString(reader.folder("dau").resolve("backup.parquet.old"), "left by hand");
        assertThat(Cli.run(Cli.args("status", day)).out()).containsPattern("dau holds other files than its run published \\(1 file, [0-9,]+ bytes then, 2 files, ")
                .contains("; move the files added since (backup.parquet.old) elsewhere first: a load deletes no file that no run published");
        // the reload that status advised deleted it with the folder: no run's file to delete
        Cli.Result addedRefused = Cli.run(Cli.args("load", day));
        assertThat(addedRefused.code()).as(addedRefused.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(addedRefused.err()).contains(reader.folder("dau") + "/ holds 1 file that run ").contains(" did not publish there (backup.parquet.old)");
        assertThat(reader.folder("dau").resolve("backup.parquet.old")).hasContent("left by hand");
        Files.delete(reader.folder("dau").resolve("backup.parquet.old"));
        assertThat(Cli.run(Cli.args("status", day)).code()).isEqualTo(ExitCode.DONE);

        try (Stream<Path> files = Files.walk(reader.folder("dau"))) {
            for (Path each : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
        Cli.Result deleted = Cli.run(Cli.args("status", day));
        assertThat(deleted.code()).as(deleted.out()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(deleted.out()).contains("dau is gone from " + reader.folder("dau") + "/; reload it (backfill --only-stale does)");
        Cli.Result shown = Cli.run("show", "dau", "--partition", AUGUST_1.hivePath(), "--output", output.toString());
        assertThat(shown.code()).as("show does not say the run wrote none").isEqualTo(ExitCode.REFUSED);
        assertThat(shown.err()).containsPattern("no dau rows under " + java.util.regex.Pattern.quote(reader.folder("dau") + "/") + ", though run \\S+ published [0-9,]+:");
        Cli.Result backfill = Cli.run("backfill", "--partition", CHANNEL, "--from", "2017-08-01", "--to", "2017-08-01", "--only-stale",
                "--source", source.toString(), "--output", output.toString());
        assertThat(backfill.out()).containsPattern("(?m)^2017-08-01 +loaded ");
        assertThat(reader.dau()).isNotEmpty();
        assertThat(Cli.run(Cli.args("status", day)).code()).isEqualTo(ExitCode.DONE);

        // the published run's record moved away (as a damaged record's message advises): not "nothing was published"
        String reloaded = new ObjectMapper().readTree(Files.readString(pointer)).get("run_id").asText();
        Path history = output.resolve("_etl/history").resolve(AUGUST_1.hivePath());
        try (Stream<Path> records = Files.list(history)) {
            for (Path record : records.filter(file -> file.getFileName().toString().endsWith(reloaded + "__run.json")).toList()) {
                Files.move(record, work.resolve(record.getFileName()));
            }
        }
        String note = "its publication pointer " + pointer + " names run " + reloaded
                + ", which the history does not record as published (a record moved away?): its datasets are what readers see";
        Cli.Result unrecorded = Cli.run(Cli.args("status", day));
        assertThat(unrecorded.code()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(unrecorded.out()).containsPattern("partition +outdated +" + java.util.regex.Pattern.quote(note));
        // repair marks the run without a record looked at; the day stays flagged, and the pointer (which is right) is not called wrong
        assertThat(Cli.run(Cli.args("repair", day)).code()).isZero();
        Cli.Result repaired = Cli.run(Cli.args("status", day));
        assertThat(repaired.code()).as(repaired.out()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(repaired.out()).containsPattern("partition +outdated +" + java.util.regex.Pattern.quote(note)).doesNotContain("move it away");
    }

    /**
     * A misspelt channel (or brand, tracker) would make every day "no source" and both status and a
     * scheduled backfill green while nothing loads: refused, naming what the source holds. A day
     * whose whole source is gone stays current with a note, which a status without --source (no
     * source to compare) leaves out.
     */
    @Test
    void aChannelTheSourceDoesNotHoldIsRefused()
            throws Exception
    {
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, AUGUST_1, 1_000);
        String misspelt = CHANNEL.replace("android", "andriod");
        for (String command : List.of("status", "backfill")) {
            Cli.Result refused = Cli.run(command, "--partition", misspelt, "--from", "2017-08-01", "--to", "2017-08-02",
                    "--source", source.toString(), "--output", output.toString());
            assertThat(refused.code()).as(command + ": " + refused.err()).isEqualTo(ExitCode.REFUSED);
            assertThat(refused.err().strip()).isEqualTo("etl: --source " + source + " has no folder olx/hydra/andriod for " + misspelt
                    + " (olx/hydra holds android), so no day has source data there; check the partition's brand, tracker and channel");
        }
        Cli.Result load = Cli.run("load", "--partition", misspelt + "/year=2017/month=08/day=01", "--source", source.toString(), "--output", output.toString());
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(load.err().strip()).isEqualTo("etl: --source " + source + " has no folder olx/hydra/andriod for " + misspelt
                + " (olx/hydra holds android), so no day has source data there; check the partition's brand, tracker and channel");
        Cli.Result brand = Cli.run("status", "--partition", misspelt.replace("olx", "olz") + "/year=2017/month=08/day=01", "--source", source.toString(),
                "--output", output.toString());
        assertThat(brand.err()).contains("has no folder olz for brand=olz/tracker=hydra/channel=andriod (it holds olx)");
        // the day's own folder given as --source: said to be a folder inside the tree
        Path dayFolder = source.resolve(AUGUST_1.sourcePath());
        Cli.Result deep = Cli.run("load", "--partition", AUGUST_1.hivePath(), "--source", dayFolder.toString(), "--output", output.toString());
        assertThat(deep.code()).as(deep.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(deep.err().strip()).isEqualTo("etl: --source " + dayFolder + " has no folder olx for " + CHANNEL
                + ", so no day has source data there; it looks like a folder inside the source tree: give --source the folder that holds olx/");
        assertThat(output).doesNotExist();

        // a range of the wrong year: every day "no source", as days not landed yet, so the years there are said (exit 0 all the same)
        for (String command : List.of("status", "backfill")) {
            Cli.Result wrongYear = Cli.run(command, "--partition", CHANNEL, "--from", "2071-08-01", "--to", "2071-08-02",
                    "--source", source.toString(), "--output", output.toString());
            assertThat(wrongYear.code()).as(command + ": " + wrongYear.err()).isEqualTo(ExitCode.DONE);
            assertThat(wrongYear.out()).as(command).contains("no day of the range has source data: " + source.resolve("olx/hydra/android")
                    + "/ holds the year 2017 only; check --from and --to");
        }
        Cli.Result landedLater = Cli.run("status", "--partition", CHANNEL, "--from", "2017-09-01", "--to", "2017-09-02",
                "--source", source.toString(), "--output", output.toString());
        assertThat(landedLater.out()).as("a year the source holds: days not landed yet").doesNotContain("no day of the range");

        String[] day = {"--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString()};
        assertThat(Cli.run(Cli.args("load", day)).code()).isZero();
        try (Stream<Path> files = Files.list(RawFiles.folder(source, AUGUST_1))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Cli.Result gone = Cli.run(Cli.args("status", day));
        assertThat(gone.code()).as("a source gone (retention upstream) leaves the day current").isEqualTo(ExitCode.DONE);
        assertThat(gone.out()).contains("is gone now: a load would find none");
        Cli.Result withoutSource = Cli.run("status", "--partition", AUGUST_1.hivePath(), "--output", output.toString());
        assertThat(withoutSource.code()).isEqualTo(ExitCode.DONE);
        assertThat(withoutSource.out()).doesNotContain("is gone now").contains("note: no --source given, and the default data/sample does not exist");
        // a day never published, without a source to look in, may have data: not "no source" and exit 0, as it was
        Samples.day(source, AUGUST_1.withDay(AUGUST_1.day().plusDays(1)), 100);
        Cli.Result neverLoaded = Cli.run("status", "--partition", CHANNEL, "--from", "2017-08-01", "--to", "2017-08-02", "--output", output.toString());
        assertThat(neverLoaded.code()).as(neverLoaded.err()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(neverLoaded.out()).containsPattern("(?m)^2017-08-01 +partition +current")
                .containsPattern("(?m)^2017-08-02 +partition +pending +never published; whether it has source data was not checked \\(no --source\\)$")
                .contains("1 of 2 partitions current");
    }

    /** Loads a sample of August 1 from {@code source} into {@code output}; returns the flags that name the day for every command. */
    private static String[] loadedDay(Path source, Path output)
            throws IOException
    {
        Samples.day(source, AUGUST_1, 3_000);
        String[] day = {"--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString()};
        Cli.Result load = Cli.run(Cli.args("load", day));
        assertThat(load.code()).as(load.err()).isZero();
        return day;
    }

    @Test
    void validateFindsAGapThatNoHistoryExplains()
            throws Exception
    {
        Path home = Loads.copyOfProject(work);
        Files.move(home.resolve("sql/V4__events.sql"), home.resolve("sql/V99__events.sql"));
        Cli.Result validate = Cli.runIn(home, "validate");
        assertThat(validate.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(validate.out()).contains("version 4 is missing");
        assertThat(Cli.runIn(Loads.copyOfProject(work), "validate").code()).isZero();
    }

    /** A section left open: validate said "7 steps well formed", exit 0, where render and load refused the file. */
    @Test
    void validateFindsAStepNoRunCouldRender()
            throws Exception
    {
        Path home = Loads.copyOfProject(work);
        Path step = home.resolve("sql/V5__dau.sql");
        String sql = Files.readString(step);
        assertThat(sql).contains("{{/duckdb}}");
        Files.writeString(step, sql.replace("{{/duckdb}}", ""));
        Cli.Result validate = Cli.runIn(home, "validate");
        assertThat(validate.code()).as(validate.out()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(validate.out()).contains("V5__dau.sql: cannot render: ").doesNotContain("well formed");
        Cli.Result status = Cli.runIn(home, "status", "--partition", AUGUST_1.hivePath(), "--source", work.toString(), "--output", work.resolve("output").toString());
        assertThat(status.code()).as(status.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(status.err()).contains("V5__dau.sql: cannot render: ");
    }

    @Test
    void backfillLoadsGoodDaysSkipsMissingOnesAndReportsTheBadOne()
            throws Exception
    {
        Path home = Loads.home();
        Path source = work.resolve("source");
        for (int day : new int[] {1, 3, 4}) {
            Samples.day(source, AUGUST_1.withDay(AUGUST_1.day().withDayOfMonth(day)), 4_000);
        }
        // day 3 is bad: a third of its lines are not JSON objects
        Partition august3 = AUGUST_1.withDay(AUGUST_1.day().withDayOfMonth(3));
        List<String> garbage = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            garbage.add("<html>" + i);
        }
        RawFiles.write(source, august3, "garbage.json", garbage.toArray(String[]::new));

        Path stopping = work.resolve("stopping");
        Cli.Result stop = Cli.runIn(home, "backfill", "--partition", CHANNEL, "--from", "2017-08-01", "--to", "2017-08-04",
                "--source", source.toString(), "--output", stopping.toString());
        assertThat(stop.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(stop.out()).containsPattern("2017-08-01 +loaded").containsPattern("2017-08-02 +no source ")
                .containsPattern("2017-08-03 +failed .*above --max-reject-ratio").containsPattern("2017-08-04 +not run ");
        // stderr ends with one line, as every failing command's does
        assertThat(Cli.lastLine(stop.err())).isEqualTo("etl: 1 of 4 days failed, 1 not run: their lines say why; rerun with --only-stale once they are mended");

        Path serial = work.resolve("serial");
        Cli.Result goOn = Cli.runIn(home, "backfill", "--partition", CHANNEL, "--from", "2017-08-01", "--to", "2017-08-04",
                "--source", source.toString(), "--output", serial.toString(), "--continue-on-error");
        assertThat(goOn.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(goOn.out()).containsPattern("2017-08-04 +loaded").contains("2 loaded, 0 current, 1 without source, 1 failed");
        assertThat(goOn.err()).contains("4/4 days");
        assertThat(Cli.lastLine(goOn.err())).isEqualTo("etl: 1 of 4 days failed: their lines say why; rerun with --only-stale once they are mended");

        Path parallel = work.resolve("parallel");
        Cli.runIn(home, "backfill", "--partition", CHANNEL, "--from", "2017-08-01", "--to", "2017-08-04",
                "--source", source.toString(), "--output", parallel.toString(), "--continue-on-error", "--parallel", "2");
        for (int day : new int[] {1, 4}) {
            Partition partition = AUGUST_1.withDay(AUGUST_1.day().withDayOfMonth(day));
            OutputReader serialOutput = new OutputReader(serial, partition);
            OutputReader parallelOutput = new OutputReader(parallel, partition);
            assertThat(parallelOutput.dau()).isNotEmpty().isEqualTo(serialOutput.dau());
            assertThat(parallelOutput.events()).isEqualTo(serialOutput.events());
        }

        // only the stale day runs again; the current ones are left alone, byte for byte
        Map<String, String> before = FolderSnapshot.of(serial.resolve("events"));
        Cli.Result stale = Cli.runIn(home, "backfill", "--partition", CHANNEL, "--from", "2017-08-01", "--to", "2017-08-04",
                "--source", source.toString(), "--output", serial.toString(), "--continue-on-error", "--only-stale", "--max-reject-ratio", "0.5");
        assertThat(stale.out()).containsPattern("2017-08-01 +current").containsPattern("2017-08-03 +loaded").containsPattern("2017-08-04 +current");
        Map<String, String> after = FolderSnapshot.of(serial.resolve("events"));
        before.forEach((file, content) -> assertThat(after).containsEntry(file, content));
    }

    @Test
    void aSourceFolderWithoutDataIsNoSourceAndOneThatCannotBeReadIsAnError()
            throws Exception
    {
        Path home = Loads.home();
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, AUGUST_1, 2_000);
        // day 2's folder exists (made before its files landed) and holds only what is never data
        Partition august2 = AUGUST_1.withDay(AUGUST_1.day().plusDays(1));
        Path empty = RawFiles.folder(source, august2);
        Files.createDirectories(empty.resolve("nested"));
        Files.writeString(empty.resolve("_SUCCESS"), "");

        // status, load and backfill agree: nothing to load, and not an alert
        Cli.Result status = Cli.runIn(home, "status", "--partition", august2.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.DONE);
        assertThat(status.out()).containsPattern("partition +no source +no source data");
        Cli.Result load = Cli.runIn(home, "load", "--partition", august2.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(load.code()).isEqualTo(ExitCode.REFUSED);
        assertThat(load.err()).contains("has no data files");
        Cli.Result backfill = Cli.runIn(home, "backfill", "--partition", CHANNEL, "--from", "2017-08-01", "--to", "2017-08-02",
                "--source", source.toString(), "--output", output.toString());
        assertThat(backfill.code()).as(backfill.out()).isEqualTo(ExitCode.DONE);
        assertThat(backfill.out()).containsPattern("2017-08-01 +loaded").containsPattern("2017-08-02 +no source .*no source data in ");

        // a --source that is a file is said to be one, not taken for a missing day
        Path file = Files.writeString(work.resolve("source.txt"), "not a folder");
        Cli.Result loadOfFile = Cli.runIn(home, "load", "--partition", AUGUST_1.hivePath(), "--source", file.toString(), "--output", output.toString());
        assertThat(loadOfFile.code()).as(loadOfFile.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(loadOfFile.err()).isEqualTo("etl: --source " + file + " is a file, not a folder; give the folder that holds brand/tracker/channel/yyyy/mm/dd/\n");
        // status and backfill look at the root first, for every day alike; a root that is missing (a typo, a
        // share not mounted) or empty (the mount point of a mount that dropped) would make every day
        // "no source" and keep them green: refused too
        Path missing = work.resolve("no-such-root");
        Path mountPoint = Files.createDirectories(work.resolve("empty-mount-point"));
        for (Path root : List.of(file, missing, mountPoint)) {
            String said = root.equals(file) ? "--source " + file + " is a file, not a folder"
                    : root.equals(mountPoint) ? "--source " + mountPoint + " is an empty folder, so no day has source data there"
                    : "--source " + missing + " does not exist, so no day has source data there";
            Cli.Result statusOfRoot = Cli.runIn(home, "status", "--partition", CHANNEL, "--from", "2017-08-01", "--to", "2017-08-02",
                    "--source", root.toString(), "--output", output.toString());
            assertThat(statusOfRoot.code()).as(statusOfRoot.out()).isEqualTo(ExitCode.REFUSED);
            assertThat(statusOfRoot.err()).contains(said).hasLineCount(1);
            Cli.Result backfillOfRoot = Cli.runIn(home, "backfill", "--partition", CHANNEL, "--from", "2017-08-01", "--to", "2017-08-01",
                    "--source", root.toString(), "--output", output.toString());
            assertThat(backfillOfRoot.code()).as(backfillOfRoot.out()).isEqualTo(ExitCode.REFUSED);
            assertThat(backfillOfRoot.err()).contains(said).hasLineCount(1);
        }
        assertThat(missing).doesNotExist();
    }

    @Test
    void aSourceFolderThatCannotBeEnteredIsNotAMissingOne()
            throws Exception
    {
        Path home = Loads.home();
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, AUGUST_1, 2_000);
        // a folder above the day that may not be entered: the day is not "no source" (root enters every folder)
        Path month = RawFiles.folder(source, AUGUST_1).getParent();
        Files.setPosixFilePermissions(month, Set.of());
        try {
            Assumptions.assumeFalse(Files.isReadable(month), "running as root: every folder can be entered");
            Cli.Result denied = Cli.runIn(home, "status", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
            assertThat(denied.code()).isEqualTo(ExitCode.REFUSED);
            assertThat(denied.err()).contains("permission denied");
        }
        finally {
            Files.setPosixFilePermissions(month, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aRunThatFailsBeforeItsFirstStepShowsInStatus()
            throws Exception
    {
        Path home = Loads.home();
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, AUGUST_1, 2_000);
        String[] where = {"--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString()};
        assertThat(Cli.runIn(home, Cli.args("load", where)).code()).isZero();
        Map<String, String> published = FolderSnapshot.of(output.resolve("events"));

        // the next run cannot make its staging area: it fails at its start, before any step
        Files.delete(output.resolve("_staging"));
        Files.writeString(output.resolve("_staging"), "in the way");
        Cli.Result load = Cli.runIn(home, Cli.args("load", where));
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.STEP_FAILED);
        String failure = load.err().lines().reduce((first, second) -> second).orElseThrow();
        assertThat(failure).contains("_staging").contains("published data is unchanged")
                // nothing was staged, so no folder to look in is named
                .doesNotContain("staged outputs are kept");
        assertThat(FolderSnapshot.of(output.resolve("events"))).isEqualTo(published);

        Cli.Result status = Cli.runIn(home, Cli.args("status", where));
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(status.out()).containsPattern("partition +failed +run \\S+ failed before its first step: ").contains("is intact");
    }

    private static List<String> states(JsonNode partitions, String day)
    {
        List<String> states = new ArrayList<>();
        partitions.forEach(partition -> {
            if (partition.get("partition").asText().endsWith(day)) {
                partition.get("steps").forEach(step -> states.add(step.get("state").asText()));
            }
        });
        return states;
    }
}
