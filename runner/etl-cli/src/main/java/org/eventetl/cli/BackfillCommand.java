package org.eventetl.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import org.eventetl.load.Backfill;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;
import org.eventetl.model.TerminalText;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;

/** {@code etl backfill}: loads every day of a range, with an overall progress bar and a final table. */
final class BackfillCommand
        implements Command
{
    @Override
    public String name()
    {
        return "backfill";
    }

    @Override
    public String summary()
    {
        return "load every day of a range (days without source are skipped), optionally only the stale ones and in parallel";
    }

    @Override
    public String usage()
    {
        return "--partition brand=…/tracker=…/channel=… --from yyyy-mm-dd --to yyyy-mm-dd [--only-stale] [--parallel N] [--continue-on-error] [--source DIR] [--output DIR] [--engine E] [--config FILE] [--max-reject-ratio R] [--min-volume-ratio R] [--strict-audits] [--lease-seconds S] [--query-timeout S] [--s3-endpoint URL] [--athena-endpoint URL] [--json]";
    }

    @Override
    public Options options()
    {
        return Flags.rangeOptions(Flags.channel()).addOption(Flags.maxRejectRatio()).addOption(Flags.minVolumeRatio()).addOption(Flags.strictAudits())
                .addOption(Flags.leaseSeconds())
                .addOption(Flags.athenaEndpoint()).addOption(Flags.queryTimeout())
                .addOption(Option.builder().longOpt("only-stale").desc("load only days that status would not call current: steps not all applied and current, or (Trino) a table that does not list the day").get())
                .addOption(Option.builder().longOpt("parallel").hasArg().argName("N").desc("days loaded at once (default 1)").get())
                .addOption(Option.builder().longOpt("continue-on-error").desc("go on with the other days after a day fails").get())
                .addOption(Flags.json());
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        if (!line.hasOption("from") || !line.hasOption("to")) {
            throw new UserException("backfill needs --from and --to (etl backfill --help)");
        }
        List<LoadRequest> days = new ArrayList<>();
        for (Partition partition : Flags.range(line, name()).partitions()) {
            days.add(Flags.loadRequest(line, partition));
        }
        Flags.requireDefaultSource(line, days.get(0));
        Flags.writableOutput(line);
        int parallel = Flags.wholeNumber(line, "parallel", 1, 1, Backfill.MAX_PARALLEL);
        Duration lease = Flags.leaseDuration(line);
        Pipeline pipeline = Flags.pipeline(line, console);
        // a --source that is a file would fail every day alike, and one that is missing would skip every day: a mistake in the command, refused at once
        Flags.requireSourceRoot(line, pipeline.storage(), days.get(0).partition());
        FileProblems.makeOutputRoot(days.get(0).output());
        try (Interruption interruption = Interruption.install()) {
            Backfill backfill = new Backfill(pipeline, (kind, concurrentLoads) -> interruption.guard(Engines.open(kind, concurrentLoads, pipeline.settings())));
            ProgressBar bar = new ProgressBar(console, interruption);
            interruption.onInterrupt(() -> {
                bar.interrupted("etl: interrupted (" + interruption.cause() + "); cancelling the running days (finished days stay finished, and a day that is publishing finishes)");
                return backfill.cancel(interruption.cause());
            });
            List<Day> results = new ArrayList<>();
            for (Backfill.DayResult result : backfill.run(days, parallel, line.hasOption("only-stale"), line.hasOption("continue-on-error"), lease, bar)) {
                results.add(Day.of(result, bar.wasInterrupted(result) ? Optional.of(interruption.cause()) : Optional.empty()));
            }
            // every day without source: a range of the wrong year, or days not landed yet
            Optional<String> yearsNote = count(results, Outcome.NO_SOURCE) == results.size()
                    ? Flags.yearsTheSourceHolds(line, pipeline.storage(), days.stream().map(LoadRequest::partition).toList()) : Optional.empty();
            if (line.hasOption("json")) {
                json(console, results, interruption, exitCode(results, interruption), yearsNote);
            }
            else {
                text(console, results);
                yearsNote.ifPresent(console.out()::println);
            }
            int code = exitCode(results, interruption);
            if (interruption.happened()) {
                boolean allDone = count(results, Outcome.FAILED) + count(results, Outcome.NOT_RUN) + count(results, Outcome.INTERRUPTED) == 0;
                console.err().println(allDone
                        ? "etl: backfill interrupted once every day had finished (a day that was publishing finished first): nothing is left to rerun"
                        : "etl: backfill interrupted; rerun the same command with --only-stale to load the days that are not current");
            }
            else if (code != ExitCode.DONE && !line.hasOption("json")) {
                // the table is on stdout: stderr ends with the one line that every failing command gives
                long notRun = count(results, Outcome.NOT_RUN);
                console.err().println("etl: " + count(results, Outcome.FAILED) + " of " + results.size() + " days failed" + (notRun == 0 ? "" : ", " + notRun + " not run")
                        + ": their lines say why; rerun with --only-stale once they are mended");
            }
            return code;
        }
    }

    private static int exitCode(List<Day> results, Interruption interruption)
    {
        if (interruption.happened()) {
            // the JVM exits with the signal's code: the document says the same
            return interruption.exitCode();
        }
        return count(results, Outcome.FAILED) + count(results, Outcome.NOT_RUN) == 0 ? ExitCode.DONE : ExitCode.STEP_FAILED;
    }

    private static void text(Console console, List<Day> results)
    {
        console.out().printf("%-12s %-11s %8s %10s %9s  %s%n", "day", "outcome", "seconds", "MB", "warnings", "detail");
        for (Day day : results) {
            // "no source" as status says it; --json keeps the label a word (no_source)
            // one row per day, whatever a cause's message holds
            console.out().printf("%-12s %-11s %8.1f %10.1f %9d  %s%n", day.result().partition().day(), day.outcome().label().replace('_', ' '),
                    day.result().seconds(), day.result().sourceBytes() / 1e6, day.result().warnings(), TerminalText.oneLine(day.detail()));
        }
        long interrupted = count(results, Outcome.INTERRUPTED);
        long running = count(results, Outcome.RUNNING);
        // failed and not run apart: days a stop or a failure kept from starting are no failures of their own
        console.out().printf("%d day" + (results.size() == 1 ? "" : "s") + ": %d loaded, %d current, %d without source, %d failed, %d not run%s%s%n", results.size(),
                count(results, Outcome.LOADED), count(results, Outcome.CURRENT), count(results, Outcome.NO_SOURCE),
                count(results, Outcome.FAILED), count(results, Outcome.NOT_RUN), running == 0 ? "" : ", " + running + " being loaded by another run",
                interrupted == 0 ? "" : ", " + interrupted + " interrupted");
    }

    /**
     * {@code backfill --json}: interrupted (whether Ctrl-C stopped it); days (per day: day, partition,
     * outcome, seconds, source_bytes, warnings (audits that warned), detail); counts (days per outcome: loaded,
     * current, no_source, failed, not_run, running (held by another live run, left to it), interrupted);
     * exit_code, and error (one line) when it is not 0.
     */
    private void json(Console console, List<Day> results, Interruption interruption, int exitCode, Optional<String> note)
    {
        boolean interrupted = interruption.happened();
        Map<String, Object> document = CommandJson.document(name());
        document.put("interrupted", interrupted);
        // as every command's failure document has them: a scheduler reads one field, not the days
        long failed = count(results, Outcome.FAILED);
        long notRun = count(results, Outcome.NOT_RUN);
        if (exitCode != ExitCode.DONE) {
            document.put("error", interrupted ? "backfill interrupted (" + interruption.cause() + ")" : failed + " of " + results.size() + " days failed" + (notRun == 0 ? "" : ", " + notRun + " not run"));
        }
        document.put("exit_code", exitCode);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Day day : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("day", day.result().partition().day().toString());
            row.put("partition", day.result().partition().hivePath());
            row.put("outcome", day.outcome().label());
            row.put("seconds", day.result().seconds());
            row.put("source_bytes", day.result().sourceBytes());
            row.put("warnings", day.result().warnings());
            row.put("detail", day.detail());
            rows.add(row);
        }
        document.put("days", rows);
        Map<String, Object> counts = new LinkedHashMap<>();
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome.label(), count(results, outcome));
        }
        document.put("counts", counts);
        note.ifPresent(line -> document.put("note", line));
        CommandJson.print(console.out(), document);
    }

    private static long count(List<Day> results, Outcome outcome)
    {
        return results.stream().filter(day -> day.outcome() == outcome).count();
    }

    /** A day's outcome as the table shows it: the loader's, and interrupted for a day that Ctrl-C stopped. */
    private enum Outcome
    {
        LOADED,
        CURRENT,
        NO_SOURCE,
        FAILED,
        NOT_RUN,
        RUNNING,
        INTERRUPTED;

        String label()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private record Day(Backfill.DayResult result, Outcome outcome, String detail)
    {
        /** @param stoppedBy what stopped the day while it ran (Ctrl-C, SIGTERM), if anything did */
        static Day of(Backfill.DayResult result, Optional<String> stoppedBy)
        {
            if (stoppedBy.isPresent()) {
                return new Day(result, Outcome.INTERRUPTED, "stopped by " + stoppedBy.get() + "; what it ran is recorded, and status says how the day stands");
            }
            Outcome outcome = switch (result.outcome()) {
                case LOADED -> Outcome.LOADED;
                case CURRENT -> Outcome.CURRENT;
                case NO_SOURCE -> Outcome.NO_SOURCE;
                case FAILED -> Outcome.FAILED;
                case NOT_RUN -> Outcome.NOT_RUN;
                case RUNNING -> Outcome.RUNNING;
            };
            return new Day(result, outcome, result.message());
        }
    }

    /**
     * The overall bar on stderr: days done, MB/s of the source JSON of the days loaded, and the time
     * left at that pace. A day that failed or was stopped counts as done but not towards the pace.
     */
    private static final class ProgressBar
            implements Backfill.Progress
    {
        private final Console console;
        private final Interruption interruption;
        private final long started = System.nanoTime();
        private final Set<Partition> interruptedDays = new HashSet<>();
        private long bytesLoaded;
        private boolean lineOpen;

        ProgressBar(Console console, Interruption interruption)
        {
            this.console = console;
            this.interruption = interruption;
        }

        @Override
        public synchronized void dayFinished(Backfill.DayResult result, int daysDone, int days, long bytesDone, long bytesTotal)
        {
            if (interruption.happened()) {
                // a day that fails once Ctrl-C was pressed was running then: it was stopped, it did not fail
                if (result.outcome() == Backfill.Outcome.FAILED) {
                    interruptedDays.add(result.partition());
                }
                return;
            }
            if (result.outcome() == Backfill.Outcome.LOADED) {
                bytesLoaded += result.sourceBytes();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double rate = bytesLoaded / Math.max(seconds, 1e-3);
            String eta = daysDone == days ? "0 s" : bytesLoaded == 0 ? "?" : String.format("%.0f s", (bytesTotal - bytesDone) / Math.max(rate, 1));
            int width = 30;
            int filled = days == 0 ? width : width * daysDone / days;
            String bar = "#".repeat(filled) + "-".repeat(width - filled);
            String text = String.format("[%s] %d/%d days  %.0f MB/s  ETA %s  (%s %s)", bar, daysDone, days, rate / 1e6, eta,
                    result.partition().day(), result.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '));
            if (console.interactive()) {
                console.err().print("\r" + text + "   ");
                lineOpen = daysDone < days;
                if (!lineOpen) {
                    console.err().println();
                }
            }
            else {
                console.err().println(text);
            }
        }

        /** Ctrl-C: says so on a line of its own, and the bar stops. */
        synchronized void interrupted(String message)
        {
            if (lineOpen) {
                console.err().println();
                lineOpen = false;
            }
            console.err().println(message);
        }

        synchronized boolean wasInterrupted(Backfill.DayResult result)
        {
            return interruptedDays.contains(result.partition());
        }
    }
}
