package org.eventetl.lint;

import java.util.List;

import org.eventetl.model.EngineKind;

/**
 * What lint knows of one engine's SQL: where a statement writes files ({@link WriteOutsideTargetRule})
 * and whether the engine accepts the statements of a step ({@link EngineAcceptsRule}). One implementation per engine; the switch in
 * {@link #create} names them all, so a new {@link EngineKind} does not compile until it has one.
 */
interface EngineLint
        extends AutoCloseable
{
    static EngineLint create(EngineKind engine, LintFixture fixture)
    {
        return switch (engine) {
            case DUCKDB -> new DuckDbLint(fixture);
            case TRINO -> new TrinoLint();
            case ATHENA -> new AthenaLint();
        };
    }

    /** The places a statement writes files to; empty for a statement that writes none. */
    List<WriteTarget> writeTargets(String statement);

    /**
     * Has the engine parse and plan the statements of one file (a step, an audit, a callback), in
     * order, without touching real data; files come in the order a run meets them, and what an
     * earlier one left behind (functions, tables, files on the fixture) is there for later ones.
     * Writes only where {@code writeTargets} allows.
     */
    StepCheck check(List<String> statements, WriteTargets writeTargets);

    @Override
    void close();
}
