package org.eventetl.cli;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import org.eventetl.history.HistoryEntry;
import org.eventetl.history.HistoryStore;
import org.eventetl.history.StatusCalculator;
import org.eventetl.history.StepState;
import org.eventetl.history.StepStatus;
import org.eventetl.lease.Lease;
import org.eventetl.lease.LeaseStore;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;

/**
 * {@code etl repair}: after a person has looked, marks a partition's failed steps as resolved (they
 * show as pending until rerun) and removes a lease whose holder is gone. Like Flyway's repair it
 * rewrites bookkeeping only: it never touches data.
 */
final class RepairCommand
        implements Command
{
    @Override
    public String name()
    {
        return "repair";
    }

    @Override
    public String summary()
    {
        return "mark a partition's failed steps as resolved and remove a lease whose holder is gone; never touches data";
    }

    @Override
    public String usage()
    {
        return "--partition P [--output DIR] [--source DIR]";
    }

    @Override
    public Options options()
    {
        return new Options().addOption(Flags.partition()).addOption(Flags.output()).addOption(Flags.config()).addOption(Flags.s3Endpoint()).addOption(Flags.source()).addOption(Flags.engine());
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        LoadRequest request = Flags.loadRequest(line);
        FileProblems.requireWritableFolder("--output", request.output());
        Pipeline pipeline = Flags.pipeline(line, console);
        HistoryStore history = new HistoryStore(pipeline.storage(), request.output());
        int resolved = 0;
        for (StepStatus status : pipeline.status(request)) {
            if (status.state() != StepState.FAILED) {
                continue;
            }
            HistoryEntry failed = status.latest().orElseThrow();
            history.record(request.partition(), new HistoryEntry(failed.runId(), failed.partition(), failed.version(), failed.step(),
                    failed.script(), failed.checksum(), failed.renderedChecksum(), failed.engine(), failed.target(),
                    StatusCalculator.RESOLVED, Instant.now(), 0, 0, 0, 0,
                    "failure of run " + failed.runId() + " marked resolved by repair: " + failed.message(),
                    System.getProperty("user.name"), failed.host()));
            console.out().println("resolved: " + failed.step() + " of run " + failed.runId() + " (" + failed.message() + ")");
            resolved++;
        }
        Optional<Lease> removed = LeaseStore.forOutput(request.output(), pipeline.storage(), Clock.systemUTC()).removeIfGone(request.partition());
        removed.ifPresent(lease -> console.out().println("removed the lease of " + lease.describe()));
        if (resolved == 0 && removed.isEmpty()) {
            console.out().println("nothing to repair for " + request.partition());
        }
        return ExitCode.DONE;
    }
}
