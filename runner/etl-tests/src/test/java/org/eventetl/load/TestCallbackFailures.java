package org.eventetl.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.cli.ExitCode;
import org.eventetl.partition.Partition;
import org.eventetl.testing.Cli;
import org.eventetl.testing.EtlProcess;
import org.eventetl.testing.Loads;
import org.eventetl.testing.Published;
import org.eventetl.testing.Samples;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An afterPublish callback that fails (a notification service that is down; on Trino and Athena,
 * a metastore that refuses a partition) fails the run after every dataset was swapped in: the load,
 * status and repair say so, and name the callback as what to fix, not a publish that mixed two runs.
 */
final class TestCallbackFailures
{
    private static final Partition DAY = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09");
    private static final String FAILING = """
            -- Tells a service that the day is published; the service is down.
            {{#duckdb}}
            SELECT CASE WHEN true THEN error('notify service down') END;
            {{/duckdb}}
            """;

    @TempDir
    Path work;

    @Test
    void aFailingAfterPublishCallbackLeavesEveryDatasetNewAndSaysWhatIsLeft()
            throws IOException
    {
        Path home = Loads.copyOfProject(work);
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, DAY, 500);
        String[] where = {"--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()};
        Cli.Result first = Cli.runIn(home, Cli.args("load", where));
        assertThat(first.code()).as(first.err()).isEqualTo(ExitCode.DONE);
        String before = Published.publishedBy(output, "dau", DAY);

        Path callback = home.resolve("sql/afterPublish__notify.sql");
        Files.writeString(callback, FAILING);
        Cli.Result load = Cli.runIn(home, Cli.args("load", where));

        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.STEP_FAILED);
        String run = Published.publishedBy(output, "dau", DAY);
        assertThat(run).isNotEqualTo(before);
        for (String dataset : Loads.pipeline().scripts().datasets()) {
            assertThat(Published.publishedBy(output, dataset, DAY)).as(dataset).isEqualTo(run);
        }
        assertThat(load.err().strip().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("etl: run " + run + " replaced every dataset of " + DAY + ", but its afterPublish callback failed: sql/afterPublish__notify.sql")
                .contains("notify service down")
                .endsWith("fix that, then run etl repair (or rerun the load), which runs the callbacks again");

        Cli.Result status = Cli.runIn(home, Cli.args("status", where));
        assertThat(status.code()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(status.out()).contains("run " + run + " replaced every dataset, but its publish did not finish: its afterPublish callbacks are left")
                .contains("failed in afterPublish").doesNotContain("mix two runs");
        // the report's datasets are the new run's, and it says what is left of its publish
        Cli.Result report = Cli.runIn(home, "report", "--partition", DAY.hivePath(), "--output", output.toString());
        assertThat(report.code()).as(report.err()).isEqualTo(ExitCode.DONE);
        assertThat(report.err()).contains("are run " + run + "'s, which replaced every dataset of the day, but whose publish did not finish")
                .doesNotContain("earlier run");
        Cli.Result json = Cli.runIn(home, Cli.args("status", Cli.args("--json", where)));
        assertThat(json.out()).as("the failed run had begun its publish").contains("\"publish_started\" : true");

        Cli.Result stillFailing = Cli.runIn(home, Cli.args("repair", where));
        assertThat(stillFailing.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(stillFailing.err()).startsWith("etl: run " + run + " replaced every dataset of " + DAY + ", but its afterPublish callback failed: ")
                .contains("notify service down").contains("fix that, then run etl repair again");
        // repair runs no step: a day whose source is gone (or not given) still gets its callbacks, never a publish marked finished without them
        Path noSource = Files.createDirectories(work.resolve("no-source"));
        Cli.Result withoutSource = Cli.runIn(home, "repair", "--partition", DAY.hivePath(), "--source", noSource.toString(), "--output", output.toString());
        assertThat(withoutSource.code()).as(withoutSource.out()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(withoutSource.err()).contains("notify service down");
        // a rerun meets the same callback when it finishes that publish: it says so, not "tidying failed"
        Cli.Result rerun = Cli.runIn(home, Cli.args("load", where));
        assertThat(rerun.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(rerun.err().strip().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("etl: run " + run + " replaced every dataset of " + DAY + ", but its afterPublish callback failed: ")
                .endsWith("; this run published nothing: fix that, then rerun the load (or run etl repair)");

        Files.writeString(callback, FAILING.replace("WHEN true", "WHEN false"));
        Cli.Result repaired = Cli.runIn(home, Cli.args("repair", where));
        assertThat(repaired.code()).as(repaired.err()).isEqualTo(ExitCode.DONE);
        Cli.Result current = Cli.runIn(home, Cli.args("status", where));
        assertThat(current.code()).as(current.out()).isEqualTo(ExitCode.DONE);
        assertThat(current.out()).containsPattern("partition +current +published by run " + run);
    }

    /**
     * An afterRun callback tidies the engine; its failure fails no run, but is a warning of its own,
     * not a progress line. The run's record stays in its staging, so that the next load or repair
     * runs the callback for it again: on Trino and Athena its staged tables would stay otherwise.
     */
    @Test
    void aFailingAfterRunCallbackIsAWarningAndRunsAgainLater()
            throws IOException
    {
        Path home = Loads.copyOfProject(work);
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, DAY, 200);
        Path ran = Files.createDirectories(work.resolve("ran"));
        Path down = Files.createFile(work.resolve("down"));
        writeCleanup(home, down, ran);
        String[] where = {"--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()};

        Cli.Result load = Cli.runIn(home, Cli.args("load", where));

        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(load.err().lines()).anySatisfy(line -> assertThat(line)
                .startsWith("etl: warning: afterRun callback failed: sql/afterRun__cleanup.sql").contains("cleanup service down")
                .contains("the run's outcome stands").endsWith("its run record is kept, so that the next load of the day or etl repair runs the callback again"));
        assertThat(load.out()).startsWith("Published " + DAY);
        String run = Published.publishedBy(output, "dau", DAY);
        assertThat(stagedFiles(output)).as("the published run's staged data is gone, its record kept").containsExactly(run + "/_run.json");
        Cli.Result status = Cli.runIn(home, Cli.args("status", where));
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.DONE);
        assertThat(status.out()).containsPattern("partition +current +published by run " + run)
                .contains("the afterRun callbacks of run " + run + " have not run to their end").doesNotContain("the staging of published run");

        // a backfill keeps a day's progress to its bar, but not its warnings
        String channel = DAY.hivePath().substring(0, DAY.hivePath().indexOf("/year="));
        Cli.Result backfill = Cli.runIn(home, "backfill", "--partition", channel, "--from", DAY.day().toString(), "--to", DAY.day().toString(),
                "--source", source.toString(), "--output", output.toString());
        assertThat(backfill.code()).as(backfill.err()).isEqualTo(ExitCode.DONE);
        assertThat(backfill.out()).containsPattern(DAY.day() + " +loaded +[0-9.]+ +[0-9.]+ +2  afterRun callback of run " + run + " \\(a dead run's");
        String second = Published.publishedBy(output, "dau", DAY);
        assertThat(ran).as("failing, the callback ran for no run").isEmptyDirectory();

        Files.delete(down);
        Cli.Result repair = Cli.runIn(home, Cli.args("repair", where));
        assertThat(repair.code()).as(repair.err()).isEqualTo(ExitCode.DONE);
        assertThat(ran.resolve(run + ".csv")).as("repair ran the first run's callback").exists();
        assertThat(ran.resolve(second + ".csv")).as("and the second's").exists();
        assertThat(output.resolve("_staging")).isEmptyDirectory();
        Cli.Result next = Cli.runIn(home, Cli.args("load", where));
        assertThat(next.code()).as(next.err()).isEqualTo(ExitCode.DONE);
        assertThat(next.err()).doesNotContain("afterRun callback");
        String third = Published.publishedBy(output, "dau", DAY);
        assertThat(ran.resolve(third + ".csv")).as("a run that succeeds runs its own").exists();
        assertThat(output.resolve("_staging")).as("and leaves no record behind").isEmptyDirectory();
    }

    /**
     * A run killed with kill -9 never runs its afterRun callbacks (on Trino and Athena they drop its
     * staged tables): the next load runs them for it. When they fail there, that load removes the
     * dead run's staged data but keeps its run record, so the load after runs them again; without
     * the record nothing would, and the tables would stay in the users' schema for good.
     */
    @Test
    void aDeadRunsAfterRunThatFailsIsRunAgainByTheNextLoad()
            throws Exception
    {
        Path home = Loads.copyOfProject(work);
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, DAY, 200);
        Path ran = Files.createDirectories(work.resolve("ran"));
        Path down = work.resolve("down");
        writeCleanup(home, down, ran);
        String[] where = {"--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()};

        EtlProcess killed = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", "step V4__events", "ETL_TEST_RESUME_FILE", work.resolve("never").toString()),
                List.of(Cli.args("load", where)));
        killed.awaitErr("etl: paused at step V4__events");
        killed.kill();
        String dead;
        try (Stream<Path> staged = Files.list(output.resolve("_staging"))) {
            dead = staged.map(folder -> folder.getFileName().toString()).findFirst().orElseThrow();
        }

        Files.createFile(down);
        Cli.Result failing = Cli.runIn(home, Cli.args("load", where));
        assertThat(failing.code()).as(failing.err()).isEqualTo(ExitCode.DONE);
        assertThat(failing.err().lines()).anySatisfy(line -> assertThat(line)
                .startsWith("etl: warning: afterRun callback of run " + dead + " (a dead run's, run for it) failed: sql/afterRun__cleanup.sql")
                .contains("cleanup service down").contains("its run record is kept"));
        String failedToTidy = Published.publishedBy(output, "dau", DAY);
        assertThat(stagedFiles(output)).as("the dead run's staged data is gone, its record kept, and so is the record of the run whose own callback failed")
                .containsExactlyInAnyOrder(dead + "/_run.json", failedToTidy + "/_run.json");
        assertThat(ran).isEmptyDirectory();
        Cli.Result status = Cli.runIn(home, Cli.args("status", where));
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.DONE);
        assertThat(status.out()).contains("the afterRun callbacks of run " + dead + " have not run to their end")
                .doesNotContain("the staging of published run");

        Files.delete(down);
        Cli.Result next = Cli.runIn(home, Cli.args("load", where));
        assertThat(next.code()).as(next.err()).isEqualTo(ExitCode.DONE);
        assertThat(next.err()).doesNotContain("afterRun callback");
        assertThat(ran.resolve(dead + ".csv")).as("the dead run's callback ran at last").exists();
        assertThat(ran.resolve(failedToTidy + ".csv")).as("and that of the run whose own callback failed").exists();
        assertThat(output.resolve("_staging")).isEmptyDirectory();
    }

    /** An afterRun callback whose work is a file per run it ran for (under {@code ran}); it fails while the file {@code down} exists. */
    private static void writeCleanup(Path home, Path down, Path ran)
            throws IOException
    {
        Files.writeString(home.resolve("sql/afterRun__cleanup.sql"), """
                -- Tidies what a run made; the service that does it is down while %1$s exists.
                {{#duckdb}}
                SELECT CASE WHEN (SELECT count(*) FROM glob('%1$s')) > 0 THEN error('cleanup service down') END;
                COPY (SELECT '{{run_id}}' AS run) TO '%2$s/{{run_id}}.csv';
                {{/duckdb}}
                """.formatted(down, ran));
    }

    /** The files under the output's staging folder, relative to it. */
    private static List<String> stagedFiles(Path output)
            throws IOException
    {
        try (Stream<Path> left = Files.walk(output.resolve("_staging"))) {
            return left.filter(Files::isRegularFile).map(file -> output.resolve("_staging").relativize(file).toString()).toList();
        }
    }
}
