package org.eventetl.render;

import java.util.List;
import java.util.Map;

import org.eventetl.config.Settings;
import org.eventetl.model.EngineKind;
import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.SourceFile;

import static java.util.Objects.requireNonNull;

/**
 * What a run's SQL is rendered from: the partition, the engine, the source files, the output root
 * the engine reads and writes (the real one, or a local copy for an engine that reads local files
 * only), the run, the settings templates may name, and run parameters such as thresholds.
 */
public record RenderContext(Partition partition, EngineKind engine, Location sourceFolder, List<SourceFile> sourceFiles, Location output,
        RunId runId, Settings settings, Map<String, Object> parameters)
{
    public RenderContext
    {
        requireNonNull(partition, "partition is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(sourceFolder, "sourceFolder is null");
        sourceFiles = List.copyOf(requireNonNull(sourceFiles, "sourceFiles is null"));
        requireNonNull(output, "output is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(settings, "settings is null");
        parameters = Map.copyOf(requireNonNull(parameters, "parameters is null"));
    }
}
