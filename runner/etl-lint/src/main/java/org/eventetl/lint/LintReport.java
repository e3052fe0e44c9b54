package org.eventetl.lint;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** What a lint run covered (how many files of each kind, on how many engines) and what it found, in run order. */
public record LintReport(int steps, int audits, int callbacks, int engines, List<Finding> findings)
{
    public LintReport
    {
        if (steps < 0 || audits < 0 || callbacks < 0 || engines < 0) {
            throw new IllegalArgumentException("negative count: %s steps, %s audits, %s callbacks, %s engines".formatted(steps, audits, callbacks, engines));
        }
        findings = List.copyOf(requireNonNull(findings, "findings is null"));
    }

    public boolean clean()
    {
        return findings.isEmpty();
    }

    public int files()
    {
        return steps + audits + callbacks;
    }

    /** What was linted, for the summary line: {@code 15 files (7 steps, 6 audits, 2 callbacks) × 3 engines}. */
    public String scope()
    {
        return count(files(), "file") + " (" + count(steps, "step") + ", " + count(audits, "audit") + ", " + count(callbacks, "callback") + ") × "
                + count(engines, "engine");
    }

    private static String count(int count, String noun)
    {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
