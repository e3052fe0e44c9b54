package org.eventetl.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.eventetl.cli.ExitCode;
import org.eventetl.history.HistoryStore;
import org.eventetl.history.PartitionHistory;
import org.eventetl.history.PublicationStore;
import org.eventetl.history.RunRecord;
import org.eventetl.lease.LocalLeaseStore;
import org.eventetl.model.Json;
import org.eventetl.partition.Partition;
import org.eventetl.storage.LocalFolders;
import org.eventetl.storage.LocalStorage;
import org.eventetl.storage.Location;
import org.eventetl.testing.Cli;
import org.eventetl.testing.EtlProcess;
import org.eventetl.testing.Loads;
import org.eventetl.testing.Published;
import org.eventetl.testing.RawFiles;
import org.eventetl.testing.Samples;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A load killed (kill -9) at every moment of its life, and one stalled past its lease, on local
 * folders. After each: every published dataset is readable and is exactly the previous good run's
 * or exactly the new run's; status says what happened and exits 3 until a run completes; and the
 * next run, after repair or at once (the killed run's process is gone), publishes what a clean run
 * publishes.
 * <p>
 * The killed run is a real process stopped at a named pause point (see PausePoints) where one
 * exists, so that every phase is hit every time; a kill in the middle of a step's write is timed.
 */
final class TestRunFailures
{
    private static final Partition DAY = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09");

    @TempDir
    Path work;

    private Path source;
    private Path output;
    private Map<String, Map<String, String>> oldFiles;
    private Map<String, List<List<String>>> oldRows;
    private Map<String, List<List<String>>> newRows;

    /**
     * The previous good run over the day's source, then late files in the source (the new run's
     * outputs differ), and what a clean run over the new source publishes, in an output of its own.
     */
    @BeforeEach
    void publishAGoodRunThenChangeTheSource()
            throws Exception
    {
        source = work.resolve("source");
        output = work.resolve("output");
        Samples.day(source, DAY, 20_000);
        assertThat(load(output).code()).isZero();
        oldFiles = Published.files(output, DAY);
        oldRows = Published.rows(output, DAY);
        RawFiles.write(source, DAY, "late.json",
                "{\"meta\":{\"session_long\":\"late-1\",\"date\":\"2017-08-09T23:59:00Z\"},\"params\":{\"cc\":\"gh\",\"long\":-0.2,\"lat\":5.6}}",
                "{\"meta\":{\"session_long\":\"late-2\"},\"params\":{\"cc\":\"za\"}}",
                "late garbage");
        Path clean = work.resolve("clean");
        assertThat(load(clean).code()).isZero();
        newRows = Published.rows(clean, DAY);
        assertThat(newRows).isNotEqualTo(oldRows);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "source ready",
            "step V2__event_details",
            "statement V3__rejects 1",
            "step V4__events",
            "statement V7__location_grid 1",
            "audit A1__events_match_event_details",
            "audit A6__not_emptied",
            "publish event_details",
            "published rejects",
            "publish dau",
            "published location_grid",
            "pointer",
            "afterPublish",
            "recorded"})
    void killedAt(String point)
            throws Exception
    {
        EtlProcess run = start(point, "600");
        run.awaitErr("etl: paused at " + point);
        if (!point.equals("recorded")) {
            // while it waits there, status sees it, also before its first record (source ready)
            Cli.Result during = status();
            assertThat(during.out()).as(point).containsPattern("partition +running +run \\S+ ");
        }
        run.kill();

        // what a reader sees: each dataset whole, the old run's or the new one's
        boolean publishing = point.startsWith("publish") || point.equals("pointer") || point.equals("afterPublish");
        assertEachDatasetOldOrNew(publishing || point.equals("recorded"));

        Cli.Result status = status();
        if (point.equals("recorded")) {
            // the run recorded its publish before it died: only its staging area is left, and status says so
            assertThat(status.code()).as(status.out()).isZero();
            assertThat(status.out()).contains(" is left (a copy of the data it replaced): etl repair or the next load of the day removes it");
        }
        else {
            assertThat(status.code()).as(status.out()).isEqualTo(3);
            assertThat(status.out()).containsPattern("partition +interrupted +run \\S+ ended without a record")
                    // (killed before its first step, its staging holds its record alone: not a run whose callbacks failed)
                    .doesNotContain("have not run to their end");
            if (point.equals("afterPublish")) {
                // its pointer was written: every dataset is its own, and only the callbacks are left
                assertThat(status.out()).contains("once it had replaced every dataset").contains("its afterPublish callbacks are left").doesNotContain("mix");
            }
            else if (publishing) {
                // what the datasets' markers say it replaced (a pause at "publish X" is before X's swap), not
                // "may mix", and nothing of S3 on a local disk
                String replaced = switch (point) {
                    case "publish event_details" -> "it had replaced no dataset yet, so the published data is as it was before it";
                    case "published rejects" -> "it had replaced 2 of its 6 datasets (event_details, rejects), the others are the earlier run's";
                    case "publish dau" -> "it had replaced 3 of its 6 datasets (event_details, rejects, events), the others are the earlier run's";
                    default -> "it had replaced every dataset (event_details, rejects, events, dau, hourly_activity, location_grid)";
                };
                assertThat(status.out()).contains("while publishing: " + replaced).doesNotContain("may mix").doesNotContain("on S3");
            }
            else {
                assertThat(status.out()).contains("is intact");
            }
        }

        // half the cases repair first; the others rerun at once: the dead run's process is gone from
        // this host, so its lease is taken over without waiting for it to expire
        if (point.hashCode() % 2 == 0) {
            Cli.Result repair = Cli.run("repair", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
            assertThat(repair.code()).as(repair.err()).isZero();
            // killed, not failed: it recorded no failure (the repair marks it resolved, which is no failure of its own)
            assertThat(repair.out()).doesNotContain(", which failed");
            if (publishing) {
                assertThat(repair.out()).contains("finished the publish of run");
                assertThat(Published.rows(output, DAY)).isEqualTo(newRows);
                // the publish that repair finished keeps the killed run's source: a file grown since shows
                Path late = source.resolve(DAY.sourcePath()).resolve("late.json");
                byte[] lines = Files.readAllBytes(late);
                Files.writeString(late, "\n", java.nio.file.StandardOpenOption.APPEND);
                Cli.Result grown = status();
                assertThat(grown.code()).as(grown.out()).isEqualTo(3);
                assertThat(grown.out()).contains("from source files that have changed since");
                Files.write(late, lines);
            }
        }
        Cli.Result rerun = load(output);
        assertThat(rerun.code()).as(rerun.err()).isZero();
        if (publishing && point.hashCode() % 2 != 0) {
            // the rerun changed published data before its own steps ran: it says so
            assertThat(rerun.err()).contains("> finished the publish of run ").contains("which was cut short");
        }
        assertThat(Published.rows(output, DAY)).isEqualTo(newRows);
        Cli.Result tidied = status();
        assertThat(tidied.code()).isZero();
        assertThat(tidied.out()).doesNotContain("is left");
        assertThat(output.resolve("_staging")).isEmptyDirectory();
    }

    /** A kill while a step writes its staged file: the half-written file is never published. */
    @Test
    void killedWhileAStepWrites()
            throws Exception
    {
        Files.delete(source.resolve("olx/hydra/android/2017/08/09/late.json"));
        Samples.day(source, DAY, 300_000);
        EtlProcess run = start("", "3");
        run.awaitErr("V2__event_details");
        Thread.sleep(300);
        run.kill();

        assertEachDatasetOldOrNew(false);
        assertThat(Published.files(output, DAY)).isEqualTo(oldFiles);
        assertThat(status().code()).isEqualTo(3);
        Thread.sleep(3_500);
        assertThat(load(output).code()).isZero();
        assertThat(status().code()).isZero();
    }

    /**
     * A source file appended to or cut while the steps read it (here after V2 read it and before V3
     * did) published a day whose events and rejects came from two versions of the file, with exit
     * 0. The run lists the source again once its steps and audits are done, and publishes nothing
     * when it changed; once the source is still, a rerun publishes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"appended", "cut"})
    void aSourceChangedWhileTheStepsReadItIsNotPublished(String change)
            throws Exception
    {
        Path resume = work.resolve("resume");
        EtlProcess run = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", "step V3__rejects", "ETL_TEST_RESUME_FILE", resume.toString()),
                List.of("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()));
        run.awaitErr("etl: paused at step V3__rejects");
        Path late = RawFiles.folder(source, DAY).resolve("late.json");
        long before = Files.size(late);
        if (change.equals("appended")) {
            Files.writeString(late, "more garbage\n", StandardOpenOption.APPEND);
        }
        else {
            Files.write(late, Files.readAllLines(late).subList(0, 1));
        }
        Files.writeString(resume, "go");
        EtlProcess.Finished failed = run.await();

        assertThat(failed.code()).as(failed.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(failed.err()).containsPattern("the source changed while the steps read it \\(\\d+ files, [\\d,]+ bytes when the load began, \\d+ files, [\\d,]+ bytes now\\)")
                .contains("; published data is unchanged;");
        assertThat(Published.files(output, DAY)).as("the earlier run's day, untouched").isEqualTo(oldFiles);
        assertThat(Files.size(late)).isNotEqualTo(before);
        Cli.Result status = status();
        assertThat(status.code()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(status.out()).contains("failed in publish preparation: the source changed while the steps read it");
        assertThat(load(output).code()).isZero();
        assertThat(status().code()).isZero();
    }

    /**
     * A scheduled backfill that meets a day another live run is loading leaves it to that run (not a
     * failure), and goes on with the other days.
     */
    @Test
    void aBackfillLeavesADayThatAnotherRunIsLoadingAndGoesOn()
            throws Exception
    {
        Partition next = DAY.withDay(DAY.day().plusDays(1));
        Samples.day(source, next, 1_000);
        Path resume = work.resolve("resume");
        EtlProcess running = loadPausedInV4(resume);

        Cli.Result backfill = Cli.run("backfill", "--partition", "brand=olx/tracker=hydra/channel=android", "--from", "2017-08-09", "--to", "2017-08-10",
                "--only-stale", "--source", source.toString(), "--output", output.toString());
        Files.writeString(resume, "go");
        assertThat(running.await().code()).isZero();

        assertThat(backfill.code()).as(backfill.out() + backfill.err()).isZero();
        assertThat(backfill.out()).containsPattern("(?m)^2017-08-09 +running +\\S+ +0\\.0 .*is being loaded by run ")
                .containsPattern("(?m)^2017-08-10 +loaded ")
                .contains("2 days: 1 loaded, 0 current, 0 without source, 0 failed, 0 not run, 1 being loaded by another run");
        assertThat(status().code()).as("the held day was published by the run that held it").isZero();
    }

    /**
     * A repair of a range that meets a day a live run is loading leaves it to that run, as backfill
     * does, and repairs the others: it ended with exit 2, "refused", after it had repaired them.
     */
    @Test
    void aRepairOfARangeLeavesADayThatAnotherRunIsLoading()
            throws Exception
    {
        Path resume = work.resolve("resume");
        EtlProcess running = loadPausedInV4(resume);

        Cli.Result repair = Cli.run("repair", "--partition", "brand=olx/tracker=hydra/channel=android", "--from", "2017-08-08", "--to", "2017-08-10",
                "--source", source.toString(), "--output", output.toString());
        Files.writeString(resume, "go");
        assertThat(running.await().code()).isZero();

        assertThat(repair.code()).as(repair.out() + repair.err()).isZero();
        assertThat(repair.out()).contains("2017-08-08: nothing to repair").contains("2017-08-10: nothing to repair")
                .containsPattern("(?m)^2017-08-09: left to the run that holds it: " + Pattern.quote(DAY.hivePath()) + " is held by a live run: run \\S+ on ");
        assertThat(repair.err()).isEmpty();
        assertThat(status().code()).as("the held day was published by the run that held it").isZero();
    }

    /**
     * Two backfills of one range with --only-stale: the one that found a day stale but took its lease
     * only after the other had published it loads it no second time.
     */
    @Test
    void aBackfillOfStaleDaysLeavesADayPublishedMeanwhile()
            throws Exception
    {
        Path resume = work.resolve("resume");
        EtlProcess backfill = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", "lease", "ETL_TEST_RESUME_FILE", resume.toString()),
                List.of("backfill", "--partition", "brand=olx/tracker=hydra/channel=android", "--from", "2017-08-09", "--to", "2017-08-09",
                        "--only-stale", "--source", source.toString(), "--output", output.toString()));
        backfill.awaitErr("etl: paused at lease");
        assertThat(load(output).code()).isZero();
        Set<String> published = runIds(new HistoryStore(new LocalStorage(), Location.local(output)).read(DAY));
        Files.writeString(resume, "go");
        EtlProcess.Finished finished = backfill.await();

        assertThat(finished.code()).as(finished.err()).isZero();
        // (its table is on stdout, which the process drops; the progress line names each day's outcome)
        assertThat(finished.err()).contains("1/1 days").contains("(2017-08-09 current)");
        assertThat(runIds(new HistoryStore(new LocalStorage(), Location.local(output)).read(DAY))).isEqualTo(published);
        assertThat(status().code()).isZero();
    }

    /**
     * A repair that comes to the partition's lease only after a load has finished the cut publish it
     * found (and published its own run) marks nothing as looked at: it reads the status under the lease.
     */
    @Test
    void aRepairDecidesUnderTheLease()
            throws Exception
    {
        EtlProcess killed = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", "publish events"),
                List.of("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()));
        killed.awaitErr("etl: paused at publish events");
        killed.kill();

        Path resume = work.resolve("resume-repair");
        EtlProcess repair = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", "lease", "ETL_TEST_RESUME_FILE", resume.toString()),
                List.of("repair", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()));
        repair.awaitErr("etl: paused at lease");
        assertThat(load(output).code()).as("the load finishes the cut publish, then publishes its own run").isZero();
        Files.writeString(resume, "go");
        EtlProcess.Finished repaired = repair.await();

        assertThat(repaired.code()).as(repaired.err()).isZero();
        PartitionHistory history = new HistoryStore(new LocalStorage(), Location.local(output)).read(DAY);
        assertThat(history.runs()).noneMatch(run -> run.outcome() == RunRecord.Outcome.RESOLVED);
        assertThat(status().code()).isZero();
    }

    /**
     * A publish cut short whose staged files were since deleted (by hand, or a lifecycle rule on the
     * staging prefix) cannot be finished: repair swapped an empty dau over the good one and said it
     * had finished. It refuses now, changing nothing; a load leaves it, says so, and publishes its own.
     */
    @Test
    void aCutPublishWhoseStagedFilesAreGoneIsNotFinished()
            throws Exception
    {
        Path deadStaging = killedThenStagedDauDeleted("published event_details");
        Map<String, Map<String, String>> before = Published.files(output, DAY);
        // status tells who can finish it, in one line that does not contradict itself
        assertThat(status().out()).contains("run " + deadStaging.getFileName() + " ended without a record (").contains(" while publishing: ")
                .contains("its publish cannot be finished: the staged files of dau").contains("etl repair refuses it, and a load of the day replaces every dataset")
                .doesNotContain("etl repair finishes");

        Cli.Result repair = Cli.run("repair", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(repair.code()).as(repair.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(repair.err()).contains("cannot finish the publish of run ").contains("the staged files of dau of run ")
                .contains("no published dataset was changed: load the day again, whose publish replaces every dataset");
        assertThat(Published.files(output, DAY)).as("repair changed no published dataset").isEqualTo(before);
        assertThat(Published.rows(output, DAY).get("dau")).isEqualTo(oldRows.get("dau"));

        Cli.Result rerun = load(output);
        assertThat(rerun.code()).as(rerun.err()).isZero();
        assertThat(rerun.err()).contains("etl: warning: the publish of run ").contains("cannot be finished").contains("this run's publish replaces every dataset");
        assertThat(Published.rows(output, DAY)).isEqualTo(newRows);
        assertThat(status().code()).isZero();
    }

    /**
     * The same on S3, where a cut dataset is left without its marker (markers are copied last; here the
     * published marker deleted by hand stands for that): a load that left the unfinishable publish and
     * then failed removed its manifest, so the next load refused the marker-less folder as foreign
     * files. The manifest stays until a load has published its own run.
     */
    @Test
    void anUnfinishablePublishIsKeptUntilALoadPublishes()
            throws Exception
    {
        Path deadStaging = killedThenStagedDauDeleted("publish events");
        Files.delete(Published.prefix(output, "events", DAY).resolve("_etl_run"));

        Cli.Result failed = Cli.run("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(), "--max-reject-ratio", "0");
        assertThat(failed.code()).as(failed.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(failed.err()).contains("etl: warning: the publish of run " + deadStaging.getFileName() + ", cut short, cannot be finished: ");
        assertThat(deadStaging.resolve("_publish.json")).as("the dead run's manifest").exists();
        Cli.Result told = status();
        assertThat(told.out()).contains("the publish of run " + deadStaging.getFileName() + " was interrupted").contains("; its publish cannot be finished: ")
                .contains("etl repair refuses it, and a load of the day replaces every dataset").doesNotContain("etl repair finishes");

        Cli.Result rerun = load(output);
        assertThat(rerun.code()).as(rerun.err()).isZero();
        assertThat(Published.rows(output, DAY)).isEqualTo(newRows);
        assertThat(deadStaging).as("removed once the load published").doesNotExist();
        assertThat(status().code()).isZero();
    }

    /**
     * A load that is finishing a dead run's cut publish (before its own first record) was shown as
     * "loading it now; the published data is intact", though the datasets then mix two runs.
     */
    @Test
    void aLoadFinishingACutPublishIsNotSaidToLeaveTheDataIntact()
            throws Exception
    {
        killAt("published event_details");
        Path resume = work.resolve("resume-roll-forward");
        EtlProcess finishing = pausedAt("load", "published rejects", resume);
        Cli.Result during = status();
        assertThat(during.out()).contains("while publishing").doesNotContain("is intact");
        Files.writeString(resume, "go");
        EtlProcess.Finished finished = finishing.await();
        assertThat(finished.code()).as(finished.err()).isZero();
        assertThat(Published.rows(output, DAY)).isEqualTo(newRows);
    }

    /**
     * A lease that cannot be given back at the end (an object store gone away; here a folder where
     * the lock file was) replaced how the run ended: a published day exited 1 with "cannot release
     * the lease", and a failed run's own message was lost. It is a warning now.
     */
    @Test
    void aLeaseThatCannotBeGivenBackIsAWarning()
            throws Exception
    {
        Path lock = output.resolve("_etl/locks").resolve(DAY.hivePath() + ".lock");
        // (at "record", the lease that cannot be read any more is checked once more after the record:
        // a warning too, where it failed a run that had published and recorded it)
        for (String point : List.of("record", "recorded", "step V2__event_details")) {
            Path resume = work.resolve("resume-" + point.hashCode());
            EtlProcess running = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", point, "ETL_TEST_RESUME_FILE", resume.toString()),
                    List.of("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()));
            running.awaitErr("etl: paused at " + point);
            Files.delete(lock);
            Files.createDirectories(lock.resolve("in-the-way"));
            Path late = source.resolve(DAY.sourcePath()).resolve("late.json");
            byte[] lateLines = Files.readAllBytes(late);
            boolean published = point.startsWith("record");
            if (!published) {
                // and the run fails: a listed file gone when V2 reads it
                Files.delete(late);
            }
            Files.writeString(resume, "go");
            EtlProcess.Finished finished = running.await();
            assertThat(finished.err()).as(point).contains("etl: warning: cannot release the lease " + lock).contains("the run's outcome stands");
            if (published) {
                assertThat(finished.code()).as(finished.err()).isZero();
                assertThat(Published.rows(output, DAY)).isEqualTo(newRows);
            }
            if (point.equals("record")) {
                assertThat(finished.err()).contains("etl: warning: cannot read the lease on " + DAY + " to prove once more, after its record, that this run still held it");
            }
            if (!published) {
                assertThat(finished.code()).as(finished.err()).isEqualTo(ExitCode.STEP_FAILED);
                assertThat(Cli.lastLine(finished.err())).as("the run's own failure is the last line").contains("V2__event_details").doesNotContain("lease");
                Files.write(late, lateLines);
            }
            Files.delete(lock.resolve("in-the-way"));
            Files.delete(lock);
            if (published) {
                assertThat(status().code()).as(point + ": " + status().out()).isZero();
            }
        }
    }

    /** The same for repair: what it did (a cut publish finished) stands, with the warning, exit 0. */
    @Test
    void aRepairsLeaseThatCannotBeGivenBackIsAWarning()
            throws Exception
    {
        killAt("published event_details");
        Path lock = output.resolve("_etl/locks").resolve(DAY.hivePath() + ".lock");
        Path resume = work.resolve("resume-repair");
        EtlProcess repair = pausedAt("repair", "repaired", resume);
        Files.delete(lock);
        Files.createDirectories(lock.resolve("in-the-way"));
        Files.writeString(resume, "go");
        EtlProcess.Finished finished = repair.await();
        assertThat(finished.code()).as(finished.err()).isZero();
        assertThat(finished.err()).contains("etl: warning: ").contains(lock.toString()).contains("what the repair did stands");
        assertThat(output.resolve("_staging")).as("the dead run's staging removed").isEmptyDirectory();
        assertThat(Published.rows(output, DAY)).isEqualTo(newRows);
        Files.delete(lock.resolve("in-the-way"));
        Files.delete(lock);
        assertThat(status().code()).as("the publish is recorded as finished").isZero();
    }

    /**
     * A repair that holds the day is said as a repair: status said "run … is loading it now", and a
     * load was refused as "being loaded by run …", a run that no history records.
     */
    @Test
    void aRepairThatHoldsTheDayIsSaidAsARepair()
            throws Exception
    {
        killAt("published event_details");
        Path resume = work.resolve("resume-repair");
        EtlProcess repair = pausedAt("repair", "repaired", resume);

        Cli.Result status = status();
        assertThat(status.code()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(status.out()).containsPattern("partition +running +etl repair \\S+ on \\S+ \\(pid \\d+\\), until \\S+ holds it now: it finishes what earlier runs left")
                .doesNotContain("is loading it now");
        Cli.Result load = load(output);
        assertThat(load.code()).isEqualTo(ExitCode.REFUSED);
        assertThat(load.err()).contains(DAY.hivePath() + " is being repaired by etl repair ");
        Files.writeString(resume, "go");
        assertThat(repair.await().code()).isZero();
        assertThat(status().code()).isZero();
    }

    /** A load that takes the day while a repair is about to: the repair is refused as held, and never told to run repair. */
    @Test
    void aRepairThatALoadForestallsIsRefusedAsHeld()
            throws Exception
    {
        Path resumeRepair = work.resolve("resume-repair");
        EtlProcess repair = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", "lease", "ETL_TEST_RESUME_FILE", resumeRepair.toString()),
                List.of("repair", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()));
        repair.awaitErr("etl: paused at lease");
        Path resumeLoad = work.resolve("resume-load");
        EtlProcess running = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", "step V2__event_details", "ETL_TEST_RESUME_FILE", resumeLoad.toString()),
                List.of("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()));
        running.awaitErr("etl: paused at step V2__event_details");
        Files.writeString(resumeRepair, "go");
        EtlProcess.Finished refused = repair.await();
        Files.writeString(resumeLoad, "go");
        assertThat(running.await().code()).isZero();

        assertThat(refused.code()).as(refused.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(refused.err()).contains(DAY + " is held by a live run: run ").doesNotContain("etl repair");
    }

    private static Set<String> runIds(PartitionHistory history)
    {
        return history.runs().stream().map(RunRecord::runId).collect(Collectors.toSet());
    }

    /**
     * A small source file (read whole, by read_blob) that is gone once the load listed it: read_blob
     * passes over a missing file without a word, so V2 counts what it read, and the day is never
     * published short.
     */
    @Test
    void aSmallSourceFileGoneAfterTheListingStopsTheLoad()
            throws Exception
    {
        Partition small = DAY.withDay(DAY.day().plusDays(2));
        Samples.day(source, small, 3_000);
        List<Path> files = RawFiles.dataFiles(source, small);
        assertThat(files).hasSize(2).allSatisfy(file -> assertThat(Files.size(file)).isLessThan(1024 * 1024));
        assertThat(whileV2Waits(small, () -> Files.delete(files.get(1))))
                .contains("the source folder changed while it was read: 2 small files listed, 1 there now; rerun the load");
        assertThat(output.resolve("event_details").resolve(small.hivePath())).doesNotExist();
    }

    /**
     * A day of 1,000 files or more is read through one glob: a file removed or landed while V2 read
     * stops the load, and so do both at once (the same number of files, not the same names), and a day that stayed as listed loads, its V3 skipped when V2 wrote every line
     * (the glob's count is a listing, no rows of data).
     */
    @Test
    void aDayOfManyFilesThatChangesWhileItIsReadStopsTheLoad()
            throws Exception
    {
        Partition many = DAY.withDay(DAY.day().plusDays(3));
        for (int i = 0; i < 1_000; i++) {
            // upper and lower case, so that the runner's hash of the names sorts them as DuckDB does
            RawFiles.write(source, many, (i % 2 == 0 ? "part-" : "Part-") + i + ".json", "{\"meta\":{\"session_long\":\"d" + i + "\"},\"params\":{\"cc\":\"gh\"}}");
        }
        Path folder = RawFiles.folder(source, many);
        assertThat(whileV2Waits(many, () -> Files.delete(folder.resolve("Part-7.json"))))
                .contains("the source folder changed while it was read: 1000 files listed, 999 there now; rerun the load");
        RawFiles.write(source, many, "Part-7.json", "{\"meta\":{\"session_long\":\"d7\"},\"params\":{\"cc\":\"gh\"}}");
        assertThat(whileV2Waits(many, () -> RawFiles.write(source, many, "part-late.json", "{}")))
                .contains("the source folder changed while it was read: 1000 files listed, 1001 there now; rerun the load");
        Files.delete(folder.resolve("part-late.json"));
        assertThat(whileV2Waits(many, () -> {
            Files.delete(folder.resolve("part-8.json"));
            RawFiles.write(source, many, "part-late.json", "{}");
        })).contains("the source folder changed while it was read: as many files there now as the 1000 listed, but not the same ones; rerun the load");
        assertThat(output.resolve("event_details").resolve(many.hivePath())).doesNotExist();
        Files.delete(folder.resolve("part-late.json"));
        RawFiles.write(source, many, "part-8.json", "{\"meta\":{\"session_long\":\"d8\"},\"params\":{\"cc\":\"gh\"}}");

        LoadResult loaded = Loads.load(many, source, output, 0);
        assertThat(loaded.steps()).filteredOn(step -> step.step().step().id().equals("V3__rejects")).singleElement()
                .satisfies(step -> assertThat(step.skipped()).isTrue());
        assertThat(Published.rows(output, many).get("events")).hasSize(1_000);
    }

    private interface SourceChange
    {
        void make()
                throws IOException;
    }

    /** Loads the day, changes its source while the run waits before V2, and returns the failed run's stderr. */
    private String whileV2Waits(Partition day, SourceChange change)
            throws Exception
    {
        Path resume = work.resolve("resume-" + System.nanoTime());
        EtlProcess running = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", "step V2__event_details", "ETL_TEST_RESUME_FILE", resume.toString()),
                List.of("load", "--partition", day.hivePath(), "--source", source.toString(), "--output", output.toString()));
        running.awaitErr("etl: paused at step V2__event_details");
        change.make();
        Files.writeString(resume, "go");
        EtlProcess.Finished finished = running.await();
        assertThat(finished.code()).as(finished.err()).isEqualTo(ExitCode.STEP_FAILED);
        // "…; rerun the load; published data is unchanged; fix the cause and rerun" said it twice
        assertThat(finished.err()).contains("; rerun the load; published data is unchanged").doesNotContain("fix the cause and rerun");
        return finished.err();
    }

    /** While a live run publishes, status says what readers see: datasets being replaced, then every one replaced and the callbacks running. */
    @Test
    void statusTellsAPublishUnderWayFromALoadUnderWay()
            throws Exception
    {
        assertThat(load(output).code()).isZero();
        for (Map.Entry<String, String> point : Map.of(
                "step V4__events", "is loading it now; the published data (run ",
                "publish events", "is publishing now: the published datasets are being replaced by its own, one by one, and may mix two runs until it ends;"
                        + " so far it has replaced 2 of its 6 datasets (event_details, rejects)",
                "afterPublish", "has replaced every dataset and is running its afterPublish callbacks").entrySet()) {
            Path resume = work.resolve("resume-" + point.getKey().replace(' ', '-'));
            EtlProcess running = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", point.getKey(), "ETL_TEST_RESUME_FILE", resume.toString()),
                    List.of("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()));
            running.awaitErr("etl: paused at " + point.getKey());
            Cli.Result status = status();
            JsonNode publish = unfinishedPublish();
            Files.writeString(resume, "go");
            assertThat(running.await().code()).isZero();

            assertThat(status.out()).as(point.getKey()).containsPattern("partition +running +run \\S+ " + Pattern.quote(point.getValue()));
            if (point.getKey().equals("publish events")) {
                // the same in fields, for a scheduler that should not parse the detail
                assertThat(publish.get("replaced").toString()).isEqualTo("[\"event_details\",\"rejects\"]");
                assertThat(publish.get("datasets").size()).isEqualTo(6);
                assertThat(publish.get("under_way").asBoolean()).isTrue();
                assertThat(publish.get("mixes_runs").asBoolean()).isTrue();
                assertThat(publish.get("can_be_finished").asBoolean()).isTrue();
            }
            else if (point.getKey().equals("afterPublish")) {
                // every dataset its own, its callbacks left: under way still, and no mix
                assertThat(publish.get("replaced").size()).isEqualTo(6);
                assertThat(publish.get("under_way").asBoolean()).isTrue();
                assertThat(publish.get("mixes_runs").asBoolean()).isFalse();
            }
            else {
                assertThat(publish.isNull()).as(point.getKey()).isTrue();
            }
        }
        // killed there: no longer under way, and still a mix that repair or a rerun finishes
        killAt("publish events");
        JsonNode killed = unfinishedPublish();
        assertThat(killed.get("under_way").asBoolean()).isFalse();
        assertThat(killed.get("mixes_runs").asBoolean()).isTrue();
        assertThat(killed.get("can_be_finished").asBoolean()).isTrue();
        assertThat(killed.get("why_it_cannot").isNull()).isTrue();
    }

    /** The unfinished_publish field of status --json for the day. */
    private JsonNode unfinishedPublish()
            throws IOException
    {
        Cli.Result json = Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(), "--json");
        return Json.MAPPER.readTree(json.out()).get("partitions").get(0).get("unfinished_publish");
    }

    /**
     * A run stalled past its lease in its publish: before a swap, between its last check of the
     * lease and the swap (woken, it finds the staged files gone: the holder moved them in; it said
     * "publishes nothing", and recorded a failure after the holder had recorded its publish
     * finished), between two swaps, before its pointer, or before its callbacks. The run that takes the day over finishes the stalled publish
     * and replaces it; the stalled run, woken, replaces nothing, names itself in no pointer, records
     * nothing over how its publish ended, and leaves nothing in the staging area that the holder
     * removed (it wrote the next dataset's marker there before its fence, and so made that
     * staging area again, which no one would then remove, as it holds no run record; stalled
     * between that fence and the marker, it still writes the marker, and removes it once it finds
     * its lease lost and its run record gone).
     */
    @ParameterizedTest
    @ValueSource(strings = {"marker events", "publish events", "swap events", "published events", "pointer", "afterPublish"})
    void aRunStalledPastItsLeaseReplacesNothing(String point)
            throws Exception
    {
        TakenOver takenOver = wokenAfterATakeOver(point);
        Map<String, Map<String, String>> holderFiles = takenOver.holderFiles();
        EtlProcess.Finished woken = takenOver.woken();
        assertThat(woken.code()).as(woken.err()).isEqualTo(1);
        Matcher lost = Pattern.compile("etl: run (\\S+) lost its lease on " + Pattern.quote(DAY.hivePath()) + " while it published \\(it stalled past the lease").matcher(woken.err());
        assertThat(lost.find()).as(woken.err()).isTrue();
        String stalledRun = lost.group(1);

        assertThat(Published.files(output, DAY)).isEqualTo(holderFiles);
        assertThat(Published.rows(output, DAY)).isEqualTo(newRows);
        PartitionHistory history = new HistoryStore(new LocalStorage(), Location.local(output)).read(DAY);
        String holderRun = history.published().orElseThrow().runId();
        assertThat(holderRun).isNotEqualTo(stalledRun);
        assertThat(new PublicationStore(new LocalStorage(), Location.local(output)).read(DAY).orElseThrow().runId()).isEqualTo(holderRun);
        // the holder finished the stalled publish and recorded it so: the stalled run adds no failure to that
        assertThat(history.ends(stalledRun)).extracting(RunRecord::outcome).containsExactly(RunRecord.Outcome.PUBLISHED);
        Cli.Result status = status();
        assertThat(status.code()).as(status.out()).isZero();
        assertThat(status.out()).contains("published by run " + holderRun);
        assertThat(output.resolve("_staging")).as("the staging areas after both runs").isEmptyDirectory();
    }

    /**
     * A run stalled past its lease between its last check of the lease and its record of the
     * publish: the run that took the day over has published its own datasets by the time it wakes,
     * and it records itself as published after it. It printed "Published" and exited 0; then it
     * checked its lease once more and failed saying it lost it, but its record stayed, the latest,
     * so status named it as published over the taker's datasets (and blamed the pointer), repair
     * found nothing to do, and report drew the taker's rows under its name. It now withdraws that
     * record: the history names the taker, as the datasets and the pointer do.
     */
    @Test
    void aRunStalledBeforeItsRecordDoesNotSayItPublished()
            throws Exception
    {
        TakenOver takenOver = wokenAfterATakeOver("record");
        Map<String, Map<String, String>> holderFiles = takenOver.holderFiles();
        EtlProcess.Finished woken = takenOver.woken();
        assertThat(woken.code()).as(woken.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(woken.err()).containsPattern("etl: run \\S+ lost its lease on " + Pattern.quote(DAY.hivePath()) + " while it published \\(it stalled past the lease")
                .doesNotContain("Published");
        assertThat(woken.out()).doesNotContain("Published");
        assertThat(Published.files(output, DAY)).isEqualTo(holderFiles);

        PartitionHistory history = new HistoryStore(new LocalStorage(), Location.local(output)).read(DAY);
        String holderRun = new PublicationStore(new LocalStorage(), Location.local(output)).read(DAY).orElseThrow().runId();
        assertThat(history.published().orElseThrow().runId()).isEqualTo(holderRun);
        Matcher lost = Pattern.compile("etl: run (\\S+) lost its lease").matcher(woken.err());
        assertThat(lost.find()).as(woken.err()).isTrue();
        String stalledRun = lost.group(1);
        assertThat(stalledRun).isNotEqualTo(holderRun);
        // the holder finished the stalled run's publish and recorded it so: that record stays, the stalled run's own is gone
        assertThat(history.ends(stalledRun)).hasSize(1);
        Cli.Result status = status();
        assertThat(status.code()).as(status.out()).isZero();
        assertThat(status.out()).contains("published by run " + holderRun).doesNotContain("pointer");
    }

    /**
     * A run stopped (SIGSTOP) in the middle of a change to its lease, past the lease's end: a renewal
     * between reading the lock and writing it, a release between reading it and deleting it. Another
     * run waits for that change to end, and is refused once it has waited 10 s; the stopped run, woken,
     * publishes. Before, the other run took the day over and removed the stopped run's staging; the
     * woken renewal wrote its lease over the taker's, and its publish swapped in what was left of its
     * staging: every dataset empty, and status said current. A woken release deleted the lock of the
     * run that held the day then.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lease renewal", "lease release"})
    void aRunStoppedWhileItChangesItsLeaseKeepsIt(String point)
            throws Exception
    {
        Path resume = work.resolve("resume");
        EtlProcess stopped = stoppedPastItsLease(point, resume);

        Cli.Result other = load(output);
        assertThat(other.code()).as(other.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(other.err()).contains("is being changed by another process that has not finished in 10 s");
        // status says it too, where it said nothing while every writer of the day was refused
        assertThat(status().out()).contains("is being changed by another process that has not finished in 500 ms")
                .contains("every load, backfill and repair of the day waits 10 s for it, then refuses");
        if (point.equals("lease renewal")) {
            // a backfill left the day to the stopped run as "being loaded by another run", exit 0: a
            // scheduler saw success every night while a stopped process may never finish the day
            String day = DAY.day().toString();
            Cli.Result backfill = Cli.run("backfill", "--partition", DAY.hivePath().substring(0, DAY.hivePath().indexOf("/year=")), "--from", day, "--to", day,
                    "--source", source.toString(), "--output", output.toString());
            assertThat(backfill.code()).as(backfill.out() + backfill.err()).isEqualTo(ExitCode.STEP_FAILED);
            assertThat(backfill.out()).containsPattern("(?m)^" + day + " +failed .*is being changed by another process that has not finished in 10 s")
                    .contains("1 day: 0 loaded, 0 current, 0 without source, 1 failed, 0 not run\n");
        }

        Files.writeString(resume, "go");
        stopped.signal("CONT");
        EtlProcess.Finished woken = stopped.await();
        assertThat(woken.code()).as(woken.err()).isZero();
        assertThat(Published.rows(output, DAY)).isEqualTo(newRows);
        Cli.Result status = status();
        assertThat(status.code()).as(status.out()).isZero();
        assertThat(status.out()).doesNotContain("is being changed");
        assertThat(output.resolve("_staging")).as("the staging areas after both runs").isEmptyDirectory();
        assertThat(new LocalLeaseStore(Location.local(output), Clock.systemUTC()).holder(DAY)).isEmpty();
    }

    /**
     * A run stalled past its lease before a step: the run that takes the day over removes its staging
     * as a dead run's, the woken step writes its target folder again before it fails, and the stalled
     * run removes that, since no run record is left there by which anyone else could.
     */
    @Test
    void aRunStalledPastItsLeaseInAStepLeavesNoStaging()
            throws Exception
    {
        EtlProcess.Finished woken = wokenAfterATakeOver("step V4__events").woken();
        assertThat(woken.code()).as(woken.err()).isEqualTo(1);
        assertThat(woken.err()).contains("lease lost");
        assertThat(output.resolve("_staging")).isEmptyDirectory();
        assertThat(Published.rows(output, DAY)).isEqualTo(newRows);
    }

    /**
     * A step that fails because the day was taken over while the run waited before it, when the
     * lease's renewer has not yet found out: the run says its lease was lost, not the step's SQL
     * error over the staging the taker removed ("No files found"), which CI once showed as the woken
     * run's failure when its step failed before the overdue renewer ran. Here the renewal is 200 s
     * away, and the test leaves what a taker that has finished leaves: the lock given back and the
     * run's staging removed.
     */
    @Test
    void aStepFailingOnAStagingRemovedByATakerSaysTheLeaseWasLost()
            throws Exception
    {
        Path resume = work.resolve("resume");
        EtlProcess run = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", "step V4__events", "ETL_TEST_RESUME_FILE", resume.toString()),
                List.of("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(), "--lease-seconds", "600"));
        run.awaitErr("etl: paused at step V4__events");
        Files.delete(new LocalLeaseStore(Location.local(output), Clock.systemUTC()).lockFile(DAY));
        try (Stream<Path> runs = Files.list(output.resolve("_staging"))) {
            for (Path staging : runs.toList()) {
                LocalFolders.deleteTree(staging);
            }
        }

        Files.writeString(resume, "go");
        EtlProcess.Finished failed = run.await();
        assertThat(failed.code()).as(failed.err()).isEqualTo(1);
        assertThat(failed.err()).contains("lease lost").doesNotContain("No files found");
        assertThat(output.resolve("_staging")).as("what the step wrote again before it failed").isEmptyDirectory();
        assertThat(Published.rows(output, DAY)).isEqualTo(oldRows);
        PartitionHistory history = new HistoryStore(new LocalStorage(), Location.local(output)).read(DAY);
        RunRecord last = history.runs().get(history.runs().size() - 1);
        assertThat(last.outcome()).isEqualTo(RunRecord.Outcome.FAILED);
        assertThat(last.message()).as("what status says of the run").contains("lease lost");
    }

    /**
     * A run stalled past its lease in a step, which repair then marks as looked at (resolved): woken,
     * it fails with "lease lost" and adds no second end to the history (it added "failed" after
     * repair's "resolved", where the history keeps one end per run).
     */
    @Test
    void aStalledRunThatRepairResolvedRecordsNoSecondEnd()
            throws Exception
    {
        Path resume = work.resolve("resume");
        EtlProcess stalled = stoppedPastItsLease("step V4__events", resume);
        Cli.Result repair = Cli.run("repair", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(repair.code()).as(repair.err()).isZero();
        PartitionHistory repaired = new HistoryStore(new LocalStorage(), Location.local(output)).read(DAY);
        List<RunRecord> resolved = repaired.runs().stream().filter(run -> run.outcome() == RunRecord.Outcome.RESOLVED).toList();
        assertThat(resolved).as(repair.out()).hasSize(1);
        String stalledRun = resolved.get(0).runId();

        Files.writeString(resume, "go");
        stalled.signal("CONT");
        EtlProcess.Finished woken = stalled.await();
        assertThat(woken.code()).as(woken.err()).isEqualTo(1);
        assertThat(woken.err()).contains("lease lost");
        PartitionHistory history = new HistoryStore(new LocalStorage(), Location.local(output)).read(DAY);
        assertThat(history.ends(stalledRun)).extracting(RunRecord::outcome).containsExactly(RunRecord.Outcome.RESOLVED);
    }

    /** A day killed while it published, whose source is then gone: backfill fails it, and load refuses it, with repair's advice, rather than pass it over as without source. */
    @Test
    void aHalfPublishedDayWhoseSourceIsGoneIsNoDayToPassOver()
            throws Exception
    {
        EtlProcess run = start("published events", "600");
        run.awaitErr("etl: paused at published events");
        run.kill();
        Cli.Result backfill = backfillWithoutTheSource();
        assertThat(backfill.code()).as(backfill.out()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(backfill.out()).containsPattern("(?m)^2017-08-09 +failed .*was cut short .*etl repair finishes it without the source");
        // a load of the day says so too, not only "check --source" (it said nothing of the cut publish)
        Cli.Result load = load(output);
        assertThat(load.code()).isEqualTo(ExitCode.REFUSED);
        assertThat(load.err()).matches("etl: source partition \\S+ does not exist; check --source and --partition; and the publish of run \\S+ was cut short"
                + " \\(the published datasets may mix two runs\\): etl repair finishes it without the source\\R");

        Cli.Result repair = Cli.run("repair", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(repair.code()).as(repair.err()).isZero();
        assertThat(repair.out()).contains("finished the publish of run");
        assertThat(Published.rows(output, DAY)).isEqualTo(newRows);
    }

    /**
     * Two cut publishes, the first of which cannot be finished: repair refuses both, so no line may
     * say that repair finishes the second; and a load running over them does not leave "the published
     * data intact" until its own publish.
     */
    @Test
    void aCutPublishBesideOneThatCannotBeFinishedIsLeftToALoad()
            throws Exception
    {
        Path first = killedThenStagedDauDeleted("published event_details");
        killAt("published event_details");
        Cli.Result told = status();
        assertThat(told.out()).contains("until a rerun of the load finishes its publish (etl repair refuses: the publish of run " + first.getFileName() + " cannot be finished: ")
                .doesNotContain("etl repair finishes");
        Cli.Result repair = Cli.run("repair", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(repair.code()).as(repair.err()).isEqualTo(ExitCode.STEP_FAILED);

        Path resume = work.resolve("resume-over-two");
        EtlProcess running = loadPausedInV4(resume);
        assertThat(status().out()).contains("is loading it now; the published datasets may mix two runs until its publish replaces every dataset")
                .doesNotContain("is intact");
        Files.writeString(resume, "go");
        EtlProcess.Finished finished = running.await();
        assertThat(finished.code()).as(finished.err()).isZero();
        assertThat(Published.rows(output, DAY)).isEqualTo(newRows);
        assertThat(first).as("removed once the load published").doesNotExist();
        assertThat(status().code()).isZero();
    }

    /** The same with the dead run's staged dau gone as well: repair cannot finish it, and backfill says so, not repair's advice. */
    @Test
    void aHalfPublishedDayWhoseSourceAndStagedFilesAreGoneIsNotLeftToRepair()
            throws Exception
    {
        Path deadStaging = killedThenStagedDauDeleted("published event_details");
        Cli.Result backfill = backfillWithoutTheSource();
        assertThat(backfill.code()).as(backfill.out()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(backfill.out()).containsPattern("(?m)^2017-08-09 +failed .*publish of run " + deadStaging.getFileName() + " was cut short .*the publish of run "
                        + deadStaging.getFileName() + " cannot be finished: the staged files of dau")
                .contains("etl repair refuses it, and a load of the day replaces every dataset (restore the day's source first)").doesNotContain("etl repair finishes");
        Cli.Result repair = Cli.run("repair", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(repair.code()).as(repair.err()).isEqualTo(ExitCode.STEP_FAILED);
    }

    /**
     * The same cut publish, then a later load killed in a step (which leaves it, as a load leaves a
     * publish it cannot finish): the latest attempt began no publish, but the published data still
     * mixes two runs, so backfill does not pass the day over as without source.
     */
    @Test
    void aCutPublishBehindALaterAttemptIsNoDayToPassOver()
            throws Exception
    {
        Path deadStaging = killedThenStagedDauDeleted("published event_details");
        killAt("step V4__events");
        assertThat(deadStaging).as("left by the later load").exists();
        Cli.Result backfill = backfillWithoutTheSource();
        assertThat(backfill.code()).as(backfill.out()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(backfill.out()).containsPattern("(?m)^2017-08-09 +failed .*publish of run " + deadStaging.getFileName() + " was cut short .*the publish of run "
                + deadStaging.getFileName() + " cannot be finished: the staged files of dau");
    }

    /** Deletes the day's source folder, then backfills the day. */
    private Cli.Result backfillWithoutTheSource()
            throws IOException
    {
        try (Stream<Path> files = Files.walk(RawFiles.folder(source, DAY))) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        return Cli.run("backfill", "--partition", "brand=olx/tracker=hydra/channel=android", "--from", "2017-08-09", "--to", "2017-08-09",
                "--source", source.toString(), "--output", output.toString());
    }

    private void assertEachDatasetOldOrNew(boolean mayBeNew)
            throws Exception
    {
        Map<String, Map<String, String>> files = Published.files(output, DAY);
        Map<String, List<List<String>>> rows = Published.rows(output, DAY);
        List<String> fromNew = new ArrayList<>();
        for (String dataset : Published.DATASETS) {
            if (files.get(dataset).equals(oldFiles.get(dataset))) {
                continue;
            }
            assertThat(rows.get(dataset)).as("%s is neither the old run's nor the new one's", dataset).isEqualTo(newRows.get(dataset));
            fromNew.add(dataset);
        }
        if (!mayBeNew) {
            assertThat(fromNew).as("datasets published by a run killed before its publish").isEmpty();
        }
    }

    private Cli.Result load(Path into)
    {
        return Cli.run("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", into.toString());
    }

    private Cli.Result status()
    {
        return Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
    }

    /** A load of the day killed (kill -9) at a pause point. */
    private void killAt(String point)
            throws Exception
    {
        EtlProcess killed = start(point, "600");
        killed.awaitErr("etl: paused at " + point);
        killed.kill();
    }

    /** A load killed at a pause point of its publish, then its staged dau files deleted; returns its staging area. */
    private Path killedThenStagedDauDeleted(String point)
            throws Exception
    {
        killAt(point);
        Path staging;
        try (Stream<Path> runs = Files.list(output.resolve("_staging"))) {
            staging = runs.findFirst().orElseThrow();
        }
        try (Stream<Path> files = Files.list(staging.resolve("dau").resolve(DAY.hivePath()))) {
            for (Path file : files.filter(file -> file.toString().endsWith(".parquet")).toList()) {
                Files.delete(file);
            }
        }
        return staging;
    }

    /** A load with a 3 s lease, paused at {@code point} until {@code resume} exists, then stopped (SIGSTOP) for 4 s: past its lease. */
    /** The published files of a load that took the day over from a stalled run, and how the stalled run ended once woken. */
    private record TakenOver(Map<String, Map<String, String>> holderFiles, EtlProcess.Finished woken) {}

    /** A run stalled past its lease at {@code point}; another load takes the day over and publishes (exit 0); then the stalled run is woken. */
    private TakenOver wokenAfterATakeOver(String point)
            throws Exception
    {
        Path resume = work.resolve("resume");
        EtlProcess stalled = stoppedPastItsLease(point, resume);
        Cli.Result holder = load(output);
        assertThat(holder.code()).as(holder.err()).isZero();
        Map<String, Map<String, String>> holderFiles = Published.files(output, DAY);
        Files.writeString(resume, "go");
        stalled.signal("CONT");
        return new TakenOver(holderFiles, stalled.await());
    }

    /** A load of the day that holds it, paused at its V4 until {@code resume} is written. */
    private EtlProcess loadPausedInV4(Path resume)
            throws Exception
    {
        return pausedAt("load", "step V4__events", resume);
    }

    /** {@code command} (load or repair) of the day, started and paused at {@code point} until {@code resume} is written. */
    private EtlProcess pausedAt(String command, String point, Path resume)
            throws Exception
    {
        EtlProcess paused = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", point, "ETL_TEST_RESUME_FILE", resume.toString()),
                List.of(command, "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()));
        paused.awaitErr("etl: paused at " + point);
        return paused;
    }

    private EtlProcess stoppedPastItsLease(String point, Path resume)
            throws Exception
    {
        EtlProcess stopped = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", point, "ETL_TEST_RESUME_FILE", resume.toString()),
                List.of("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(), "--lease-seconds", "3"));
        stopped.awaitErr("etl: paused at " + point);
        stopped.signal("STOP");
        Thread.sleep(4_000);
        return stopped;
    }

    private EtlProcess start(String pausePoint, String leaseSeconds)
            throws IOException
    {
        return EtlProcess.start(pausePoint.isEmpty() ? Map.of() : Map.of("ETL_TEST_PAUSE_AT", pausePoint),
                List.of("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(), "--lease-seconds", leaseSeconds));
    }
}
