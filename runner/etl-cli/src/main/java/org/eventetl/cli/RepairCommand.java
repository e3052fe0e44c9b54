package org.eventetl.cli;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import org.eventetl.engine.Engine;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;
import org.eventetl.load.RepairOutcome;
import org.eventetl.model.UserException;
import org.eventetl.storage.Storage;

/**
 * {@code etl repair}: after a person has looked at a partition: removes a lease whose holder is
 * gone, finishes a publish that was cut short (from its manifest), removes what dead runs staged,
 * and marks a later run that failed or was killed as resolved. It never deletes published data.
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
        return "finish a publish cut short, remove dead runs' staging and gone leases, mark a failed run looked at; never deletes published data";
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

    /**
     * Refuses a channel that no load ever ran for under this output ({@link LoadedChannels}): a
     * misspelt brand, tracker or channel would otherwise be "nothing to repair", exit 0, and leave
     * a lock folder of the misspelt name behind.
     */
    private static void requireLoadsOfChannel(Storage storage, LoadRequest request)
    {
        Optional<List<String>> never = LoadedChannels.neverLoaded(storage, request.output(), request.partition());
        if (never.isPresent()) {
            throw new UserException("no load of " + request.partition().channelPath() + " ever ran under --output " + request.output() + ", so nothing there is to repair"
                    + LoadedChannels.historyHas(never.get()) + "; check the partition's brand, tracker and channel");
        }
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        LoadRequest request = Flags.loadRequest(line);
        FileProblems.requireOutputRoot(request.output());
        if (!request.output().isS3() && !Files.isDirectory(request.output().toPath())) {
            // a typo: nothing was ever loaded there, and repair would leave a lock folder behind
            throw new UserException("--output " + request.output().toPath() + " does not exist, so nothing was loaded there to repair; give the output folder of the load");
        }
        Pipeline pipeline = Flags.pipeline(line, console);
        requireLoadsOfChannel(pipeline.storage(), request);
        // Ctrl-C, SIGTERM or SIGHUP wait for the repair to end: it is short, and what it does (finish a
        // cut publish, record it) cut short again would leave the day as mixed as it found it, and
        // its own lease behind. The engine is not guarded: the callbacks of that publish must run
        try (Interruption interruption = Interruption.install()) {
            interruption.onInterrupt(() -> {
                console.err().println("etl: interrupted (" + interruption.cause() + "); the repair finishes what it began first");
                return true;
            });
            RepairOutcome repair;
            try (Engine engine = Engines.open(request.engine(), 1, pipeline.settings())) {
                repair = pipeline.repair(request, engine);
            }
            repair.removedLease().ifPresent(lease -> console.out().println("removed the lease of " + lease.describe()));
            repair.rolledForward().forEach(run -> console.out().println("finished the publish of run " + run + ", which was cut short"));
            repair.removedStaging().forEach(run -> console.out().println("removed the staging area of run " + run + ", whose lease had ended (killed, or stalled past it: it stops when it resumes)"));
            repair.resolved().forEach(run -> console.out().println("marked run " + run + " as looked at (resolved)"));
            repair.removedLocalCopies().forEach(copy -> console.out().println("removed the local copy that run " + copy.getFileName() + " left in " + copy.getParent()));
            if (!repair.registered().isEmpty()) {
                console.out().println("registered " + request.partition() + " in the " + request.engine().id() + " tables " + String.join(", ", repair.registered())
                        + ", which did not list it");
            }
            if (repair.nothing()) {
                console.out().println("nothing to repair for " + request.partition());
            }
            repair.leaseNotGivenBack().ifPresent(reason -> console.err().println("etl: warning: " + reason
                    + "; what the repair did stands, and the lease ends by itself once this process has ended (at once for the next run on this host)"));
            if (interruption.happened()) {
                console.err().println("etl: repair interrupted (" + interruption.cause() + ") once it had finished: " + request.partition()
                        + " is as the lines above say");
                return ExitCode.INTERRUPTED;
            }
            return ExitCode.DONE;
        }
    }
}
