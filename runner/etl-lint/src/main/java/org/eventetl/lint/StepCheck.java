package org.eventetl.lint;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What an engine said about one rendered step: its problems, and whether every statement that
 * writes ran on the fixture (if not, later steps cannot read what this one should have written).
 */
record StepCheck(List<Problem> problems, boolean complete)
{
    StepCheck
    {
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
    }

    /**
     * One statement the engine refused: which statement of the step, the offset within it that the
     * engine pointed at (its start when it did not say), and whether it only lacked input files,
     * which is what a statement reading the output of an earlier step that could not run looks like.
     */
    record Problem(int statement, int offset, String message, boolean missingInput)
    {
        Problem
        {
            requireNonNull(message, "message is null");
            if (statement < 0 || offset < 0) {
                throw new IllegalArgumentException("bad position: statement " + statement + ", offset " + offset);
            }
        }
    }
}
