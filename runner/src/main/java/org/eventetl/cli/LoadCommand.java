package org.eventetl.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import org.eventetl.engine.Engine;
import org.eventetl.engine.duckdb.DatasetReader;
import org.eventetl.engine.duckdb.DuckDbEngine;
import org.eventetl.engine.duckdb.DuckDbSettings;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.LoadResult;
import org.eventetl.load.Loader;
import org.eventetl.plan.StepResolver;
import org.eventetl.render.PlanRenderer;
import org.eventetl.render.SqlRenderer;
import org.eventetl.storage.LocalStorage;
import org.eventetl.storage.Storage;
import org.eventetl.storage.TargetPrefix;

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
        return "--partition P [--source DIR] [--output DIR] [--engine duckdb] [--max-reject-ratio R] [--json]";
    }

    @Override
    public Options options()
    {
        return Flags.loadOptions().addOption(Flags.json());
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        LoadRequest request = Flags.loadRequest(line);
        Storage storage = new LocalStorage();
        PlanRenderer planRenderer = new PlanRenderer(new StepResolver(console.sqlFolder()).resolve(), new SqlRenderer(console.templatesFolder()));
        // refuse a missing or empty source before the engine starts
        Loader.sourceFiles(storage, request);
        LoadResult result;
        try (Engine engine = new DuckDbEngine(DuckDbSettings.defaults())) {
            CountDownLatch finished = new CountDownLatch(1);
            Thread cancelOnInterrupt = new Thread(() -> {
                console.err().println("etl: interrupted; stopping the running step");
                engine.cancel();
                awaitQuietly(finished);
            });
            Runtime.getRuntime().addShutdownHook(cancelOnInterrupt);
            try {
                result = new Loader(storage, planRenderer, engine, new ConsoleProgress(console.err(), console.interactive())).load(request);
            }
            finally {
                finished.countDown();
                removeQuietly(cancelOnInterrupt);
            }
        }
        DatasetReader.Table dau = new DatasetReader().read(new TargetPrefix(request.output(), "dau", request.partition()).location(), false, "country", 1000);
        if (line.hasOption("json")) {
            SummaryPrinter.json(console.out(), result, dau);
        }
        else {
            SummaryPrinter.text(console.out(), result, dau);
        }
        return ExitCode.DONE;
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
