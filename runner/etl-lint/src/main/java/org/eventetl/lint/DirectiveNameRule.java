package org.eventetl.lint;

import java.util.EnumSet;
import java.util.HashSet;
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
 * without a value ({@code -- when:}), one given twice (the runner takes the last), one in capitals
 * or with a space before its colon, and a word one edit off a directive's name ({@code -- sumary:},
 * {@code -- tagret:}, {@code -- wehn:}). A directive's name with -s, -n or -ed ({@code -- shows:},
 * {@code -- targets:}) is taken for a comment.
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
        Set<String> given = new HashSet<>();
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
                else if (!given.add(name)) {
                    problem = "'-- " + name + ":' is given twice in the header; the runner takes the last";
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

    /**
     * The directive one edit off the word, if any: a letter inserted, deleted, replaced, or two
     * neighbours swapped. A word of four letters or fewer counts only with two neighbours swapped
     * (wehn, sohw): one other letter makes an English word of it (then, slow, what).
     */
    private static Optional<String> nearest(String word)
    {
        return ScriptResolver.DIRECTIVES.stream()
                .filter(name -> !word.equals(name + "s") && !word.equals(name + "n") && !word.equals(name + "ed"))
                .filter(name -> editDistance(word, name) == 1 && (word.length() >= 5 || swapped(word, name)))
                .findFirst();
    }

    /** Whether the words differ by two neighbouring letters swapped, and by nothing else. */
    private static boolean swapped(String first, String second)
    {
        if (first.length() != second.length()) {
            return false;
        }
        for (int i = 0; i + 1 < first.length(); i++) {
            if (first.charAt(i) != second.charAt(i)) {
                return first.charAt(i) == second.charAt(i + 1) && first.charAt(i + 1) == second.charAt(i)
                        && first.substring(i + 2).equals(second.substring(i + 2));
            }
        }
        return false;
    }

    /**
     * The distance of optimal string alignment: the fewest letters inserted, deleted or replaced, or
     * neighbours swapped, to make one word the other.
     */
    private static int editDistance(String first, String second)
    {
        int[][] distance = new int[first.length() + 1][second.length() + 1];
        for (int i = 0; i <= first.length(); i++) {
            distance[i][0] = i;
        }
        for (int j = 0; j <= second.length(); j++) {
            distance[0][j] = j;
        }
        for (int i = 1; i <= first.length(); i++) {
            for (int j = 1; j <= second.length(); j++) {
                int replace = distance[i - 1][j - 1] + (first.charAt(i - 1) == second.charAt(j - 1) ? 0 : 1);
                distance[i][j] = Math.min(replace, Math.min(distance[i - 1][j], distance[i][j - 1]) + 1);
                if (i > 1 && j > 1 && first.charAt(i - 1) == second.charAt(j - 2) && first.charAt(i - 2) == second.charAt(j - 1)) {
                    distance[i][j] = Math.min(distance[i][j], distance[i - 2][j - 2] + 1);
                }
            }
        }
        return distance[first.length()][second.length()];
    }
}
