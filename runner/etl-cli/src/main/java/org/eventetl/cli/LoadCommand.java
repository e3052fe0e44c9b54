package org.eventetl.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import org.eventetl.engine.Engine;
import org.eventetl.engine.duckdb.DuckDbOpening;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.LoadResult;
import org.eventetl.load.Pipeline;
import org.eventetl.load.RunStop;
import org.eventetl.load.StoppedBeforePublishException;
import org.eventetl.model.EngineKind;
import org.eventetl.model.LoadFailedException;
import org.eventetl.model.UserException;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.Location;
import org.eventetl.storage.StorageOutage;

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
        return "--partition P [--source DIR] [--output DIR] [--engine duckdb|trino|athena] [--config FILE] [--max-reject-ratio R] [--min-volume-ratio R] [--strict-audits] [--lease-seconds S] [--query-timeout S] [--s3-endpoint URL] [--athena-endpoint URL] [--json] [--report] [--verbose]";
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
        Flags.requireDefaultSource(line, request);
        FileProblems.requireOutputRoot(request.output());
        if (request.engine() != EngineKind.DUCKDB) {
            return load(line, console, request, Optional.empty());
        }
        // DuckDB starts while the source is listed and the steps are rendered; a refused load closes it unused
        try (DuckDbOpening duckDb = DuckDbOpening.begin()) {
            return load(line, console, request, Optional.of(duckDb));
        }
    }

    private int load(CommandLine line, Console console, LoadRequest request, Optional<DuckDbOpening> duckDb)
            throws Exception
    {
        Duration lease = Flags.leaseDuration(line);
        Pipeline pipeline = Flags.pipeline(line, console);
        // refuse a missing or empty source, or a template that does not render, before the engine starts;
        // an output or source it cannot read (credentials, a bucket that is not there) is refused as status refuses it
        try {
            pipeline.renderBeforeLoad(request);
        }
        catch (UserException e) {
            // a day without source: a misspelt brand, tracker or channel is named with what the source
            // holds there, as status names it
            Flags.requireSourceRoot(line, pipeline.storage(), request.partition());
            throw pipeline.sourceRefusal(request, e);
        }
        catch (UncheckedIOException e) {
            // a storage that failed (S3 answering 500, a dropped connection) is no refusal: a retry may load the day
            if (DamagedFileException.in(e).isPresent() || StorageOutage.in(e)) {
                throw e;
            }
            throw new UserException(FileProblems.describe(e) + "; check that location and your access to it, then rerun", e);
        }
        FileProblems.makeOutputRoot(request.output());
        ConsoleProgress progress = new ConsoleProgress(console.err(), console.interactive());
        try (Interruption interruption = Interruption.install();
                Engine engine = interruption.guard(Engines.open(request.engine(), 1, pipeline.settings(), duckDb))) {
            RunStop stop = new RunStop(engine);
            interruption.onInterrupt(() -> {
                // a publish under way is not stopped, nor its callbacks (RunStop says why)
                boolean cancelled = stop.request(interruption.cause());
                progress.interrupted("etl: interrupted (" + interruption.cause() + "); "
                        + (cancelled ? "stopping " + progress.stopping() : "finishing the publish under way first"));
                return !cancelled;
            });
            LoadResult result;
            try {
                result = pipeline.load(request, engine, progress, lease, stop);
            }
            catch (RuntimeException e) {
                // Ctrl-C or SIGTERM makes the running step fail: say that it was interrupted, not how the step failed
                if (!interruption.happened()) {
                    throw e;
                }
                String running = progress.current();
                Optional<StoppedBeforePublishException> stopped = StoppedBeforePublishException.in(e);
                String where = stopped.map(early -> " " + early.when()).orElse(running.isEmpty() ? "" : " during " + running);
                String published = stopped.filter(StoppedBeforePublishException::finishedAnother).isPresent() ? "it published nothing of its own" : "nothing was published";
                String said = "load interrupted (" + interruption.cause() + ")" + where + "; the run is recorded as failed and "
                        + published + "; rerun the same command to load " + request.partition();
                console.err().println("etl: " + said);
                if (line.hasOption("json")) {
                    // stdout is one document whatever happened, as for every other end of a load
                    Map<String, Object> document = CommandJson.document(name());
                    document.put("interrupted", true);
                    document.put("error", said);
                    document.put("exit_code", interruption.exitCode());
                    CommandJson.print(console.out(), document);
                }
                return interruption.exitCode();
            }
            // published: a signal from now on stops the summary and the report, and says the day is published
            String publishedBy = result.runId();
            interruption.onInterrupt(() -> {
                progress.interrupted("etl: interrupted (" + interruption.cause() + ") after the publish: " + request.partition() + " is published by run "
                        + publishedBy + (line.hasOption("report") ? "; the report page may not be written (etl report writes it)" : ""));
                return false;
            });
            if (interruption.happened()) {
                // Ctrl-C came once the publish had begun, which runs to its end
                console.err().println("etl: interrupted (" + interruption.cause() + ") while publishing; the publish was finished first, so that the day does not mix two runs: "
                        + request.partition() + " is published by run " + result.runId() + (line.hasOption("report") ? "; no report page was written" : ""));
                printSummary(line, console, pipeline, request, result, false, true);
                return interruption.exitCode();
            }
            printSummary(line, console, pipeline, request, result, line.hasOption("report"), false);
        }
        return ExitCode.DONE;
    }

    /** @param interrupted whether Ctrl-C or a signal came while the run published (which it finished) */
    private static void printSummary(CommandLine line, Console console, Pipeline pipeline, LoadRequest request, LoadResult result, boolean report,
            boolean interrupted)
            throws Exception
    {
        List<DatasetSummary> summaries = DatasetSummary.of(result, pipeline.storage());
        if (line.hasOption("json")) {
            SummaryPrinter.json(console.out(), result, summaries, interrupted);
        }
        else {
            SummaryPrinter.text(console.out(), result, summaries);
        }
        if (report) {
            Location page;
            try {
                page = ReportCommand.write(console, pipeline.storage(), request.output(), request.partition());
            }
            catch (UserException e) {
                // the load ran and published: a report it cannot write is a failure of the run (exit 1), not a refusal of it
                throw new LoadFailedException(request.partition() + " is published by run " + result.runId() + ", but its report was not written: " + e.getMessage(), e);
            }
            catch (IOException | UncheckedIOException e) {
                // said as the load's own line would say it, but a scheduler that reruns on failure must
                // know that only the report is left to write, not the day to load
                throw new LoadFailedException(request.partition() + " is published by run " + result.runId() + ", but its report was not written: "
                        + FileProblems.describe(e) + "; etl report writes it" + (StorageOutage.in(e) ? " once the storage answers again" : ""), e);
            }
            // stdout stays one JSON document with --json
            (line.hasOption("json") ? console.err() : console.out()).println("\nreport: " + page);
        }
    }
}
