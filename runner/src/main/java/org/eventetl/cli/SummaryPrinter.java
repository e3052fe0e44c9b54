package org.eventetl.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.eventetl.engine.duckdb.DatasetReader;
import org.eventetl.load.LoadResult;
import org.eventetl.load.StepOutcome;
import org.eventetl.storage.TargetPrefix;

/** The end-of-load summary on stdout: per step rows, bytes scanned and seconds, the rejects, then the DAU table. */
final class SummaryPrinter
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryPrinter() {}

    static void text(PrintStream out, LoadResult result, DatasetReader.Table dau)
    {
        double megabytes = result.sourceBytes() / 1e6;
        out.printf("Loaded %s on %s in %.1f s: %d files, %.1f MB of JSON (%.0f MB/s)%n",
                result.partition(), result.engine().id(), result.seconds(), result.sourceFiles(), megabytes, megabytes / Math.max(result.seconds(), 1e-9));
        out.println();
        out.printf("%-22s %14s %14s %9s%n", "step", "rows", "scanned MB", "seconds");
        for (StepOutcome step : result.steps()) {
            if (step.skipped()) {
                out.printf("%-22s %14s %14s %9s%n", step.id(), "skipped", "-", "-");
                continue;
            }
            out.printf("%-22s %,14d %14.1f %9.2f%n", step.id(), step.stats().rowsWritten(), step.stats().bytesScanned() / 1e6, step.stats().seconds());
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
        out.printf("%-8s %12s%n", "country", "devices");
        for (List<String> row : dau.rows()) {
            out.printf("%-8s %,12d%n", row.get(0), Long.parseLong(row.get(1)));
        }
    }

    static void json(PrintStream out, LoadResult result, DatasetReader.Table dau)
            throws Exception
    {
        Map<String, Object> summary = new LinkedHashMap<>();
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
            steps.add(row);
        }
        summary.put("steps", steps);
        Map<String, Object> rejects = new LinkedHashMap<>();
        rejects.put("lines", result.rejects().lines());
        rejects.put("events", result.rejects().events());
        rejects.put("rejects", result.rejects().rejects());
        rejects.put("location", result.rejects().location().map(location -> location.asPrefix()).orElse(null));
        summary.put("rejects", rejects);
        List<Map<String, Object>> devices = new ArrayList<>();
        for (List<String> row : dau.rows()) {
            devices.add(Map.of("country", row.get(0), "device_count", Long.parseLong(row.get(1))));
        }
        summary.put("dau", devices);
        out.println(JSON.writeValueAsString(summary));
    }
}
