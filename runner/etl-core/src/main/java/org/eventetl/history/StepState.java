package org.eventetl.history;

/** Where a step stands for a partition, as Flyway's info shows a migration. */
public enum StepState
{
    /** Its latest run succeeded with the template and rendered SQL that sql/ gives today. */
    APPLIED,
    /** Never ran, or its failure was marked resolved by repair. */
    PENDING,
    /** Its latest run failed. */
    FAILED,
    /** It ran, but the template or the rendered SQL (parameters, partials, source files) changed since. */
    OUTDATED,
}
