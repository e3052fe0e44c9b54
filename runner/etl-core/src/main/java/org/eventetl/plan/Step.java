package org.eventetl.plan;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One versioned SQL step as found under {@code sql/}: its name, its template text and checksum,
 * the dataset it writes (the step's name unless its header says {@code -- target: …}), when it
 * runs, whether it sets up a partition or the engine's database ({@code -- scope: database}),
 * what the load's summary shows of its dataset ({@code -- summary: …}), and in what order
 * {@code etl show} prints its rows ({@code -- show: …}).
 *
 * @param showOrder the ORDER BY of {@code etl show} ({@code -- show: order by <expressions>}), or
 *         empty text to keep the files' order ({@code -- show: file order}); without either, every
 *         column, left to right
 */
public record Step(StepName name, String file, String template, String checksum, Optional<String> dataset, Condition condition, Scope scope,
        Optional<SummaryView> summary, Optional<String> showOrder)
{
    public Step
    {
        requireNonNull(name, "name is null");
        requireNonNull(file, "file is null");
        requireNonNull(template, "template is null");
        requireNonNull(checksum, "checksum is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(condition, "condition is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(summary, "summary is null");
        requireNonNull(showOrder, "showOrder is null");
        if (scope == Scope.DATABASE && (dataset.isPresent() || condition != Condition.ALWAYS)) {
            throw new IllegalArgumentException(file + ": a step of database scope writes no dataset and always applies");
        }
        if (summary.isPresent() && dataset.isEmpty()) {
            throw new IllegalArgumentException(file + ": a step without a dataset has nothing to summarise");
        }
        if (showOrder.isPresent() && dataset.isEmpty()) {
            throw new IllegalArgumentException(file + ": a step without a dataset has nothing to show");
        }
    }

    /** A step that works on its partition, as most do, and that the summary does not show. */
    public Step(StepName name, String file, String template, String checksum, Optional<String> dataset, Condition condition)
    {
        this(name, file, template, checksum, dataset, condition, Scope.PARTITION, Optional.empty(), Optional.empty());
    }

    public int version()
    {
        return name.version();
    }

    /** {@code V2__orders}, the name used in summaries, history and errors. */
    public String id()
    {
        return "V" + name.version() + "__" + name.name();
    }

    /** When a step runs: every time, or only when the step before it left rows of its scan unwritten. */
    public enum Condition
    {
        ALWAYS,
        /**
         * The previous step that scanned more rows than it wrote ({@code -- when: rows_dropped}):
         * a step that looks closer at what an extraction left out runs only when it left something out.
         */
        ROWS_DROPPED,
    }

    /** What a step's statements set up: the partition's data, or the database the later steps use. */
    public enum Scope
    {
        PARTITION,
        /**
         * Schema (tables, functions) that an engine with a persistent catalog keeps between runs:
         * there the step runs once per database and its rendered SQL; elsewhere on every load.
         */
        DATABASE,
    }
}
