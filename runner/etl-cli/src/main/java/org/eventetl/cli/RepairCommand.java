package org.eventetl.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import org.eventetl.engine.Engine;
import org.eventetl.lease.LeaseRefusedException;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;
import org.eventetl.load.RepairOutcome;
import org.eventetl.model.EtlException;
import org.eventetl.model.TerminalText;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Storage;

/**
 * {@code etl repair}: after a person has looked at a partition: removes a lease whose holder is
 * gone, finishes a publish that was cut short (from its manifest), removes what dead runs staged,
 * and marks a later run that failed or was killed as resolved. It never deletes published data.
 * Over a range of days (after a killed backfill, say) it repairs each day in turn, one day that
 * cannot be repaired not keeping the others from it.
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
        return "--partition P [--output DIR] [--source DIR]   or   --partition brand=…/tracker=…/channel=… --from D --to D [--output DIR] [--source DIR]";
    }

    @Override
    public Options options()
    {
        return Flags.rangeOptions(Flags.dayOrChannel());
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
        List<Partition> days = Flags.range(line, name()).partitions();
        LoadRequest first = Flags.loadRequest(line, days.get(0));
        FileProblems.requireOutputRoot(first.output());
        if (!first.output().isS3() && !Files.isDirectory(first.output().toPath())) {
            // a typo: nothing was ever loaded there, and repair would leave a lock folder behind
            throw new UserException("--output " + first.output().toPath() + " does not exist, so nothing was loaded there to repair; give the output folder of the load");
        }
        Pipeline pipeline = Flags.pipeline(line, console);
        requireLoadsOfChannel(pipeline.storage(), first);
        // Ctrl-C, SIGTERM or SIGHUP wait for the day's repair to end: it is short, and what it does
        // (finish a cut publish, record it) cut short again would leave the day as mixed as it found
        // it, and its own lease behind; a range stops before its next day. The engine is not
        // guarded: the callbacks of that publish must run
        try (Interruption interruption = Interruption.install();
                Engine engine = Engines.open(first.engine(), 1, pipeline.settings())) {
            interruption.onInterrupt(() -> {
                console.err().println("etl: interrupted (" + interruption.cause() + "); the repair finishes what it began first");
                return true;
            });
            if (days.size() == 1) {
                repair(pipeline, engine, first, console, "");
            }
            else {
                List<String> failed = new ArrayList<>();
                boolean onlyRefused = true;
                for (Partition day : days) {
                    if (interruption.happened()) {
                        break;
                    }
                    try {
                        repair(pipeline, engine, Flags.loadRequest(line, day), console, day.day() + ": ");
                    }
                    catch (EtlException | IOException | UncheckedIOException e) {
                        if (e instanceof LeaseRefusedException held && !held.holderStalled()) {
                            // a live run holds the day, and tidies what earlier runs left as it begins: no
                            // failure of the repair, as backfill leaves such a day to its run (a holder
                            // stopped in the middle of a change of its lease may never end: that fails)
                            console.out().println(day.day() + ": left to the run that holds it: " + TerminalText.oneLine(held.getMessage()));
                            continue;
                        }
                        // one day that cannot be repaired must not keep the others of the range from it: its line
                        // says why, as the command would say it of that day alone
                        Failure failure = Failure.of(e);
                        failed.add(day.day().toString());
                        onlyRefused &= failure.exitCode() == ExitCode.REFUSED;
                        console.err().println("etl: " + day.day() + ": " + TerminalText.oneLine(failure.line()));
                        if (line.hasOption("verbose") && failure.traceSays()) {
                            e.printStackTrace(console.err());
                        }
                    }
                }
                if (!failed.isEmpty()) {
                    console.err().println("etl: " + failed.size() + " of the " + days.size() + " days could not be repaired (" + String.join(", ", failed)
                            + "): their lines say why; the others are as their lines say");
                    return interruption.happened() ? interruption.exitCode() : onlyRefused ? ExitCode.REFUSED : ExitCode.STEP_FAILED;
                }
            }
            if (interruption.happened()) {
                console.err().println("etl: repair interrupted (" + interruption.cause() + ") once it had finished: "
                        + (days.size() == 1 ? first.partition() + " is" : "the days repaired are") + " as the lines above say");
                return interruption.exitCode();
            }
            return ExitCode.DONE;
        }
    }

    /** Repairs one day and says what it did, each line after {@code prefix} (the day's date, in a range). */
    private static void repair(Pipeline pipeline, Engine engine, LoadRequest request, Console console, String prefix)
            throws IOException
    {
        RepairOutcome repair = pipeline.repair(request, engine);
        repair.removedLease().ifPresent(lease -> console.out().println(prefix + "removed the lease of " + lease.describe()));
        repair.rolledForward().forEach(run -> console.out().println(prefix + "finished the publish of run " + run + ", which was cut short"));
        repair.removedStaging().forEach((run, failed) -> console.out().println(prefix + "removed the staging area of run " + run
                + (failed ? ", which failed (its staged outputs were kept for a look)" : ", whose lease had ended (killed, or stalled past it: it stops when it resumes)")));
        repair.resolved().forEach(run -> console.out().println(prefix + "marked run " + run + " as looked at (resolved)"));
        repair.pointerMended().ifPresent(was -> console.out().println(prefix + "wrote the publication pointer again for the published run, whose every dataset it is; " + was));
        repair.removedLocalCopies().forEach(copy -> console.out().println(prefix + "removed the local copy that run " + copy.getFileName() + " left in " + copy.getParent()));
        repair.removedReportStaging().forEach(report -> console.out().println(prefix + "removed the staging area of etl report " + report
                + ", which was killed while it wrote the page (the published page was left as it was)"));
        if (!repair.registered().isEmpty()) {
            console.out().println(prefix + "registered " + request.partition() + " in the " + request.engine().id() + " tables " + String.join(", ", repair.registered())
                    + ", which did not list it");
        }
        if (repair.nothing()) {
            console.out().println(prefix + "nothing to repair for " + request.partition());
        }
        repair.leaseNotGivenBack().ifPresent(reason -> console.err().println("etl: warning: " + prefix + reason
                + "; what the repair did stands, and the lease ends by itself once this process has ended (at once for the next run on this host)"));
    }
}
