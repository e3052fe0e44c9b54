package org.eventetl.lint;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eventetl.plan.ScriptResolver;

/**
 * A header line that looks like a directive and is none is a comment to the runner: the directive
 * it was meant to be silently does not apply (a step's summary gone from the load's output, its
 * condition lost). So lint flags, in a file's header (its leading {@code --} lines): a directive
 * without a value ({@code -- when:}), one in capitals or with a space before its colon, and a word
 * one letter off a directive's name ({@code -- sumary:}, {@code -- taget:}). Words of four letters
 * or fewer, and a directive's name with -s, -n or -ed ({@code -- shows:}, {@code -- targets:}), are
 * taken for comments.
 */
final class DirectiveNameRule
        implements LintRule
{
    private static final Pattern WORD_AND_COLON = Pattern.compile("--\\s*([A-Za-z_]+)(\\s*):(.*)");

    @Override
    public String id()
    {
        return "directive-name";
    }

    @Override
    public String description()
    {
        return "a header line that looks like a directive (-- word: …) is one, spelt as the runner reads it";
    }

    @Override
    public Set<LintedStep.Kind> appliesTo()
    {
        return EnumSet.allOf(LintedStep.Kind.class);
    }

    @Override
    public void check(LintedStep step, Findings findings)
    {
        String[] lines = step.template().text().split("\r?\n", -1);
        for (int index = 0; index < lines.length && lines[index].startsWith("--"); index++) {
            Matcher line = WORD_AND_COLON.matcher(lines[index]);
            if (!line.matches()) {
                continue;
            }
            String word = line.group(1);
            String name = word.toLowerCase(Locale.ROOT);
            String problem = null;
            if (ScriptResolver.DIRECTIVES.contains(name)) {
                if (!word.equals(name) || !line.group(2).isEmpty()) {
                    problem = "'" + lines[index].strip() + "' is read as a comment: a directive is written '-- " + name + ": …', in lower case, its colon right after it";
                }
                else if (line.group(3).isBlank()) {
                    problem = "'-- " + name + ":' has no value, so it is read as a comment";
                }
            }
            else {
                problem = nearest(name).map(meant -> "'-- " + word + ":' is no directive, so it is read as a comment; '-- " + meant + ":' meant?").orElse(null);
            }
            if (problem != null) {
                findings.add(step.atLine(this, index + 1, problem));
            }
        }
    }

    /** The directive one letter off the word, if any, for words long enough to tell a typo from a comment's word. */
    private static Optional<String> nearest(String word)
    {
        if (word.length() < 5) {
            return Optional.empty();
        }
        return ScriptResolver.DIRECTIVES.stream()
                .filter(name -> !word.equals(name + "s") && !word.equals(name + "n") && !word.equals(name + "ed"))
                .filter(name -> editDistance(word, name) == 1)
                .findFirst();
    }

    /** Levenshtein's distance: the fewest letters inserted, deleted or replaced to make one word the other. */
    private static int editDistance(String first, String second)
    {
        int[] previous = new int[second.length() + 1];
        int[] current = new int[second.length() + 1];
        for (int j = 0; j <= second.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= first.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= second.length(); j++) {
                int replace = previous[j - 1] + (first.charAt(i - 1) == second.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[second.length()];
    }
}
