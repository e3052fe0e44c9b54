package org.eventetl.lint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Partition values written into a template instead of coming from its parameters. A step
 * with {@code '2017'} or {@code year=2017} in it loads the same day whatever partition it is run
 * for, and nothing else would notice. Reads the template with its Mustache tags blanked out
 * ({@link TemplateText#masked()}), skips SQL comments and quoted identifiers ({@link SqlLexer}), and looks at string
 * literals and bare code: a 4-digit year 19xx/20xx (also inside a date or a path), a string that
 * is just a two-digit month or day ({@code '08'}), and hive fragments ({@code brand=olx}).
 * <p>
 * A number can look like a year and be something else ({@code LIMIT 2000}): a line that says so in
 * a comment, {@value #NOT_A_PARTITION_VALUE}, is not reported. The comment names what the author
 * vouched for, so a reviewer sees it, and it covers its own line only.
 */
final class PartitionLiterals
{
    private static final Map<String, String> PARAMETERS = Map.of(
            "brand", "{{brand}}", "tracker", "{{tracker}}", "channel", "{{channel}}",
            "year", "{{year}}", "month", "{{month}}", "day", "{{day}}");

    // a value must follow the '=' directly: year={{year}} has a blanked tag there, which is not a value
    private static final Pattern HIVE_FRAGMENT = Pattern.compile("(?<![A-Za-z0-9_])(brand|tracker|channel|year|month|day)=([A-Za-z0-9_-]+)");
    private static final Pattern BARE_YEAR = Pattern.compile("(?<![A-Za-z0-9_.$])(?:19|20)[0-9]{2}(?![A-Za-z0-9_.])");
    private static final Pattern QUOTED_YEAR = Pattern.compile("(?<![A-Za-z0-9])(?:19|20)[0-9]{2}(?![A-Za-z0-9])");
    private static final Pattern QUOTED_DATE = Pattern.compile("(?<![A-Za-z0-9])(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}(?![0-9])");
    private static final Pattern MONTH_OR_DAY = Pattern.compile("[0-3][0-9]");
    private static final int SHOWN = 60;
    static final String NOT_A_PARTITION_VALUE = "-- lint: not a partition value";

    private PartitionLiterals() {}

    /** A literal partition value: where it starts in the text and what to say about it. */
    record Literal(int offset, String message)
    {
        Literal
        {
            requireNonNull(message, "message is null");
        }
    }

    static List<Literal> find(String masked)
    {
        List<Literal> literals = new ArrayList<>();
        // the code outside strings, comments and quoted names, at the same offsets
        StringBuilder code = new StringBuilder(masked);
        for (SqlToken token : SqlLexer.lex(masked)) {
            switch (token.kind()) {
                case STRING -> {
                    // a prefix (E'…', X'…') stays code, as the letters before any other string
                    string(masked, token.quoteOffset(), token.end()).ifPresent(literals::add);
                    blank(code, token.quoteOffset(), token.end());
                }
                case COMMENT, QUOTED_NAME -> blank(code, token.offset(), token.end());
                case WORD, BACKQUOTED_NAME, NUMBER, SYMBOL -> {
                    // code: what the patterns below look at
                }
            }
        }
        comparisons(SqlLexer.lex(masked).stream().filter(token -> token.kind() != SqlToken.Kind.COMMENT).toList(), literals);
        Matcher fragment = HIVE_FRAGMENT.matcher(code);
        while (fragment.find()) {
            literals.add(new Literal(fragment.start(), hive(fragment)));
        }
        Matcher year = BARE_YEAR.matcher(code);
        while (year.find()) {
            literals.add(new Literal(year.start(), "year " + year.group() + " written literally; use {{year}}"));
        }
        literals.removeIf(literal -> lineAt(masked, literal.offset()).contains(NOT_A_PARTITION_VALUE));
        literals.sort(Comparator.comparingInt(Literal::offset));
        return List.copyOf(literals);
    }

    /**
     * A partition column compared with a literal ({@code brand = 'olx'}, {@code channel IN ('android')}):
     * the step then reads one brand's rows whatever partition it runs for. A string that is only a
     * blanked tag ({@code '{{brand}}'}) is a parameter, and fine.
     */
    private static void comparisons(List<SqlToken> tokens, List<Literal> literals)
    {
        for (int i = 0; i + 2 < tokens.size(); i++) {
            SqlToken column = tokens.get(i);
            if (column.kind() != SqlToken.Kind.WORD || !PARAMETERS.containsKey(column.text().toLowerCase(Locale.ROOT))) {
                continue;
            }
            int value = i + 2;
            SqlToken operator = tokens.get(i + 1);
            if (operator.isWord("IN") && tokens.get(i + 2).isSymbol("(") && i + 3 < tokens.size()) {
                value = i + 3;
            }
            else if (!(operator.isSymbol("=") || operator.isSymbol("<>") || operator.isSymbol("!="))) {
                continue;
            }
            SqlToken literal = tokens.get(value);
            boolean reported = literals.stream().anyMatch(found -> found.offset() == literal.quoteOffset());
            if (literal.kind() == SqlToken.Kind.STRING && !reported && !literal.stringValue().isBlank() && literal.stringValue().indexOf(TemplateText.BLANK) < 0) {
                String name = column.text().toLowerCase(Locale.ROOT);
                literals.add(new Literal(literal.quoteOffset(), "the partition column " + name + " compared with " + literal.text()
                        + " written literally; use '" + PARAMETERS.get(name) + "'"));
            }
        }
    }

    private static String lineAt(String text, int offset)
    {
        int start = text.lastIndexOf('\n', offset - 1) + 1;
        int end = text.indexOf('\n', offset);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /** At most one finding per string literal: the most telling of what it holds. */
    private static Optional<Literal> string(String masked, int start, int end)
    {
        String literal = masked.substring(start, end);
        String body = literal.length() >= 2 ? literal.substring(1, literal.length() - 1) : "";
        Matcher fragment = HIVE_FRAGMENT.matcher(body);
        if (fragment.find()) {
            return Optional.of(new Literal(start, hive(fragment)));
        }
        if (QUOTED_DATE.matcher(body).find()) {
            return Optional.of(new Literal(start, "date written literally in " + shown(literal, QUOTED_DATE) + "; use {{date}} (or {{year}}, {{month}}, {{day}})"));
        }
        if (QUOTED_YEAR.matcher(body).find()) {
            return Optional.of(new Literal(start, "year written literally in " + shown(literal, QUOTED_YEAR) + "; use {{year}}"));
        }
        if (MONTH_OR_DAY.matcher(body).matches()) {
            return Optional.of(new Literal(start, literal + " looks like a month or day written literally; use {{month}} or {{day}}"));
        }
        return Optional.empty();
    }

    private static String hive(Matcher fragment)
    {
        return "partition value written literally: " + fragment.group() + "; use " + fragment.group(1) + "=" + PARAMETERS.get(fragment.group(1))
                + " (or {{partition_path}}, {{target}}, {{staged.<dataset>}})";
    }

    /** The literal as a finding shows it: tags as {{…}}, and when it is long, the part around what was found. */
    private static String shown(String literal, Pattern found)
    {
        String visible = literal.replace(TemplateText.BLANK, '…').replaceAll("…+", "{{…}}").replaceAll("\\s+", " ");
        if (visible.length() <= SHOWN) {
            return visible;
        }
        Matcher matcher = found.matcher(visible);
        int start = matcher.find() ? Math.max(0, Math.min(matcher.start() - SHOWN / 3, visible.length() - SHOWN)) : 0;
        int end = start + SHOWN;
        return (start > 0 ? "…" : "") + visible.substring(start, end) + (end < visible.length() ? "…" : "");
    }

    private static void blank(StringBuilder code, int start, int end)
    {
        for (int i = start; i < end; i++) {
            if (code.charAt(i) != '\n') {
                code.setCharAt(i, ' ');
            }
        }
    }
}
