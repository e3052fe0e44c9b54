package org.eventetl.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eventetl.engine.StepStatistics;
import org.eventetl.engine.duckdb.DatasetReader;
import org.eventetl.history.RunRecord;
import org.eventetl.load.LoadResult;
import org.eventetl.load.StepRun;
import org.eventetl.model.EngineKind;
import org.eventetl.model.TerminalText;
import org.eventetl.storage.StagedPrefix;

/**
 * The end-of-load summary on stdout: per step rows, bytes scanned and seconds (on Athena also its
 * engine and queue time and what it cost, and the day's total), the audits and the publish, then
 * what the steps' {@code -- summary:} headers ask to show of their datasets.
 */
final class SummaryPrinter
{
    private SummaryPrinter() {}

    static void text(PrintStream out, LoadResult result, List<DatasetSummary> summaries)
    {
        double megabytes = result.sourceBytes() / 1e6;
        out.printf("Published %s on %s in %.1f s (run %s): %,d file%s, %.1f MB of source (%.0f MB/s)%n",
                result.partition(), result.engine().id(), result.seconds(), result.runId(), result.sourceFiles(), result.sourceFiles() == 1 ? "" : "s", megabytes,
                megabytes / Math.max(result.seconds(), 1e-9));
        out.println();
        if (billed(result)) {
            athenaSteps(out, result);
        }
        else {
            out.printf("%-22s %14s %14s %9s%n", "step", "rows", "scanned MB", "seconds");
            for (StepRun step : result.steps()) {
                if (step.skipped()) {
                    out.printf("%-22s %14s %14s %9s%n", step.id(), "skipped", "-", "-");
                    continue;
                }
                StepStatistics statistics = step.statistics();
                out.printf("%-22s %,14d %14.1f %9.2f%n", step.id(), statistics.rowsWritten(), statistics.bytesScanned() / 1e6, statistics.seconds());
            }
        }
        out.println();
        long passed = result.audits().stream().filter(audit -> audit.verdict() == RunRecord.AuditResult.Verdict.PASSED).count();
        out.printf("audits: %d of %d passed in %.2f s; published %d datasets in %.2f s%n", passed, result.audits().size(), result.auditSeconds(),
                result.published().size(), result.publishSeconds());
        for (RunRecord.AuditResult warning : result.warnings()) {
            out.printf("  warning: audit %s: %s%s%n", warning.audit(), warning.rows().get(0),
                    warning.rows().size() > 1 ? " (and " + (warning.rows().size() - 1) + " more row" + (warning.rows().size() == 2 ? ")" : "s)") : "");
        }
        for (DatasetSummary summary : summaries) {
            out.println();
            out.println(summary.dataset() + (summary.view().countBy().isPresent() ? " by " + summary.view().countBy().get() : ""));
            if (summary.problem() != null) {
                out.println("(" + summary.problem() + ")");
                continue;
            }
            if (summary.table().rows().isEmpty()) {
                out.println("(none)");
                continue;
            }
            table(out, summary);
        }
    }

    /** A small table: text left-aligned, numbers right-aligned, whole ones with thousands separators. */
    private static void table(PrintStream out, DatasetSummary summary)
    {
        List<String> columns = summary.table().columns();
        List<List<String>> cells = new ArrayList<>();
        for (List<Object> row : summary.table().values()) {
            cells.add(row.stream().map(SummaryPrinter::cell).toList());
        }
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
            for (List<String> row : cells) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            header.append(i == 0 ? "" : "  ").append(pad(columns.get(i), widths[i], i > 0));
        }
        out.println(header.toString().stripTrailing());
        for (int r = 0; r < cells.size(); r++) {
            List<String> row = cells.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == 0 ? "" : "  ").append(pad(row.get(i), widths[i], summary.table().values().get(r).get(i) instanceof Number));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String cell(Object value)
    {
        // only a whole number is grouped: a text of digits (a device id, say) is printed as it is
        // a text is the data's: one line of the table, however long, whatever it holds
        return value instanceof Long || value instanceof Integer || value instanceof Short ? String.format("%,d", value)
                : TerminalText.shortened(DatasetReader.Table.text(value));
    }

    private static String pad(String text, int width, boolean right)
    {
        return right ? " ".repeat(width - text.length()) + text : text + " ".repeat(width - text.length());
    }

    /** Athena bills each query: per step its engine and queue time and cost, then the day's total. */
    private static void athenaSteps(PrintStream out, LoadResult result)
    {
        out.printf("%-22s %14s %14s %9s %9s %9s %10s%n", "step", "rows", "scanned MB", "seconds", "engine s", "queue s", "cost USD");
        long bytes = 0;
        double seconds = 0;
        double engineSeconds = 0;
        double queueSeconds = 0;
        double dollars = 0;
        for (StepRun step : result.steps()) {
            if (step.skipped()) {
                out.printf("%-22s %14s %14s %9s %9s %9s %10s%n", step.id(), "skipped", "-", "-", "-", "-", "-");
                continue;
            }
            StepStatistics statistics = step.statistics();
            out.printf("%-22s %,14d %14.1f %9.2f %9.2f %9.2f %10.6f%n", step.id(), statistics.rowsWritten(), statistics.bytesScanned() / 1e6, statistics.seconds(),
                    statistics.engineSeconds(), statistics.queueSeconds(), statistics.dollars());
            bytes += statistics.bytesScanned();
            seconds += statistics.seconds();
            engineSeconds += statistics.engineSeconds();
            queueSeconds += statistics.queueSeconds();
            dollars += statistics.dollars();
        }
        out.printf("%-22s %14s %14.1f %9.2f %9.2f %9.2f %10.6f%n", "total", "", bytes / 1e6, seconds, engineSeconds, queueSeconds, dollars);
        out.println("(cost: the bytes each query scanned, rounded up to the MB, 10 MB minimum per query that scans, at athena.price-per-tb; DDL is free)");
        // where each count came from: Athena's statistics may come late or not at all, and a count is never guessed
        List<StepRun> noted = result.steps().stream().filter(step -> !step.skipped() && !step.statistics().notes().isEmpty()).toList();
        if (!noted.isEmpty()) {
            out.println("where the counts come from:");
        }
        for (StepRun step : noted) {
            out.println("  " + step.id() + ": " + String.join("; ", step.statistics().notes()));
        }
    }

    private static boolean billed(LoadResult result)
    {
        return result.engine() == EngineKind.ATHENA;
    }

    /**
     * {@code load --json}: interrupted (whether a signal came while the run published, which it
     * finished first), partition, engine, run_id, seconds, audit_seconds, publish_seconds,
     * source_files, source_bytes; steps (per step: step, staged, published, skipped, rows,
     * rows_scanned, bytes_scanned, seconds, and on Athena engine_seconds, queue_seconds, cost_usd);
     * on Athena cost_usd; audits (per audit: audit, verdict, rows); published (the datasets);
     * summaries (per step whose header asks: step, dataset, view, columns, rows, problem).
     */
    static void json(PrintStream out, LoadResult result, List<DatasetSummary> summaries, boolean interrupted)
    {
        Map<String, Object> summary = CommandJson.document("load");
        summary.put("interrupted", interrupted);
        summary.put("partition", result.partition().hivePath());
        summary.put("engine", result.engine().id());
        summary.put("run_id", result.runId());
        summary.put("seconds", result.seconds());
        summary.put("audit_seconds", result.auditSeconds());
        summary.put("publish_seconds", result.publishSeconds());
        summary.put("source_files", result.sourceFiles());
        summary.put("source_bytes", result.sourceBytes());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (StepRun step : result.steps()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", step.id());
            row.put("staged", result.staged(step).map(StagedPrefix::prefix).orElse(null));
            row.put("published", result.staged(step).map(target -> target.published().prefix()).orElse(null));
            row.put("skipped", step.skipped());
            row.put("rows", step.statistics().rowsWritten());
            row.put("rows_scanned", step.statistics().rowsScanned());
            row.put("bytes_scanned", step.statistics().bytesScanned());
            row.put("seconds", step.statistics().seconds());
            if (billed(result)) {
                row.put("engine_seconds", step.statistics().engineSeconds());
                row.put("queue_seconds", step.statistics().queueSeconds());
                row.put("cost_usd", step.statistics().dollars());
                row.put("notes", step.statistics().notes());
            }
            steps.add(row);
        }
        summary.put("steps", steps);
        if (billed(result)) {
            summary.put("cost_usd", result.steps().stream().mapToDouble(step -> step.statistics().dollars()).sum());
        }
        summary.put("audits", result.audits());
        summary.put("published", result.published());
        List<Map<String, Object>> datasets = new ArrayList<>();
        for (DatasetSummary dataset : summaries) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("step", dataset.step());
            entry.put("dataset", dataset.dataset());
            entry.put("view", dataset.view().toString());
            entry.put("columns", dataset.table().columns());
            entry.put("rows", dataset.table().values());
            entry.put("problem", dataset.problem());
            datasets.add(entry);
        }
        summary.put("summaries", datasets);
        CommandJson.print(out, summary);
    }
}
