package org.eventetl.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import org.eventetl.history.HistoryEntry;
import org.eventetl.history.HistoryStore;
import org.eventetl.history.StepState;
import org.eventetl.history.StepStatus;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;

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
        return "show each step of a partition or range as applied, pending, failed or outdated (exit 3 unless all is current)";
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
        List<StepStatus> rows = new ArrayList<>();
        for (Partition partition : Flags.range(line, name()).partitions()) {
            LoadRequest request = Flags.loadRequest(line, partition);
            Location history = new HistoryStore(pipeline.storage(), request.output()).folder(partition);
            rows.addAll(FileProblems.reading("the history of " + partition + " under " + history.asPrefix(), () -> pipeline.status(request)));
        }
        if (line.hasOption("json")) {
            // steps: per partition and step, its partition, step, state, detail and latest_run (a history entry, or null)
            List<Map<String, Object>> json = new ArrayList<>();
            for (StepStatus row : rows) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("partition", row.partition());
                entry.put("step", row.step());
                entry.put("state", row.state().name().toLowerCase());
                entry.put("detail", row.detail());
                entry.put("latest_run", row.latest().orElse(null));
                json.add(entry);
            }
            Map<String, Object> document = CommandJson.document(name());
            document.put("steps", json);
            CommandJson.print(console.out(), document);
        }
        else {
            print(console, rows);
        }
        return rows.stream().allMatch(row -> row.state() == StepState.APPLIED) ? ExitCode.DONE : ExitCode.NOT_CURRENT;
    }

    private static void print(Console console, List<StepStatus> rows)
    {
        console.out().printf("%-12s %-20s %-9s %-20s %8s %12s %11s  %s%n", "day", "step", "state", "applied at (UTC)", "seconds", "rows", "scanned MB", "detail");
        for (StepStatus row : rows) {
            String day = row.partition().replaceAll(".*year=(\\d+)/month=(\\d+)/day=(\\d+)", "$1-$2-$3");
            HistoryEntry run = row.latest().orElse(null);
            console.out().printf("%-12s %-20s %-9s %-20s %8s %12s %11s  %s%n", day, row.step(), row.state().name().toLowerCase(),
                    run == null ? "-" : run.startedAt().toString().substring(0, 19).replace('T', ' '),
                    run == null ? "-" : String.format("%.2f", run.seconds()),
                    run == null ? "-" : String.format("%,d", run.rowsWritten()),
                    run == null ? "-" : String.format("%.1f", run.bytesScanned() / 1e6),
                    row.detail());
        }
        long current = rows.stream().filter(row -> row.state() == StepState.APPLIED).count();
        console.out().printf("%d of %d steps applied and current%n", current, rows.size());
    }
}
