package org.eventetl.plan;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One versioned SQL step as found under {@code sql/}: its name, its template text and checksum,
 * the dataset it writes (the step's name unless its header says {@code -- target: …}), when it
 * runs, and whether it sets up a partition or the engine's database ({@code -- scope: database}).
 */
public record Step(StepName name, String file, String template, String checksum, Optional<String> dataset, Condition condition, Scope scope)
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
        if (scope == Scope.DATABASE && (dataset.isPresent() || condition != Condition.ALWAYS)) {
            throw new IllegalArgumentException(file + ": a step of database scope writes no dataset and always applies");
        }
    }

    /** A step that works on its partition, as most do. */
    public Step(StepName name, String file, String template, String checksum, Optional<String> dataset, Condition condition)
    {
        this(name, file, template, checksum, dataset, condition, Scope.PARTITION);
    }

    public int version()
    {
        return name.version();
    }

    /** {@code V1__event_details}, the name used in summaries, history and errors. */
    public String id()
    {
        return "V" + name.version() + "__" + name.name();
    }

    /** When a step runs: every time, or only when the step before it saw lines it did not write. */
    public enum Condition
    {
        ALWAYS,
        /** The source had non-blank lines that the extraction did not turn into events. */
        REJECTS_SUSPECTED,
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
