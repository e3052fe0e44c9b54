package org.eventetl.cli;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import org.eventetl.engine.Engine;
import org.eventetl.history.PartitionState;
import org.eventetl.history.PartitionStatus;
import org.eventetl.history.StepRecord;
import org.eventetl.history.StepStatus;
import org.eventetl.history.UnfinishedPublish;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;
import org.eventetl.model.EngineKind;
import org.eventetl.model.StepFailedException;
import org.eventetl.model.TerminalText;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.storage.StorageOutage;

/** {@code etl status}: per partition and step, applied, pending, failed or outdated; exit 3 unless all is applied and current. */
final class StatusCommand
        implements Command
{
    @Override
    public String name()
    {
        return "status";
    }

    @Override
    public String summary()
    {
        return "show which run is published per partition, each step as applied, pending or outdated, and a later run that failed (exit 3 unless every partition is current or has no source)";
    }

    @Override
    public String usage()
    {
        return "--partition P | --partition brand=…/tracker=…/channel=… --from yyyy-mm-dd --to yyyy-mm-dd [--source DIR] [--output DIR] [--engine E] [--json]";
    }

    @Override
    public Options options()
    {
        return Flags.rangeOptions(Flags.dayOrChannel()).addOption(Flags.json());
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        Pipeline pipeline = Flags.pipeline(line, console);
        FileProblems.requireOutputPath(Flags.output(line));
        FileProblems.nearestFolder("--output", Flags.output(line));
        List<Partition> range = Flags.range(line, name()).partitions();
        boolean sourceChecked = Flags.requireSourceRoot(line, pipeline.storage(), range.get(0));
        List<PartitionStatus> partitions = new ArrayList<>();
        int outages = 0;
        for (Partition partition : range) {
            LoadRequest request = Flags.loadRequest(line, partition);
            try {
                // status reads more than the history (the pointer, the datasets' markers, the staging, the lease):
                // the reason names the file
                partitions.add(FileProblems.reading("the state of " + partition + " under " + request.output().asPrefix(), () -> pipeline.status(request)));
            }
            catch (UserException e) {
                if (range.size() == 1) {
                    throw e;
                }
                // one damaged day must not hide the others of a range: its line says what is wrong
                partitions.add(new PartitionStatus(partition, PartitionState.UNREADABLE, Optional.empty(), List.of(), Optional.empty(), e.getMessage()));
            }
            catch (UncheckedIOException e) {
                if (range.size() == 1 || !StorageOutage.in(e)) {
                    throw e;
                }
                // nor one day whose reads the storage failed (after the SDK's retries): the others may answer
                outages++;
                String said = e.getMessage().endsWith(StorageOutage.ADVICE) ? e.getMessage() : e.getMessage() + "; " + StorageOutage.ADVICE;
                partitions.add(new PartitionStatus(partition, PartitionState.UNREADABLE, Optional.empty(), List.of(), Optional.empty(), said));
            }
        }
        partitions = withCatalogChecked(pipeline, partitions, line);
        if (!sourceChecked) {
            // without a source to look in, a day never published may have data or not: not "no source", which counts as good
            partitions = partitions.stream().map(status -> status.state() != PartitionState.NO_SOURCE ? status
                    : status.with(PartitionState.PENDING, "never published; whether it has source data was not checked (no --source)")).toList();
        }
        // every day "no source": a range of the wrong year, or days not landed yet
        Optional<String> yearsNote = partitions.stream().allMatch(status -> status.state() == PartitionState.NO_SOURCE)
                ? Flags.yearsTheSourceHolds(line, pipeline.storage(), range) : Optional.empty();
        // a mistyped --output looks like days never loaded: said once, under the table
        Optional<String> outputNote = FileProblems.missingFolder(Flags.output(line))
                .map(missing -> "note: --output " + missing + " does not exist: nothing was ever published there (a mistyped path?)")
                .or(() -> FileProblems.folderNoLoadRanIn(Flags.output(line))
                        .map(folder -> "note: --output " + folder + " holds no _etl folder: no load ever ran there (a mistyped path?)"));
        Optional<String> sourceNote = sourceChecked ? Optional.empty()
                : Optional.of("note: no --source given, and the default " + Flags.settings(line).get("source") + " does not exist in this folder:"
                        + " the steps were compared with sql/ only, and a day never published shows as pending whether it has data or not; give --source to check it");
        List<String> notes = Stream.of(sourceNote, outputNote, yearsNote).flatMap(Optional::stream).toList();
        if (line.hasOption("json")) {
            // partitions: per partition its partition, state, detail, published_run (how the published run ended,
            // or null), latest_attempt (a later run that failed, was killed or runs, or null), unfinished_publish
            // (a publish under way or cut short, or null: see unfinishedPublish) and steps (per step
            // its version, step, state, published (the published run's record of it, or null) and detail);
            // current: whether every partition is current or without source
            Map<String, Object> document = CommandJson.document(name());
            List<Map<String, Object>> entries = new ArrayList<>();
            for (PartitionStatus status : partitions) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("partition", status.partition().hivePath());
                entry.put("state", status.state());
                entry.put("detail", status.detail());
                entry.put("published_run", status.published().orElse(null));
                entry.put("latest_attempt", status.attempt().orElse(null));
                entry.put("unfinished_publish", status.unfinishedPublish().map(StatusCommand::unfinishedPublish).orElse(null));
                entry.put("steps", status.steps());
                entries.add(entry);
            }
            document.put("partitions", entries);
            document.put("current", partitions.stream().allMatch(status -> status.state().good()));
            if (!notes.isEmpty()) {
                document.put("note", String.join("; ", notes));
            }
            CommandJson.print(console.out(), document);
        }
        else {
            print(console, partitions);
            notes.forEach(console.out()::println);
        }
        long unreadable = partitions.stream().filter(status -> status.state() == PartitionState.UNREADABLE).count();
        if (unreadable > 0 && unreadable == outages) {
            // every such day the storage's failure, not the user's: a scheduler retries exit 1
            console.err().println("etl: " + unreadable + " of the " + partitions.size() + " days could not be read: their lines say why; " + StorageOutage.ADVICE);
            return ExitCode.STEP_FAILED;
        }
        if (unreadable > 0) {
            console.err().println("etl: " + unreadable + " of the " + partitions.size() + " days could not be read: their lines say why");
            return ExitCode.REFUSED;
        }
        return partitions.stream().allMatch(status -> status.state().good()) ? ExitCode.DONE : ExitCode.NOT_CURRENT;
    }

    /**
     * On an engine that keeps a catalog of its own (Trino), what it lists: a day published on disk
     * but missing from a table is not seen by the table's readers. Where the engine cannot be asked,
     * each current day says so, and keeps its state.
     */
    private static List<PartitionStatus> withCatalogChecked(Pipeline pipeline, List<PartitionStatus> partitions, CommandLine line)
    {
        EngineKind kind = Flags.loadRequest(line, partitions.get(0).partition()).engine();
        if (!kind.keepsPartitionCatalog() || partitions.stream().noneMatch(status -> status.state() == PartitionState.CURRENT)) {
            return partitions;
        }
        try (Engine engine = Engines.open(kind, 1, pipeline.settings())) {
            return pipeline.withCatalogChecked(partitions, engine);
        }
        catch (StepFailedException e) {
            return partitions.stream().map(status -> status.state() != PartitionState.CURRENT ? status
                    : status.withNote(kind.id() + "'s catalog was not asked whether its tables list the day (" + e.getMessage() + ")")).toList();
        }
    }

    /**
     * What the detail says of a publish under way or cut short, in fields: run_id, datasets,
     * replaced (those whose folder holds its files), under_way (its run publishes now), mixes_runs
     * (a reader sees datasets of two runs now), can_be_finished (by repair or a rerun; false: only a
     * load replaces every dataset) and why_it_cannot (or null).
     */
    private static Map<String, Object> unfinishedPublish(UnfinishedPublish publish)
    {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("run_id", publish.runId());
        fields.put("datasets", publish.datasets());
        fields.put("replaced", publish.replaced());
        fields.put("under_way", publish.underWay());
        fields.put("mixes_runs", publish.mixesRuns());
        fields.put("can_be_finished", publish.cannotBeFinished().isEmpty());
        fields.put("why_it_cannot", publish.cannotBeFinished().orElse(null));
        return fields;
    }

    private static void print(Console console, List<PartitionStatus> partitions)
    {
        console.out().printf("%-12s %-20s %-9s %-20s %8s %12s %11s  %s%n", "day", "step", "state", "published (UTC)", "seconds", "rows", "scanned MB", "detail");
        for (PartitionStatus status : partitions) {
            String day = status.partition().day().toString();
            // a day without a source has nothing to say per step (--json still lists them)
            List<StepStatus> rows = status.state() == PartitionState.NO_SOURCE ? List.of() : status.steps();
            for (StepStatus row : rows) {
                StepRecord run = row.published().orElse(null);
                console.out().printf("%-12s %-20s %-9s %-20s %8s %12s %11s  %s%n", day, row.step(), row.state().name().toLowerCase(Locale.ROOT),
                        run == null ? "-" : status.published().map(published -> time(published.finishedAt())).orElse("-"),
                        run == null ? "-" : String.format("%.2f", run.seconds()),
                        run == null ? "-" : String.format("%,d", run.rowsWritten()),
                        run == null ? "-" : String.format("%.1f", run.bytesScanned() / 1e6),
                        TerminalText.oneLine(row.detail()));
            }
            // as wide as the longest state, "interrupted", so that the detail always stands apart; a detail
            // may quote a failure recorded in the history, and so the data (an audit's row)
            console.out().printf("%-12s %-20s %-11s %s%n", day, "partition", status.state().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                    TerminalText.oneLine(status.detail()));
        }
        long good = partitions.stream().filter(status -> status.state().good()).count();
        console.out().printf("%d of %d partitions current (or without source)%n", good, partitions.size());
    }

    private static String time(Instant instant)
    {
        return instant.toString().substring(0, 19).replace('T', ' ');
    }
}
