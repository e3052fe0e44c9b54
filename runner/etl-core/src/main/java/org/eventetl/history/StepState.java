package org.eventetl.history;

/** Where a step stands for a partition's published data, as Flyway's info shows a migration. */
public enum StepState
{
    /** The published run ran it with the template and rendered SQL that sql/ gives today. */
    APPLIED,
    /** No published run ran it: the partition was never published, or the step is newer than its publish. */
    PENDING,
    /** The published run ran it, but the template or the rendered SQL (parameters, partials, source files) changed since. */
    OUTDATED,
}
