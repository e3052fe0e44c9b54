package org.eventetl.lint;

import java.io.IOException;

/**
 * One thing lint checks, on every step as rendered for every engine. A finding names its rule's
 * {@link #id()}, so that whoever reads it can look the rule up ({@code etl lint --rules}).
 */
interface LintRule
{
    /** Lower case words joined by {@code -}, e.g. {@code write-outside-target}. */
    String id();

    /** What the rule holds a step to, and why, in one line. */
    String description();

    void check(LintedStep step, Findings findings)
            throws IOException;
}
