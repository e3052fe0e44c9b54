package org.eventetl.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.engine.StepStatistics;
import org.eventetl.history.StepRecord;
import org.eventetl.history.HistoryStore;
import org.eventetl.model.Json;
import org.eventetl.partition.Partition;
import org.eventetl.storage.LocalStorage;
import org.eventetl.storage.Location;
import org.eventetl.testing.Cli;
import org.eventetl.testing.Samples;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C during load and backfill, in real processes sent a real SIGINT (the JVM's shutdown hooks
 * only run then): exit 130, the interruption said on lines of their own, the cancelled step
 * recorded as failed, and backfill's final table with the stopped day as interrupted.
 */
final class TestInterrupt
{
    private static final String CHANNEL = "brand=olx/tracker=hydra/channel=android";
    private static final Partition AUGUST_1 = Partition.parse(CHANNEL + "/year=2017/month=08/day=01");

    @TempDir
    Path work;

    @Test
    void testLoad()
            throws Exception
    {
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, AUGUST_1, 400_000);

        Finished load = interrupt("> step 2 of 7: V2__event_details", 300,
                "load", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());

        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.INTERRUPTED);
        assertCleanLines(load.err());
        assertThat(load.err().lines()).contains("etl: interrupted (Ctrl-C); stopping the running step");
        List<StepRecord> failed = new HistoryStore(new LocalStorage(), Location.local(output)).read(AUGUST_1).steps().stream()
                .filter(entry -> entry.outcome() == StepRecord.Outcome.FAILED).toList();
        assertThat(failed).as("the cancelled step").hasSize(1);
        assertThat(Cli.lastLine(load.err())).isEqualTo("etl: load interrupted (Ctrl-C) during " + failed.get(0).step() + " (step " + failed.get(0).version() + " of 7); "
                + "the run is recorded as failed and nothing was published; rerun the same command to load " + AUGUST_1);
        // nothing of the interrupted run is published
        assertThat(output.resolve("event_details")).doesNotExist();
        assertThat(load.out()).isEmpty();
        // and its record names the signal, not the engine's "interrupted" of the cancelled statement
        Cli.Result status = Cli.run("status", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        // the record says what happened to the run; status alone says what is published, once
        assertThat(status.out()).contains("failed in " + failed.get(0).step() + ": stopped (Ctrl-C) while the step ran; nothing was published before; rerun the load")
                .doesNotContain("nothing was published; nothing");
    }

    /**
     * A signal while {@code load --report} writes its page, after the publish: it said "finishing the
     * publish under way first" and rendered on (a long country took minutes), and {@code etl report}
     * stopped without a word. Both say what stands: the day is published, the page may not be.
     */
    @Test
    void testInterruptedWhileTheReportIsWritten()
            throws Exception
    {
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, AUGUST_1, 2_000);
        Finished load = interruptAt("report staged", "TERM", "load", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString(),
                "--report");
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.TERMINATED);
        assertCleanLines(load.err());
        assertThat(load.err().lines()).anySatisfy(line -> assertThat(line).matches("etl: interrupted \\(SIGTERM\\) after the publish: " + Pattern.quote(AUGUST_1.toString())
                + " is published by run \\S+; the report page may not be written \\(etl report writes it\\)"));
        assertThat(load.err()).doesNotContain("finishing the publish under way");
        Cli.Result status = Cli.run("status", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.DONE);

        // (the same pause point again: the first run's resume file is in the way)
        Files.delete(work.resolve("resume-report-staged-TERM"));
        Finished report = interruptAt("report staged", "TERM", "report", "--partition", AUGUST_1.hivePath(), "--output", output.toString());
        assertThat(report.code()).as(report.err()).isEqualTo(ExitCode.TERMINATED);
        assertThat(report.err().lines()).contains("etl: interrupted (SIGTERM) while writing the report of " + AUGUST_1
                + ": its page may not be written (the page before it stays until one replaces it); rerun etl report");
    }

    /**
     * Ctrl-C in an audit, or after the audits, stops the run before its publish; once the publish
     * has begun it runs to its end (half a publish would mix two runs), and the command says so.
     * The run is held at a pause point, so that the signal lands in that phase every time.
     */
    @Test
    void testLoadInterruptedInTheAuditsOrThePublish()
            throws Exception
    {
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, AUGUST_1, 2_000);
        String[] load = {"load", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString()};

        String[] status = {"status", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString()};

        Finished inAnAudit = interruptAt("audit A1__events_match_event_details", "INT", load);
        assertThat(inAnAudit.code()).as(inAnAudit.err()).isEqualTo(ExitCode.INTERRUPTED);
        assertCleanLines(inAnAudit.err());
        assertThat(Cli.lastLine(inAnAudit.err())).startsWith("etl: load interrupted (Ctrl-C) during audit A1__events_match_event_details; ").contains("nothing was published");
        assertThat(output.resolve("event_details")).doesNotExist();
        assertThat(inAnAudit.out()).isEmpty();
        assertThat(Cli.run(status).out()).contains("stopped (Ctrl-C) while the audits ran; nothing was published before; rerun the load")
                .doesNotContain("nothing was published; nothing");

        // once every audit passed, the message says so (not "during" the last one), and names the signal, as the history does
        Map<String, String> names = Map.of("INT", "Ctrl-C", "TERM", "SIGTERM", "HUP", "SIGHUP");
        Map<String, Integer> codes = Map.of("INT", ExitCode.INTERRUPTED, "TERM", ExitCode.TERMINATED, "HUP", ExitCode.HUNG_UP);
        for (String signal : List.of("INT", "TERM", "HUP")) {
            String name = names.get(signal);
            Finished audited = interruptAt("audited", signal, load);
            assertThat(audited.code()).as(audited.err()).isEqualTo(codes.get(signal));
            assertCleanLines(audited.err());
            assertThat(audited.err().lines()).contains("etl: interrupted (" + name + "); stopping the running step");
            assertThat(Cli.lastLine(audited.err())).startsWith("etl: load interrupted (" + name + ") after the audits passed, before the publish; ").contains("nothing was published");
            assertThat(output.resolve("event_details")).doesNotExist();
            Cli.Result failed = Cli.run(status);
            assertThat(failed.code()).as(failed.out()).isEqualTo(ExitCode.NOT_CURRENT);
            assertThat(failed.out()).contains("stopped (" + name + ") after the audits passed, before the publish");
            names.values().stream().filter(other -> !other.equals(name)).forEach(other -> assertThat(failed.out()).doesNotContain(other));
        }

        // however long the publish takes (S3 copies of a large day): held here past the exit's patience for a stopped step
        // a scheduler's SIGTERM, then a Ctrl-C: the messages name the first, whose code the JVM exits with
        Finished published = interruptAt("publish events", "TERM,INT", Interruption.PATIENCE.plusSeconds(3), load);
        assertThat(published.code()).as(published.err()).isEqualTo(ExitCode.TERMINATED);
        assertThat(published.err().lines()).contains("etl: interrupted (SIGTERM); finishing the publish under way first");
        assertThat(Cli.lastLine(published.err())).startsWith("etl: interrupted (SIGTERM) while publishing; the publish was finished first");
        assertThat(published.out()).startsWith("Published " + AUGUST_1);
        // --json says it in the document, not only by the exit code
        String[] json = Stream.concat(Stream.of(load), Stream.of("--json")).toArray(String[]::new);
        Finished publishedJson = interruptAt("publish events", "INT", json);
        assertThat(publishedJson.code()).as(publishedJson.err()).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(Json.MAPPER.readTree(publishedJson.out()).get("interrupted").asBoolean()).isTrue();
        Cli.Result current = Cli.run(status);
        assertThat(current.code()).as(current.out()).isEqualTo(ExitCode.DONE);
    }

    @Test
    void testBackfill()
            throws Exception
    {
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        for (int day = 1; day <= 3; day++) {
            Samples.day(source, AUGUST_1.withDay(AUGUST_1.day().withDayOfMonth(day)), 250_000);
        }

        Finished backfill = interrupt("1/3 days", 200, "backfill", "--partition", CHANNEL, "--from", "2017-08-01", "--to", "2017-08-03",
                "--source", source.toString(), "--output", output.toString());

        assertThat(backfill.code()).as(backfill.err()).isEqualTo(ExitCode.INTERRUPTED);
        assertCleanLines(backfill.err());
        assertThat(backfill.err().lines()).contains("etl: interrupted (Ctrl-C); cancelling the running days (finished days stay finished, and a day that is publishing finishes)");
        assertThat(Cli.lastLine(backfill.err())).isEqualTo("etl: backfill interrupted; rerun the same command with --only-stale to load the days that are not current");
        assertThat(backfill.out()).containsPattern("(?m)^2017-08-01 +loaded ")
                .containsPattern("(?m)^2017-08-02 +interrupted .*stopped by Ctrl-C")
                .containsPattern("(?m)^2017-08-03 +not run ");
        assertThat(Cli.lastLine(backfill.out())).isEqualTo("3 days: 1 loaded, 0 current, 0 without source, 0 failed, 1 not run, 1 interrupted");
        // the bar said nothing more once Ctrl-C was pressed: no pace made of the stopped day's bytes
        assertThat(backfill.err()).doesNotContain("2/3 days");
    }

    /** A day that has begun to publish when Ctrl-C comes finishes, however long that takes, and the table says so. */
    @Test
    void testBackfillInterruptedWhileADayPublishes()
            throws Exception
    {
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, AUGUST_1, 2_000);

        Finished backfill = interruptAt("publish dau", "INT", Interruption.PATIENCE.plusSeconds(3), "backfill", "--partition", CHANNEL,
                "--from", "2017-08-01", "--to", "2017-08-01", "--source", source.toString(), "--output", output.toString());

        assertThat(backfill.code()).as(backfill.err()).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(backfill.out()).containsPattern("(?m)^2017-08-01 +loaded ");
        assertThat(Cli.lastLine(backfill.out())).isEqualTo("1 day: 1 loaded, 0 current, 0 without source, 0 failed, 0 not run");
        assertThat(Cli.lastLine(backfill.err())).endsWith("nothing is left to rerun");
        Cli.Result status = Cli.run("status", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.DONE);

        // the document's exit_code is the process's, whichever signal (it said 130, Ctrl-C's, for a scheduler's SIGTERM)
        Finished terminated = interruptAt("publish dau", "TERM", "backfill", "--partition", CHANNEL,
                "--from", "2017-08-01", "--to", "2017-08-01", "--source", source.toString(), "--output", output.toString(), "--json");
        assertThat(terminated.code()).as(terminated.err()).isEqualTo(ExitCode.TERMINATED);
        JsonNode document = Json.MAPPER.readTree(terminated.out());
        assertThat(document.get("exit_code").asInt()).isEqualTo(ExitCode.TERMINATED);
        assertThat(document.get("error").asText()).isEqualTo("backfill interrupted (SIGTERM)");
    }

    /**
     * A load that starts by finishing a killed run's cut publish (on S3 its copies can take long) is
     * publishing too: Ctrl-C then waits for that publish to end, and the run stops after it.
     */
    @Test
    void testLoadInterruptedWhileItFinishesADeadRunsPublish()
            throws Exception
    {
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        String[] load = {"load", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString()};
        cutPublish(source, load);

        // the next load finishes that publish first, and is stopped while it does
        Finished finishing = interruptAt("published event_details", "INT", Interruption.PATIENCE.plusSeconds(3), load);
        assertThat(finishing.err().lines()).contains("etl: interrupted (Ctrl-C); finishing the publish under way first");
        assertThat(finishing.code()).as(finishing.err()).isEqualTo(ExitCode.INTERRUPTED);
        // it stops before its first step, and says that the day changed all the same (to the finished run's)
        assertThat(Cli.lastLine(finishing.err())).startsWith("etl: load interrupted (Ctrl-C) before its first step, once it had finished the publish of run ")
                .contains("it published nothing of its own");
        assertThat(finishing.err()).doesNotContain("> step 1 of");
        Cli.Result status = Cli.run("status", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(status.out()).doesNotContain("mix two runs").contains("stopped (Ctrl-C) before its first step");
    }

    /**
     * Ctrl-C while the source is copied or its gzip files checked, when no statement runs for the
     * signal to cancel: the load stops before its first step, rather than run every step and audit.
     */
    @Test
    void testLoadInterruptedBeforeItsSteps()
            throws Exception
    {
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, AUGUST_1, 1_000);
        Finished stopped = interruptAt("source ready", "INT", "load", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(stopped.code()).as(stopped.err()).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(Cli.lastLine(stopped.err())).startsWith("etl: load interrupted (Ctrl-C) before its first step");
        assertThat(stopped.err()).doesNotContain("> step 1 of");
        assertThat(output.resolve("events")).doesNotExist();

        // with --json, stdout is a document here too (it was empty), with the process's exit code
        Finished hungUp = interruptAt("source ready", "HUP", "load", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString(), "--json");
        assertThat(hungUp.code()).as(hungUp.err()).isEqualTo(ExitCode.HUNG_UP);
        JsonNode document = Json.MAPPER.readTree(hungUp.out());
        assertThat(document.get("exit_code").asInt()).isEqualTo(ExitCode.HUNG_UP);
        assertThat(document.get("interrupted").asBoolean()).isTrue();
        assertThat(document.get("error").asText()).startsWith("load interrupted (SIGHUP) before its first step");
    }

    /**
     * repair finishing a cut publish is stopped by SIGTERM: it finishes first, and says so, instead
     * of exiting at once with the publish cut short a second time, its own lease left, and no word.
     */
    @Test
    void testRepairInterruptedWhileItFinishesADeadRunsPublish()
            throws Exception
    {
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        String[] load = {"load", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString()};
        cutPublish(source, load);

        Finished repair = interruptAt("published event_details", "TERM", Duration.ofSeconds(1),
                "repair", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(repair.code()).as(repair.err()).isEqualTo(ExitCode.TERMINATED);
        assertThat(repair.err().lines()).contains("etl: interrupted (SIGTERM); the repair finishes what it began first");
        assertThat(Cli.lastLine(repair.err())).startsWith("etl: repair interrupted (SIGTERM) once it had finished:");
        assertThat(repair.out()).contains("finished the publish of run ");
        Cli.Result status = Cli.run("status", "--partition", AUGUST_1.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.DONE);
    }

    /** Loads the day, then a second load with more events that is killed (kill -9) once its first dataset was swapped in: its publish is cut short. */
    private void cutPublish(Path source, String[] load)
            throws Exception
    {
        Samples.day(source, AUGUST_1, 2_000);
        assertThat(Cli.run(load).code()).isZero();
        Samples.day(source, AUGUST_1, 3_000);
        Path killedErr = work.resolve("killed.txt");
        ProcessBuilder killed = new ProcessBuilder(Cli.processCommand(load)).redirectError(killedErr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        killed.environment().put("ETL_TEST_PAUSE_AT", "published event_details");
        Process cut = killed.start();
        try {
            awaitCue(cut, killedErr, "etl: paused at published event_details");
        }
        finally {
            cut.destroyForcibly().waitFor();
        }
    }

    /** On a terminal the progress line has no line end: Ctrl-C's message starts a line of its own. */
    @Test
    void testProgressOnATerminal()
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);

        progress.stepStarted("V2__event_details", "/out/event_details/…/", 2, 7);
        progress.progress("V2__event_details", 45, 3.14);
        progress.interrupted("etl: interrupted; stopping the running step");
        progress.progress("V2__event_details", 50, 3.5);

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("> step 2 of 7: V2__event_details -> /out/event_details/…/\n"
                + "\r  step 2 of 7: V2__event_details  45% 3.1 s   \n"
                + "etl: interrupted; stopping the running step\n");
        assertThat(progress.current()).isEqualTo("V2__event_details (step 2 of 7)");
        progress.phase("audit A1__events_match_event_details");
        assertThat(progress.current()).isEqualTo("audit A1__events_match_event_details");

        bytes.reset();
        progress.stepFinished("V2__event_details", new StepStatistics(0, 1_000, 0, 0, 1.5, List.of()), false);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\r\033[K  V2__event_details done in 1.50 s, 1,000 rows\n");
    }

    private record Finished(int code, String out, String err) {}

    /** Starts {@code etl args…}, sends SIGINT {@code delayMillis} after stderr shows {@code cue}, and waits for the exit. */
    private Finished interrupt(String cue, long delayMillis, String... args)
            throws Exception
    {
        return interrupt(new ProcessBuilder(Cli.processCommand(args)), cue, delayMillis, "INT", process -> {});
    }

    /** Starts {@code etl args…} held at a pause point, sends the signal (INT, TERM) there, lets it go on, and waits for the exit. */
    private Finished interruptAt(String point, String signal, String... args)
            throws Exception
    {
        // the signal's hook has started (it cancels and waits for the command) well before the run goes on
        return interruptAt(point, signal, Duration.ofMillis(500), args);
    }

    /** The same, with the run held {@code held} after the signal; {@code signals} are sent one after another ("TERM,INT"). */
    private Finished interruptAt(String point, String signals, Duration held, String... args)
            throws Exception
    {
        Path resume = work.resolve("resume-" + point.replace(" ", "-") + "-" + signals.replace(',', '-'));
        ProcessBuilder builder = new ProcessBuilder(Cli.processCommand(args));
        builder.environment().put("ETL_TEST_PAUSE_AT", point);
        builder.environment().put("ETL_TEST_RESUME_FILE", resume.toString());
        List<String> sent = List.of(signals.split(","));
        return interrupt(builder, "etl: paused at " + point, 0, sent.get(0), process -> {
            for (String later : sent.subList(1, sent.size())) {
                Thread.sleep(300);
                assertThat(new ProcessBuilder("kill", "-" + later, String.valueOf(process.pid())).start().waitFor()).isZero();
            }
            Thread.sleep(held.toMillis());
            Files.createFile(resume);
        });
    }

    private interface AfterSignal
    {
        void run(Process process)
                throws Exception;
    }

    private Finished interrupt(ProcessBuilder builder, String cue, long delayMillis, String signal, AfterSignal afterSignal)
            throws Exception
    {
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            awaitCue(process, err, cue);
            Thread.sleep(delayMillis);
            assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor()).isZero();
            afterSignal.run(process);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited after SIG%s", signal).isTrue();
        }
        finally {
            process.destroyForcibly();
        }
        return new Finished(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Waits until the process's stderr (in {@code err}) shows {@code cue}: a minute at most, and only while it lives. */
    private static void awaitCue(Process process, Path err, String cue)
            throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(err).contains(cue)) {
            assertThat(process.isAlive()).as("ended before %s: %s", cue, Files.readString(err)).isTrue();
            assertThat(System.nanoTime()).as("no %s within a minute", cue).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Every line of stderr is one of the runner's own: progress, a step, a bar, or an etl: line, never two glued together. */
    private static void assertCleanLines(String err)
    {
        assertThat(err.lines()).isNotEmpty().allSatisfy(line -> assertThat(line).matches("(> |  |\\[|etl: ).*"));
        assertThat(err.lines().filter(line -> line.contains("etl: "))).allSatisfy(line -> assertThat(line).startsWith("etl: "));
    }
}
