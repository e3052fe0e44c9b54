package org.eventetl.cli;

import org.eventetl.model.UserException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import org.eventetl.load.Backfill;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;
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
        return "--partition brand=…/tracker=…/channel=… --from yyyy-mm-dd --to yyyy-mm-dd [--only-stale] [--parallel N] [--continue-on-error] [load's flags]";
    }

    @Override
    public Options options()
    {
        return Flags.rangeOptions().addOption(Flags.maxRejectRatio()).addOption(Flags.leaseSeconds())
                .addOption(Flags.athenaEndpoint()).addOption(Flags.queryTimeout())
                .addOption(Option.builder().longOpt("only-stale").desc("load only days whose steps are not all applied and current").get())
                .addOption(Option.builder().longOpt("parallel").hasArg().argName("N").desc("days loaded at once (default 1)").get())
                .addOption(Option.builder().longOpt("continue-on-error").desc("go on with the other days after a day fails").get());
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        if (!line.hasOption("from") || !line.hasOption("to")) {
            throw new UserException("backfill needs --from and --to (etl backfill --help)");
        }
        List<LoadRequest> days = new ArrayList<>();
        for (Partition partition : Flags.range(line).partitions()) {
            days.add(Flags.loadRequest(line, partition));
        }
        Pipeline pipeline = Flags.pipeline(line, console);
        Backfill backfill = new Backfill(pipeline, (kind, concurrentLoads) -> Engines.open(kind, concurrentLoads, pipeline.settings()));
        ProgressBar bar = new ProgressBar(console);
        CountDownLatch finished = new CountDownLatch(1);
        Thread cancelOnInterrupt = new Thread(() -> {
            console.err().println();
            console.err().println("etl: interrupted; cancelling running days (finished days stay finished)");
            backfill.cancel();
            try {
                finished.await(15, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(cancelOnInterrupt);
        List<Backfill.DayResult> results;
        try {
            results = backfill.run(days, (int) Flags.wholeNumber(line, "parallel", 1), line.hasOption("only-stale"),
                    line.hasOption("continue-on-error"), Flags.leaseDuration(line), bar);
        }
        finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(cancelOnInterrupt);
            }
            catch (IllegalStateException e) {
                // shutting down: the hook is running
            }
        }
        console.out().printf("%-12s %-9s %8s %10s %9s  %s%n", "day", "outcome", "seconds", "MB", "warnings", "detail");
        for (Backfill.DayResult result : results) {
            console.out().printf("%-12s %-9s %8.1f %10.1f %9d  %s%n", result.partition().day(), result.outcome().name().toLowerCase(),
                    result.seconds(), result.sourceBytes() / 1e6, result.warnings(), result.message());
        }
        long failed = results.stream().filter(result -> result.outcome() == Backfill.Outcome.FAILED || result.outcome() == Backfill.Outcome.NOT_RUN).count();
        console.out().printf("%d days: %d loaded, %d current, %d without source, %d failed or not run%n", results.size(),
                count(results, Backfill.Outcome.LOADED), count(results, Backfill.Outcome.CURRENT), count(results, Backfill.Outcome.NO_SOURCE), failed);
        return failed == 0 ? ExitCode.DONE : ExitCode.STEP_FAILED;
    }

    private static long count(List<Backfill.DayResult> results, Backfill.Outcome outcome)
    {
        return results.stream().filter(result -> result.outcome() == outcome).count();
    }

    /** The overall bar on stderr: days done, MB/s of source JSON, and the time left at that pace. */
    private static final class ProgressBar
            implements Backfill.Progress
    {
        private final Console console;
        private final long started = System.nanoTime();

        ProgressBar(Console console)
        {
            this.console = console;
        }

        @Override
        public synchronized void dayFinished(Backfill.DayResult result, int daysDone, int days, long bytesDone, long bytesTotal)
        {
            double seconds = (System.nanoTime() - started) / 1e9;
            double rate = bytesDone / Math.max(seconds, 1e-3);
            String eta = bytesDone == 0 ? "?" : String.format("%.0f s", (bytesTotal - bytesDone) / Math.max(rate, 1));
            int width = 30;
            int filled = days == 0 ? width : width * daysDone / days;
            String bar = "#".repeat(filled) + "-".repeat(width - filled);
            String text = String.format("[%s] %d/%d days  %.0f MB/s  ETA %s  (%s %s)", bar, daysDone, days, rate / 1e6, eta,
                    result.partition().day(), result.outcome().name().toLowerCase());
            if (console.interactive()) {
                console.err().print("\r" + text + "   ");
                if (daysDone == days) {
                    console.err().println();
                }
            }
            else {
                console.err().println(text);
            }
        }
    }
}
