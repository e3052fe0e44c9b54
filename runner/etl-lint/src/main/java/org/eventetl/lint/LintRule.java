package org.eventetl.lint;

import java.io.IOException;
import java.util.Set;

/**
 * One thing lint checks, on every file of {@code sql/} it {@link #appliesTo} as rendered for every
 * engine. A finding names its rule's {@link #id()}, so that whoever reads it can look the rule up
 * ({@code etl lint --rules}).
 */
interface LintRule
{
    /** Lower case words joined by {@code -}, e.g. {@code write-outside-target}. */
    String id();

    /** What the rule holds a file to, and why, in one line. */
    String description();

    /**
     * The kinds of file the rule checks. Steps only unless a rule says otherwise: what a step must
     * do (write its own target, make its tables in the right place) is no audit's or callback's business.
     */
    default Set<LintedStep.Kind> appliesTo()
    {
        return Set.of(LintedStep.Kind.STEP);
    }

    void check(LintedStep step, Findings findings)
            throws IOException;
}
