package org.eventetl.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import org.eventetl.history.HistoryEntry;
import org.eventetl.history.StepState;
import org.eventetl.history.StepStatus;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;
import org.eventetl.partition.Partition;

/** {@code etl status}: per partition and step, applied, pending, failed or outdated; exit 3 unless all is applied and current. */
final class StatusCommand
        implements Command
{
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

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
        return Flags.rangeOptions().addOption(Flags.json());
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        Pipeline pipeline = Flags.pipeline(line, console);
        List<StepStatus> rows = new ArrayList<>();
        for (Partition partition : Flags.range(line).partitions()) {
            LoadRequest request = Flags.loadRequest(line, partition);
            rows.addAll(pipeline.status(request));
        }
        if (line.hasOption("json")) {
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
            console.out().println(JSON.writeValueAsString(json));
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
