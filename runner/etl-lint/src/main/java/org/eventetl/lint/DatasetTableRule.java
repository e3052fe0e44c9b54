package org.eventetl.lint;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;

import org.eventetl.model.EngineKind;
import org.eventetl.plan.Step;
import org.eventetl.storage.Location;

/**
 * On Trino and Athena users query a dataset through a table over its root, {@code <output>/<dataset>/}
 * (Trino: {@code CREATE TABLE … WITH (external_location = …)}; Athena: {@code CREATE EXTERNAL TABLE
 * … LOCATION …}), and Trino reads only the partitions its metastore was told of
 * ({@code system.register_partition}, in an afterPublish callback). A step that writes a new dataset
 * without them publishes files that no table reads, and nothing fails. This rule looks across the
 * files of one engine's rendering, so it is not one of the per-file rules: {@link Linter} calls
 * {@link #check} once per engine, with every statement it rendered.
 */
final class DatasetTableRule
        implements LintRule
{
    @Override
    public String id()
    {
        return "dataset-has-table";
    }

    @Override
    public String description()
    {
        return "on Trino and Athena every dataset a step writes has a table over {{output}}/<dataset>/, and on Trino an afterPublish callback registers its partition";
    }

    @Override
    public Set<LintedStep.Kind> appliesTo()
    {
        // no single file shows it
        return Set.of();
    }

    @Override
    public void check(LintedStep step, Findings findings)
    {
    }

    /**
     * @param statements every statement the engine's steps rendered to
     * @param callbacks every statement its afterPublish callbacks rendered to
     * @param sectionLine the line of a step's section for the engine, where a finding points
     */
    void check(EngineKind engine, List<Step> steps, List<String> statements, List<String> callbacks, Location output,
            ToIntFunction<Step> sectionLine, Findings findings)
    {
        if (engine == EngineKind.DUCKDB) {
            return;
        }
        Set<String> roots = new HashSet<>();
        statements.forEach(statement -> tableLocation(engine, statement).ifPresent(roots::add));
        Set<String> registered = new HashSet<>();
        callbacks.forEach(statement -> registeredTables(statement, registered));
        for (Step step : steps) {
            if (step.dataset().isEmpty()) {
                continue;
            }
            String dataset = step.dataset().get();
            String root = output.resolve(dataset).asPrefix();
            if (!roots.contains(root)) {
                findings.add(new Finding(step.file(), sectionLine.applyAsInt(step), 1, engine.id(), id(), "no table reads dataset " + dataset
                        + " at {{output}}/" + dataset + "/: declare one in V1 (" + (engine == EngineKind.TRINO ? "CREATE TABLE IF NOT EXISTS … WITH (external_location = …)"
                        : "CREATE EXTERNAL TABLE … LOCATION … with its projection") + "), or its files are published where no query sees them"));
            }
            else if (engine == EngineKind.TRINO && !registered.contains(dataset)) {
                findings.add(new Finding(step.file(), sectionLine.applyAsInt(step), 1, engine.id(), id(), "no afterPublish callback registers the partitions of "
                        + dataset + " (system.register_partition): Trino's table reads only the partitions its metastore knows"));
            }
        }
    }

    /** Where a table that the statement declares reads: Trino's external_location, Athena's LOCATION. */
    private static Optional<String> tableLocation(EngineKind engine, String statement)
    {
        if (engine == EngineKind.ATHENA) {
            return AthenaTable.of(statement).flatMap(AthenaTable::location);
        }
        return AthenaCtas.ofCreateTable(statement).flatMap(AthenaCtas::location);
    }

    /** The tables of {@code system.register_partition('<schema>', '<table>', …)} calls in the statement. */
    private static void registeredTables(String statement, Set<String> registered)
    {
        SqlTokens tokens = SqlTokens.of(statement);
        for (int i = 0; i + 4 < tokens.size(); i++) {
            if (tokens.word(i, "register_partition") && tokens.symbol(i + 1, "(") && tokens.symbol(i + 3, ",")) {
                tokens.stringValue(i + 4).ifPresent(table -> registered.add(table.toLowerCase(Locale.ROOT)));
            }
        }
    }
}
