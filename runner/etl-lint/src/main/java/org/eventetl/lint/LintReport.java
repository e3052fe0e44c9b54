package org.eventetl.lint;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** What a lint run covered and what it found, in step order. */
public record LintReport(int steps, int engines, List<Finding> findings)
{
    public LintReport
    {
        findings = List.copyOf(requireNonNull(findings, "findings is null"));
    }

    public boolean clean()
    {
        return findings.isEmpty();
    }
}
