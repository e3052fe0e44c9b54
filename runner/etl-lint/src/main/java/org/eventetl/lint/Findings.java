package org.eventetl.lint;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What the rules found, each finding once: a partial included by several steps is reported for the first. */
final class Findings
{
    private final Set<Finding> findings = new LinkedHashSet<>();

    void add(Finding finding)
    {
        findings.add(finding);
    }

    /** Whether a finding of the rule {@code rule} names {@code file} on {@code engine}. */
    boolean has(String file, String rule, String engine)
    {
        return findings.stream().anyMatch(finding -> finding.file().equals(file) && finding.rule().equals(rule) && finding.engine().equals(engine));
    }

    List<Finding> list()
    {
        return List.copyOf(findings);
    }
}
