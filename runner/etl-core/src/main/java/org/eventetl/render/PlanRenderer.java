package org.eventetl.render;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eventetl.model.EngineKind;
import org.eventetl.model.RunId;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.plan.Audit;
import org.eventetl.plan.Callback;
import org.eventetl.plan.Checksum;
import org.eventetl.plan.Scripts;
import org.eventetl.plan.Step;
import org.eventetl.storage.Location;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.RunStaging;
import org.eventetl.storage.SourceFile;
import org.eventetl.storage.StagedPrefix;

import static java.util.Objects.requireNonNull;

/**
 * Renders everything a run will execute, before anything runs: a template that does not render, or
 * a step without a section for the engine, stops the load before a single file is written.
 * <p>
 * Every file sees the partition's values, the source files, and, per dataset of the steps, where
 * the run stages it ({@code {{staged.<dataset>}}}), where it is published
 * ({@code {{published.<dataset>}}}) and the name of a table over the staged prefix for engines that
 * read through tables ({@code {{staged_table.<dataset>}}}). A step also sees its own staged prefix
 * as {@code {{target}}}. So later steps read what earlier steps staged, and nothing reads or writes
 * a published prefix while a run works.
 */
public final class PlanRenderer
{
    /** Stands for the run's id in rendered checksums, so that two runs of the same SQL compare equal. */
    static final String RUN_PLACEHOLDER = "<run>";
    /** How much of a rejected line its reject keeps (characters; bytes for a line too long to read). */
    public static final int KEPT_LINE_BYTES = 65_536;
    /** The parameter that names the real source folder, for a run whose engine reads a local copy of it. */
    public static final String SOURCE_FOLDER_NAMED = "source_folder_named";
    /**
     * For a run whose engine reads a local copy: the copy's folder, and that folder as the rendered
     * checksums name it (see Workspace), so that moving the temporary folder changes no checksum.
     */
    public static final String LOCAL_COPY = "local_copy";
    public static final String LOCAL_COPY_IN_CHECKSUMS = "local_copy_in_checksums";

    private final Scripts scripts;
    private final SqlRenderer renderer;

    public PlanRenderer(Scripts scripts, SqlRenderer renderer)
    {
        this.scripts = requireNonNull(scripts, "scripts is null");
        this.renderer = requireNonNull(renderer, "renderer is null");
    }

    /**
     * Compiles every step, audit and callback, so that a file that no run could render (a section
     * left open, a partial missing) is refused by every command that reads sql/, validate among them,
     * not only once a load renders it.
     */
    public void compileAll()
    {
        scripts.steps().forEach(step -> renderer.compile(step.file(), step.template()));
        scripts.audits().forEach(audit -> renderer.compile(audit.file(), audit.template()));
        scripts.callbacks().forEach(callback -> renderer.compile(callback.file(), callback.template()));
    }

    public Scripts scripts()
    {
        return scripts;
    }

    public Plan render(RenderContext context)
    {
        Map<String, Object> common = beforeTheSteps(context);
        String runId = context.runId().value();
        RunStaging staging = new RunStaging(context.output(), context.runId());

        List<RenderedStep> steps = new ArrayList<>();
        for (Step step : scripts.steps()) {
            Optional<StagedPrefix> target = step.dataset().map(dataset -> new StagedPrefix(staging, dataset, context.partition()));
            Map<String, Object> parameters = new HashMap<>(common);
            target.ifPresent(prefix -> parameters.put("target", prefix.prefix()));
            String sql = renderer.render(step, parameters);
            List<String> statements = Statements.split(sql);
            if (statements.isEmpty()) {
                throw new UserException(step.file() + " has no {{#" + context.engine().id() + "}} (or {{#" + context.engine().dialect() + "_sql}}) section: nothing to run on "
                        + context.engine().id());
            }
            steps.add(new RenderedStep(step, context.engine().id(), sql, statements, target, Checksum.of(checksummed(sql, runId, context))));
        }

        Map<Audit, RenderedScript> audits = audits(context, Set.copyOf(scripts.datasets()));

        return new Plan(context, steps, audits, callbacks(context.engine(), common));
    }

    /** The SQL as its checksum sees it: the run's id, and the local copy's folder, replaced by what stands for them in every run. */
    private static String checksummed(String sql, String runId, RenderContext context)
    {
        // the copy first: its folder holds the run's id
        Object copy = context.parameters().get(LOCAL_COPY);
        String text = copy == null ? sql : sql.replace(copy.toString(), context.parameters().get(LOCAL_COPY_IN_CHECKSUMS).toString());
        return text.replace(runId, RUN_PLACEHOLDER);
    }

    /**
     * The callbacks of one event rendered for another run of the same partition: what {@code afterRun}
     * drops for a run that was killed before it could run them (its staged tables).
     */
    public List<RenderedScript> callbacks(RenderContext context, RunId run, Callback.Event event)
    {
        RenderContext forRun = new RenderContext(context.partition(), context.engine(), context.sourceFolder(), context.sourceFiles(), context.output(),
                run, context.settings(), context.parameters());
        return callbacks(context.engine(), beforeTheSteps(forRun)).getOrDefault(event, List.of());
    }

    /** The parameters of a plan rendered before its steps run: every dataset counts as written. */
    private Map<String, Object> beforeTheSteps(RenderContext context)
    {
        Map<String, Object> parameters = parameters(context);
        Map<String, Object> allWritten = new LinkedHashMap<>();
        scripts.datasets().forEach(dataset -> allWritten.put(dataset, true));
        parameters.put("written", allWritten);
        return parameters;
    }

    private Map<Callback.Event, List<RenderedScript>> callbacks(EngineKind engine, Map<String, Object> parameters)
    {
        Map<Callback.Event, List<RenderedScript>> callbacks = new HashMap<>();
        for (Callback callback : scripts.callbacks()) {
            callbacks.computeIfAbsent(callback.event(), ignored -> new ArrayList<>())
                    .add(script(callback.id(), callback.file(), callback.template(), engine, parameters));
        }
        return callbacks;
    }

    /**
     * The audits, rendered once the steps have run: {@code {{#written.<dataset>}}} holds for each
     * dataset a step wrote in this run (a step whose condition did not hold wrote nothing, so an
     * audit must not read its staged prefix). Before the steps run, every dataset counts as written.
     */
    public Map<Audit, RenderedScript> audits(RenderContext context, Set<String> written)
    {
        return audits(context, written, List.of());
    }

    /**
     * @param longLines the {@code long_lines} parameter: what the run found of the source files'
     *         lines over load.max-line-bytes before the steps, one entry per file ({@code file},
     *         {@code lines}, {@code longest_bytes}, {@code longest_from}); {@code any_long_lines}
     *         says whether there is one
     */
    public Map<Audit, RenderedScript> audits(RenderContext context, Set<String> written, List<Map<String, Object>> longLines)
    {
        Map<String, Object> parameters = parameters(context);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int i = 0; i < longLines.size(); i++) {
            Map<String, Object> entry = new LinkedHashMap<>(longLines.get(i));
            entry.put("last", i == longLines.size() - 1);
            entries.add(entry);
        }
        parameters.put("long_lines", entries);
        parameters.put("any_long_lines", !entries.isEmpty());
        Map<String, Object> writtenFlags = new LinkedHashMap<>();
        for (String dataset : scripts.datasets()) {
            writtenFlags.put(dataset, written.contains(dataset));
        }
        parameters.put("written", writtenFlags);
        Map<Audit, RenderedScript> audits = new LinkedHashMap<>();
        for (Audit audit : scripts.audits()) {
            RenderedScript rendered = script(audit.id(), audit.file(), audit.template(), context.engine(), parameters);
            if (rendered.statements().isEmpty()) {
                throw new UserException(audit.file() + " has no {{#" + context.engine().id() + "}} section: the audit cannot run on " + context.engine().id());
            }
            audits.put(audit, rendered);
        }
        return audits;
    }

    private RenderedScript script(String id, String file, String template, EngineKind engine, Map<String, Object> parameters)
    {
        String sql = renderer.render(file, template, parameters);
        return new RenderedScript(id, file, engine.id(), sql, Statements.split(sql));
    }

    private Map<String, Object> parameters(RenderContext context)
    {
        Map<String, Object> staged = new LinkedHashMap<>();
        Map<String, Object> published = new LinkedHashMap<>();
        Map<String, Object> stagedTables = new LinkedHashMap<>();
        RunStaging staging = new RunStaging(context.output(), context.runId());
        for (String dataset : scripts.datasets()) {
            staged.put(dataset, new StagedPrefix(staging, dataset, context.partition()).prefix());
            published.put(dataset, new PublishedPrefix(context.output(), dataset, context.partition()).prefix());
            stagedTables.put(dataset, "staged__" + dataset + "__" + context.runId().value());
        }
        Map<String, Object> parameters = partitionParameters(context.partition(), context.engine(), context.sourceFiles(), context.output());
        parameters.putAll(context.parameters());
        parameters.put("run_id", context.runId().value());
        parameters.put("staged", staged);
        parameters.put("published", published);
        parameters.put("staged_table", stagedTables);
        parameters.put("source_folder", context.sourceFolder().asPrefix());
        // where the outputs say a source file is: the source folder, unless the engine reads a local copy of it (Pipeline names the real one then)
        parameters.putIfAbsent(SOURCE_FOLDER_NAMED, context.sourceFolder().asPrefix());
        // the root of the values-only layout, for a table over every partition (Athena's projection)
        parameters.put("source", sourceRoot(context.partition(), context.sourceFolder()).uri());
        parameters.put("trino_catalog", context.settings().get("trino.catalog"));
        parameters.put("trino_schema", context.settings().get("trino.schema"));
        parameters.put("athena_database", context.settings().get("athena.database"));
        long maxLineBytes = context.settings().maxLineBytes();
        parameters.put("max_line_bytes", maxLineBytes);
        parameters.put("kept_line_bytes", KEPT_LINE_BYTES);
        // DuckDB's line reader reads in buffers of 16 lines of the longest size by default (256 MB
        // for 16 MB lines, per file and thread); two longest lines, and at least its usual 32 MB, are enough
        parameters.put("line_buffer_bytes", Math.max(2 * maxLineBytes, 32L * 1024 * 1024));
        parameters.putAll(SourceFileSets.parameters(context.sourceFolder(), context.sourceFiles()));
        return parameters;
    }

    /** The parameters every template sees; partition values come only from here. */
    static Map<String, Object> partitionParameters(Partition partition, EngineKind engine, List<SourceFile> sourceFiles, Location output)
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
        for (EngineKind kind : EngineKind.values()) {
            parameters.put(kind.id(), kind == engine);
            parameters.put(kind.dialect() + "_sql", kind.dialect().equals(engine.dialect()));
        }
        return parameters;
    }

    /** Files as a template lists them: each path, as a literal glob, and whether it is the last. */
    static List<Map<String, Object>> fileList(List<SourceFile> files)
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
