package org.eventetl.plan;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One versioned SQL step as found under {@code sql/}: its name, its template text and checksum,
 * the dataset it writes (the step's name unless its header says {@code -- target: …}) and when it
 * runs.
 */
public record Step(StepName name, String file, String template, String checksum, Optional<String> dataset, Condition condition)
{
    public Step
    {
        requireNonNull(name, "name is null");
        requireNonNull(file, "file is null");
        requireNonNull(template, "template is null");
        requireNonNull(checksum, "checksum is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(condition, "condition is null");
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
}
