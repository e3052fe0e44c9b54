package org.eventetl.lint;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The rendered SQL holds no {@code {{} or {@code }}}: a brace pair Mustache did not take for a tag
 * (a misspelt or unbalanced tag, most likely) would reach the engine as SQL.
 */
final class LeftoverBracesRule
        implements LintRule
{
    /** How much of the text around the braces a finding shows, each way. */
    private static final int SHOWN = 40;

    @Override
    public String id()
    {
        return "leftover-braces";
    }

    @Override
    public String description()
    {
        return "the rendered SQL holds no {{ or }} that Mustache left (a misspelt or unbalanced tag)";
    }

    @Override
    public Set<LintedStep.Kind> appliesTo()
    {
        return EnumSet.allOf(LintedStep.Kind.class);
    }

    @Override
    public void check(LintedStep step, Findings findings)
    {
        if (step.sql().isEmpty()) {
            return;
        }
        String sql = step.sql().get();
        for (String braces : List.of("{{", "}}")) {
            int at = sql.indexOf(braces);
            while (at >= 0) {
                findings.add(step.atRendered(this, at, "the rendered SQL still contains '" + braces + "': " + word(sql, at) + " (a misspelt or unbalanced tag?)"));
                at = sql.indexOf(braces, at + braces.length());
            }
        }
    }

    /** The run of non-blank characters around an offset, short enough for a one-line finding. */
    private static String word(String sql, int at)
    {
        int start = at;
        while (start > 0 && !Character.isWhitespace(sql.charAt(start - 1)) && at - start < SHOWN) {
            start--;
        }
        int end = at;
        while (end < sql.length() && !Character.isWhitespace(sql.charAt(end)) && end - at < SHOWN) {
            end++;
        }
        return sql.substring(start, end);
    }
}
