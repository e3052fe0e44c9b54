package org.eventetl.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import org.eventetl.history.HistoryStore;
import org.eventetl.history.PartitionHistory;
import org.eventetl.history.PublicationStore;
import org.eventetl.history.StepRecord;
import org.eventetl.load.Pipeline;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.plan.Step;
import org.eventetl.storage.Location;

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
        return "[--partition P | --partition brand=…/tracker=…/channel=… --from D --to D] [--output DIR] [--json]";
    }

    @Override
    public Options options()
    {
        // (no --source, no --engine: validate compares sql/ with the history, and reads neither; given, they are refused, not ignored)
        return Flags.publishedRangeOptions(Flags.dayOrChannel()).addOption(Flags.json());
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        List<String> findings = new ArrayList<>();
        // a bad --config or flag is the user's to fix (a refusal), not a finding about sql/
        Flags.settings(line);
        Pipeline pipeline;
        try {
            pipeline = Flags.pipeline(line, console);
        }
        catch (UserException e) {
            // sql/ itself is not well formed: that is this command's finding
            return report(line, console, List.of(e.getMessage()), 0, 0);
        }
        // what each partition's published data was made by: the published run's step records
        List<StepRecord> history = new ArrayList<>();
        List<StepRecord> published = new ArrayList<>();
        if (line.hasOption("partition") || line.hasOption("from") || line.hasOption("to")) {
            // (--from or --to alone is refused by the range, as status refuses it, rather than ignored)
            Location output = Flags.output(line);
            // a mistyped --output has no history: "well formed" alone would read as checked
            Optional<Path> missing = FileProblems.missingFolder(output);
            if (missing.isPresent()) {
                throw new UserException("--output " + missing.get() + " does not exist: no published run there to compare with sql/ (a mistyped path?)");
            }
            HistoryStore store = new HistoryStore(pipeline.storage(), output);
            PublicationStore pointers = new PublicationStore(pipeline.storage(), output);
            for (Partition partition : Flags.range(line, name()).partitions()) {
                PartitionHistory partitionHistory = FileProblems.reading("the history of " + partition + " under " + store.folder(partition).asPrefix(),
                        () -> store.read(partition));
                // the pointer is not compared with sql/, but a damaged one is refused here as status refuses it
                FileProblems.reading("what " + output + " has published", () -> pointers.read(partition));
                history.addAll(partitionHistory.steps());
                partitionHistory.published().ifPresent(run -> published.addAll(partitionHistory.steps(run.runId())));
            }
        }
        List<Step> steps = pipeline.scripts().steps();
        Set<Integer> versions = new TreeSet<>();
        steps.forEach(step -> versions.add(step.version()));
        Set<Integer> applied = new TreeSet<>();
        history.forEach(entry -> applied.add(entry.version()));
        int highest = versions.stream().mapToInt(Integer::intValue).max().orElse(0);
        for (int version = 1; version < highest; version++) {
            if (!versions.contains(version) && !applied.contains(version)) {
                findings.add("sql/: version " + version + " is missing and no history explains it (steps must not be renumbered or lost)");
            }
        }
        for (StepRecord entry : published) {
            Step step = steps.stream().filter(candidate -> candidate.version() == entry.version()).findFirst().orElse(null);
            if (step == null) {
                findings.add(entry.partition() + ": " + entry.step() + " made the published data (run " + entry.runId() + ") but sql/ no longer has version " + entry.version());
            }
            else if (!step.checksum().equals(entry.checksum())) {
                findings.add(entry.partition() + ": " + entry.step() + " made the published data with checksum " + entry.checksum()
                        + " (run " + entry.runId() + "), " + step.file() + " now has " + step.checksum() + "; reload the partition");
            }
        }
        return report(line, console, findings.stream().distinct().toList(), steps.size(), published.size());
    }

    /**
     * One line per finding, or the line that says all is well. {@code --json}: steps (how many sql/
     * has), history_entries (the step records of the published runs checked), findings (one text each,
     * empty when all is well).
     */
    private int report(CommandLine line, Console console, List<String> findings, int steps, int historyEntries)
    {
        if (line.hasOption("json")) {
            Map<String, Object> document = CommandJson.document(name());
            document.put("steps", steps);
            document.put("history_entries", historyEntries);
            document.put("findings", findings);
            CommandJson.print(console.out(), document);
        }
        else if (findings.isEmpty()) {
            console.out().println("validate: " + steps + " steps well formed" + (historyEntries > 0 ? ", " + historyEntries + " history entries match sql/"
                    : line.hasOption("partition") ? "; no published run of the partition to compare with sql/" : ""));
        }
        else {
            findings.forEach(console.out()::println);
        }
        return findings.isEmpty() ? ExitCode.DONE : ExitCode.STEP_FAILED;
    }
}
