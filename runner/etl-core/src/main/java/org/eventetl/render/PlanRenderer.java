package org.eventetl.render;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eventetl.config.Settings;
import org.eventetl.model.EngineKind;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.plan.Step;
import org.eventetl.storage.Location;
import org.eventetl.storage.SourceFile;
import org.eventetl.storage.TargetPrefix;

import static java.util.Objects.requireNonNull;

/**
 * Renders every step for one partition and engine, before anything runs: a template that does not
 * render, or a step without a section for the engine, stops the load before a single file is
 * deleted.
 */
public final class PlanRenderer
{
    private final List<Step> steps;
    private final SqlRenderer renderer;

    public PlanRenderer(List<Step> steps, SqlRenderer renderer)
    {
        this.steps = List.copyOf(requireNonNull(steps, "steps is null"));
        this.renderer = requireNonNull(renderer, "renderer is null");
    }

    public List<RenderedStep> render(Partition partition, EngineKind engine, List<SourceFile> sourceFiles, Location output)
    {
        Location sourceFolder = sourceFiles.isEmpty() ? output : parent(sourceFiles.get(0).location());
        return render(partition, engine, sourceFolder, sourceFiles, output, Settings.defaultSettings());
    }

    /**
     * @param settings the engine's settings that templates may name (the Trino catalog and schema
     *         as {@code trino_catalog} and {@code trino_schema}, Athena's database as {@code athena_database})
     */
    public List<RenderedStep> render(Partition partition, EngineKind engine, Location sourceFolder, List<SourceFile> sourceFiles, Location output, Settings settings)
    {
        Map<String, Object> locations = new LinkedHashMap<>();
        for (Step step : steps) {
            step.dataset().ifPresent(dataset -> locations.put(dataset, new TargetPrefix(output, dataset, partition).prefix()));
        }
        Map<String, Object> common = parameters(partition, engine, sourceFiles, output);
        common.put("locations", locations);
        common.put("source_folder", sourceFolder.asPrefix());
        // the root of the values-only layout, for a table over every partition (Athena's projection)
        common.put("source", sourceRoot(partition, sourceFolder).uri());
        common.put("trino_catalog", settings.get("trino.catalog"));
        common.put("trino_schema", settings.get("trino.schema"));
        common.put("athena_database", settings.get("athena.database"));

        List<RenderedStep> rendered = new ArrayList<>();
        for (Step step : steps) {
            Optional<TargetPrefix> target = step.dataset().map(dataset -> new TargetPrefix(output, dataset, partition));
            Map<String, Object> parameters = new HashMap<>(common);
            target.ifPresent(prefix -> parameters.put("target", prefix.prefix()));
            String sql = renderer.render(step, parameters);
            List<String> statements = Statements.split(sql);
            if (statements.isEmpty()) {
                throw new UserException(step.file() + " has no {{#" + engine.id() + "}} section: nothing to run on " + engine.id());
            }
            rendered.add(new RenderedStep(step, engine.id(), sql, statements, target));
        }
        return List.copyOf(rendered);
    }

    /** The parameters every template sees; partition values come only from here. */
    static Map<String, Object> parameters(Partition partition, EngineKind engine, List<SourceFile> sourceFiles, Location output)
    {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("brand", partition.brand());
        parameters.put("tracker", partition.tracker());
        parameters.put("channel", partition.channel());
        parameters.put("year", partition.year());
        parameters.put("month", partition.month());
        parameters.put("day", partition.dayOfMonth());
        parameters.put("date", partition.day().toString());
        parameters.put("partition_path", partition.hivePath());
        parameters.put("output", output.uri());
        parameters.put("source_files", fileList(sourceFiles));
        // files whose first line DuckDB's JSON reader cannot read (a byte-order mark before it)
        List<Map<String, Object>> marked = fileList(sourceFiles.stream().filter(SourceFile::byteOrderMark).toList());
        parameters.put("files_with_byte_order_mark", marked);
        parameters.put("any_file_with_byte_order_mark", !marked.isEmpty());
        for (EngineKind kind : EngineKind.values()) {
            parameters.put(kind.id(), kind == engine);
        }
        return parameters;
    }

    /** Files as a template lists them: each path, as a literal glob, and whether it is the last. */
    private static List<Map<String, Object>> fileList(List<SourceFile> files)
    {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String path = files.get(i).location().uri();
            list.add(Map.of("path", path, "glob", literalGlob(path), "last", i == files.size() - 1));
        }
        return list;
    }

    /**
     * {@code s3://raw} for the folder {@code s3://raw/olx/hydra/android/2017/08/09}; a load's folder
     * always ends with the partition's path, a folder handed over outside the layout is its own root.
     */
    static Location sourceRoot(Partition partition, Location sourceFolder)
    {
        String suffix = "/" + partition.sourcePath();
        if (!sourceFolder.uri().endsWith(suffix) || sourceFolder.uri().length() == suffix.length()) {
            return sourceFolder;
        }
        return new Location(sourceFolder.uri().substring(0, sourceFolder.uri().length() - suffix.length()));
    }

    private static Location parent(Location file)
    {
        int slash = file.uri().lastIndexOf('/');
        return slash <= 0 ? file : new Location(file.uri().substring(0, slash));
    }

    /**
     * The path as a glob that matches only itself. DuckDB expands {@code *}, {@code ?} and {@code [}
     * even in a list of single files, so {@code x[1].json} would read {@code x1.json} instead;
     * bracketed, each is a literal character.
     */
    static String literalGlob(String path)
    {
        return path.replaceAll("[*?\\[]", "[$0]");
    }
}
