package org.eventetl.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eventetl.engine.StepStats;
import org.eventetl.engine.duckdb.DatasetReader;
import org.eventetl.load.LoadResult;
import org.eventetl.load.StepOutcome;
import org.eventetl.model.EngineKind;
import org.eventetl.storage.TargetPrefix;

/**
 * The end-of-load summary on stdout: per step rows, bytes scanned and seconds (on Athena also its
 * engine and queue time and what it cost, and the day's total), the rejects, then the DAU table.
 */
final class SummaryPrinter
{
    private SummaryPrinter() {}

    static void text(PrintStream out, LoadResult result, DatasetReader.Table dau)
    {
        double megabytes = result.sourceBytes() / 1e6;
        out.printf("Loaded %s on %s in %.1f s: %d files, %.1f MB of JSON (%.0f MB/s)%n",
                result.partition(), result.engine().id(), result.seconds(), result.sourceFiles(), megabytes, megabytes / Math.max(result.seconds(), 1e-9));
        out.println();
        if (billed(result)) {
            athenaSteps(out, result);
        }
        else {
            out.printf("%-22s %14s %14s %9s%n", "step", "rows", "scanned MB", "seconds");
            for (StepOutcome step : result.steps()) {
                if (step.skipped()) {
                    out.printf("%-22s %14s %14s %9s%n", step.id(), "skipped", "-", "-");
                    continue;
                }
                out.printf("%-22s %,14d %14.1f %9.2f%n", step.id(), step.stats().rowsWritten(), step.stats().bytesScanned() / 1e6, step.stats().seconds());
            }
        }
        out.println();
        out.printf("events: %,d of %,d non-blank lines; rejects: %,d (%.3f%%)%s%n",
                result.rejects().events(), result.rejects().lines(), result.rejects().rejects(), result.rejects().ratio() * 100,
                result.rejects().location().map(location -> ", kept under " + location.asPrefix()).orElse(""));
        if (result.rejects().unkept() > 0) {
            out.printf("  %,d of them held bytes that split the line, and could not be kept verbatim%n", result.rejects().unkept());
        }
        out.println();
        out.println("daily active devices");
        if (dau.rows().isEmpty()) {
            // no event had a country, or the engine wrote no file there (a stub in the tests)
            out.println("(none: the partition's dau prefix holds no rows)");
            return;
        }
        out.printf("%-8s %12s%n", "country", "devices");
        for (List<String> row : dau.rows()) {
            out.printf("%-8s %,12d%n", row.get(0), Long.parseLong(row.get(1)));
        }
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
        for (StepOutcome step : result.steps()) {
            if (step.skipped()) {
                out.printf("%-22s %14s %14s %9s %9s %9s %10s%n", step.id(), "skipped", "-", "-", "-", "-", "-");
                continue;
            }
            StepStats stats = step.stats();
            out.printf("%-22s %,14d %14.1f %9.2f %9.2f %9.2f %10.6f%n", step.id(), stats.rowsWritten(), stats.bytesScanned() / 1e6, stats.seconds(),
                    stats.engineSeconds(), stats.queueSeconds(), stats.dollars());
            bytes += stats.bytesScanned();
            seconds += stats.seconds();
            engineSeconds += stats.engineSeconds();
            queueSeconds += stats.queueSeconds();
            dollars += stats.dollars();
        }
        out.printf("%-22s %14s %14.1f %9.2f %9.2f %9.2f %10.6f%n", "total", "", bytes / 1e6, seconds, engineSeconds, queueSeconds, dollars);
        out.println("(cost: the bytes each query scanned, rounded up to the MB, 10 MB minimum per query that scans, at athena.price-per-tb; DDL is free)");
    }

    private static boolean billed(LoadResult result)
    {
        return result.engine() == EngineKind.ATHENA;
    }

    /**
     * {@code load --json}: partition, engine, run_id, seconds, source_files, source_bytes; steps (per
     * step: step, target, skipped, rows, rows_scanned, bytes_scanned, seconds, and on Athena
     * engine_seconds, queue_seconds, cost_usd); on Athena cost_usd; rejects (lines, events, rejects,
     * location); dau (per country: country, device_count).
     */
    static void json(PrintStream out, LoadResult result, DatasetReader.Table dau)
    {
        Map<String, Object> summary = CommandJson.document("load");
        summary.put("partition", result.partition().hivePath());
        summary.put("engine", result.engine().id());
        summary.put("run_id", result.runId());
        summary.put("seconds", result.seconds());
        summary.put("source_files", result.sourceFiles());
        summary.put("source_bytes", result.sourceBytes());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (StepOutcome step : result.steps()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", step.id());
            row.put("target", step.target().map(TargetPrefix::prefix).orElse(null));
            row.put("skipped", step.skipped());
            row.put("rows", step.stats().rowsWritten());
            row.put("rows_scanned", step.stats().rowsScanned());
            row.put("bytes_scanned", step.stats().bytesScanned());
            row.put("seconds", step.stats().seconds());
            if (billed(result)) {
                row.put("engine_seconds", step.stats().engineSeconds());
                row.put("queue_seconds", step.stats().queueSeconds());
                row.put("cost_usd", step.stats().dollars());
            }
            steps.add(row);
        }
        summary.put("steps", steps);
        if (billed(result)) {
            summary.put("cost_usd", result.steps().stream().mapToDouble(step -> step.stats().dollars()).sum());
        }
        Map<String, Object> rejects = new LinkedHashMap<>();
        rejects.put("lines", result.rejects().lines());
        rejects.put("events", result.rejects().events());
        rejects.put("rejects", result.rejects().rejects());
        rejects.put("location", result.rejects().location().map(location -> location.asPrefix()).orElse(null));
        summary.put("rejects", rejects);
        List<Map<String, Object>> devices = new ArrayList<>();
        for (List<String> row : dau.rows()) {
            Map<String, Object> country = new LinkedHashMap<>();
            country.put("country", row.get(0));
            country.put("device_count", Long.parseLong(row.get(1)));
            devices.add(country);
        }
        summary.put("dau", devices);
        CommandJson.print(out, summary);
    }
}
