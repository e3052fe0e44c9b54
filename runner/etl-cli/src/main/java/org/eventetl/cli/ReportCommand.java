package org.eventetl.cli;

import java.util.Optional;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import org.eventetl.history.PublicationStore;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.report.ReportWriter;
import org.eventetl.storage.Location;
import org.eventetl.storage.RoutingStorage;
import org.eventetl.storage.Storage;

/**
 * {@code etl report}: the page a person opens for a loaded partition, made from its aggregates and
 * history ({@link ReportWriter}); prints the page's path.
 */
final class ReportCommand
        implements Command
{
    @Override
    public String name()
    {
        return "report";
    }

    @Override
    public String summary()
    {
        return "write a loaded partition's page (DAU, hourly activity, a map per country) under <output>/_reports";
    }

    @Override
    public String usage()
    {
        return "--partition P [--output DIR|s3://…] [--config FILE] [--s3-endpoint URL]";
    }

    @Override
    public Options options()
    {
        return new Options().addOption(Flags.partition()).addOption(Flags.output()).addOption(Flags.config()).addOption(Flags.s3Endpoint());
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        Partition partition = Flags.partition(line);
        Location output = Flags.writableOutput(line);
        try (RoutingStorage storage = new RoutingStorage(Flags.settings(line).s3())) {
            // an output that cannot be read at all (no bucket, no credentials), or a damaged pointer, is
            // refused as status and show refuse it (exit 2), before the page's many reads fail one of
            // them as a run would (the page reads the pointer again)
            if (FileProblems.reading("what " + output + " has published", () -> new PublicationStore(storage, output).read(partition)).isEmpty()) {
                refuseMistypedPartition(storage, output, partition);
            }
            try (Interruption interruption = Interruption.install()) {
                // nothing to finish: a page is written to a staging area of its own, which the next report removes
                interruption.onInterrupt(() -> {
                    console.err().println("etl: interrupted (" + interruption.cause() + ") while writing the report of " + partition
                            + ": its page may not be written (the page before it stays until one replaces it); rerun etl report");
                    return false;
                });
                console.out().println(write(console, storage, output, partition));
            }
        }
        return ExitCode.DONE;
    }

    /**
     * A day not published under a folder that is not there, or of a channel never loaded there, is a
     * mistyped --output or partition, said as show says it, not "load the partition".
     */
    private static void refuseMistypedPartition(Storage storage, Location output, Partition partition)
    {
        Optional<String> missing = LoadedChannels.whyNothingIsThere(storage, output, partition);
        if (missing.isPresent()) {
            throw new UserException("no report for " + partition + " under " + output + ": " + missing.get());
        }
    }

    /** Also what {@code etl load --report} calls once the load is done. */
    static Location write(Console console, Storage storage, Location output, Partition partition)
            throws Exception
    {
        return new ReportWriter(storage, console.templatesFolder()).write(output, partition, caution -> console.err().println("etl: warning: " + caution));
    }
}
