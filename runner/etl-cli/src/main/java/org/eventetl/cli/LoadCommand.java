package org.eventetl.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import org.eventetl.engine.Engine;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.LoadResult;
import org.eventetl.load.Pipeline;
import org.eventetl.storage.Location;

/** {@code etl load}: runs every step for one partition and prints the summary. */
final class LoadCommand
        implements Command
{
    @Override
    public String name()
    {
        return "load";
    }

    @Override
    public String summary()
    {
        return "extract a partition's events, devices per country and rejects into Parquet";
    }

    @Override
    public String usage()
    {
        return "--partition P [--source DIR] [--output DIR] [--engine duckdb|trino|athena] [--config FILE] [--max-reject-ratio R] [--min-volume-ratio R] [--strict-audits] [--lease-seconds S] [--query-timeout S] [--json] [--report]";
    }

    @Override
    public Options options()
    {
        return Flags.loadOptions().addOption(Flags.json()).addOption(Flags.leaseSeconds())
                .addOption(Option.builder().longOpt("report").desc("then write the partition's report page (etl report) and print its path").get());
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        LoadRequest request = Flags.loadRequest(line);
        Duration lease = Flags.leaseDuration(line);
        Pipeline pipeline = Flags.pipeline(line, console);
        // refuse a missing or empty source, or a template that does not render, before the engine starts
        pipeline.render(request);
        LoadResult result;
        try (Engine engine = Engines.open(request.engine(), 1, pipeline.settings())) {
            result = runCancellable(engine, console, () -> pipeline.load(request, engine, new ConsoleProgress(console.err(), console.interactive()), lease));
        }
        List<DatasetSummary> summaries = DatasetSummary.of(result, pipeline.storage());
        if (line.hasOption("json")) {
            SummaryPrinter.json(console.out(), result, summaries);
        }
        else {
            SummaryPrinter.text(console.out(), result, summaries);
        }
        if (line.hasOption("report")) {
            Location page = ReportCommand.write(console, pipeline.storage(), request.output(), request.partition());
            // stdout stays one JSON document with --json
            (line.hasOption("json") ? console.err() : console.out()).println("\nreport: " + page);
        }
        return ExitCode.DONE;
    }

    /** Runs {@code work}; on Ctrl-C the engine's running statement is cancelled and the history records the failure before exit. */
    static <T> T runCancellable(Engine engine, Console console, java.util.function.Supplier<T> work)
    {
        CountDownLatch finished = new CountDownLatch(1);
        Thread cancelOnInterrupt = new Thread(() -> {
            console.err().println("etl: interrupted; stopping the running step");
            engine.cancel();
            awaitQuietly(finished);
        });
        Runtime.getRuntime().addShutdownHook(cancelOnInterrupt);
        try {
            return work.get();
        }
        finally {
            finished.countDown();
            removeQuietly(cancelOnInterrupt);
        }
    }

    private static void awaitQuietly(CountDownLatch finished)
    {
        try {
            finished.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeQuietly(Thread hook)
    {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running
        }
    }
}
