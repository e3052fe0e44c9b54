package org.eventetl.cli;

import org.eventetl.model.UserException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import org.eventetl.history.HistoryEntry;
import org.eventetl.history.HistoryStore;
import org.eventetl.load.Pipeline;
import org.eventetl.partition.Partition;
import org.eventetl.plan.Step;

/**
 * {@code etl validate}: the templates are well formed (file names, no duplicate versions, no gap
 * in the versions that the history does not explain), and in the given range every applied step's
 * checksum still matches {@code sql/}. One line per finding; exit 1 if any.
 */
final class ValidateCommand
        implements Command
{
    @Override
    public String name()
    {
        return "validate";
    }

    @Override
    public String summary()
    {
        return "check sql/ is well formed and, for a partition or range, that applied steps match it (exit 1 on findings)";
    }

    @Override
    public String usage()
    {
        return "[--partition P | --partition brand=…/tracker=…/channel=… --from D --to D] [--output DIR]";
    }

    @Override
    public Options options()
    {
        return Flags.rangeOptions();
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        List<String> findings = new ArrayList<>();
        Pipeline pipeline;
        try {
            pipeline = Flags.pipeline(line, console);
        }
        catch (UserException e) {
            console.out().println(e.getMessage());
            return ExitCode.STEP_FAILED;
        }
        List<HistoryEntry> history = new ArrayList<>();
        if (line.hasOption("partition")) {
            HistoryStore store = new HistoryStore(pipeline.storage(), Flags.output(line));
            for (Partition partition : Flags.range(line).partitions()) {
                history.addAll(store.entries(partition));
            }
        }
        Set<Integer> versions = new TreeSet<>();
        pipeline.steps().forEach(step -> versions.add(step.version()));
        Set<Integer> applied = new TreeSet<>();
        history.forEach(entry -> applied.add(entry.version()));
        int highest = versions.stream().mapToInt(Integer::intValue).max().orElse(0);
        for (int version = 1; version < highest; version++) {
            if (!versions.contains(version) && !applied.contains(version)) {
                findings.add("sql/: version " + version + " is missing and no history explains it (steps must not be renumbered or lost)");
            }
        }
        // the latest successful run of each step of each partition is what the data reflects
        Map<String, HistoryEntry> latestApplied = new TreeMap<>();
        for (HistoryEntry entry : history) {
            if (entry.outcome().equals(HistoryEntry.APPLIED) || entry.outcome().equals(HistoryEntry.SKIPPED)) {
                latestApplied.merge(entry.partition() + " " + entry.version(), entry,
                        (left, right) -> left.startedAt().isAfter(right.startedAt()) ? left : right);
            }
        }
        for (HistoryEntry entry : latestApplied.values()) {
            Step step = pipeline.steps().stream().filter(candidate -> candidate.version() == entry.version()).findFirst().orElse(null);
            if (step == null) {
                findings.add(entry.partition() + ": " + entry.step() + " was applied (run " + entry.runId() + ") but sql/ no longer has version " + entry.version());
            }
            else if (!step.checksum().equals(entry.checksum())) {
                findings.add(entry.partition() + ": " + entry.step() + " was applied with checksum " + entry.checksum()
                        + " (run " + entry.runId() + "), " + step.file() + " now has " + step.checksum() + "; reload the partition");
            }
        }
        findings.stream().distinct().forEach(console.out()::println);
        if (findings.isEmpty()) {
            console.out().println("validate: " + pipeline.steps().size() + " steps well formed" + (history.isEmpty() ? "" : ", " + history.size() + " history entries match sql/"));
            return ExitCode.DONE;
        }
        return ExitCode.STEP_FAILED;
    }
}
