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
     * A partition column compared with a literal, either way round ({@code brand = 'olx'},
     * {@code 'olx' = t."brand"}, {@code channel IN ('android')}, {@code month = 8}): the step then
     * reads one partition's rows whatever partition it runs for. A string that holds a blanked tag
     * ({@code '{{brand}}'}) is a parameter, and fine; a literal another check reported is not told twice.
     */
    private static void comparisons(List<SqlToken> tokens, List<Literal> literals)
    {
        for (int i = 0; i < tokens.size(); i++) {
            Optional<String> column = column(tokens, i);
            if (column.isPresent()) {
                int end = lastOfName(tokens, i);
                if (end + 2 < tokens.size() && comparison(tokens.get(end + 1))) {
                    literal(tokens.get(end + 2), column.get(), literals);
                }
                else if (end + 3 < tokens.size() && tokens.get(end + 1).isWord("IN") && tokens.get(end + 2).isSymbol("(")) {
                    literal(tokens.get(end + 3), column.get(), literals);
                }
            }
            else if (i + 2 < tokens.size() && comparison(tokens.get(i + 1))) {
                SqlToken value = tokens.get(i);
                column(tokens, i + 2).ifPresent(mirrored -> literal(value, mirrored, literals));
            }
        }
    }

    /** The partition column that a name starting at {@code at} ends in ({@code brand}, {@code e."brand"}), if it is one. */
    private static Optional<String> column(List<SqlToken> tokens, int at)
    {
        SqlToken first = tokens.get(at);
        if (first.kind() != SqlToken.Kind.WORD && first.kind() != SqlToken.Kind.QUOTED_NAME) {
            return Optional.empty();
        }
        String name = tokens.get(lastOfName(tokens, at)).name().toLowerCase(Locale.ROOT);
        return PARAMETERS.containsKey(name) ? Optional.of(name) : Optional.empty();
    }

    /** The last token of a qualified name that starts at {@code at}. */
    private static int lastOfName(List<SqlToken> tokens, int at)
    {
        int last = at;
        while (last + 2 < tokens.size() && tokens.get(last + 1).isSymbol(".")
                && (tokens.get(last + 2).kind() == SqlToken.Kind.WORD || tokens.get(last + 2).kind() == SqlToken.Kind.QUOTED_NAME)) {
            last += 2;
        }
        return last;
    }

    private static boolean comparison(SqlToken token)
    {
        return token.isSymbol("=") || token.isSymbol("<>") || token.isSymbol("!=");
    }

    private static void literal(SqlToken value, String column, List<Literal> literals)
    {
        int offset = value.kind() == SqlToken.Kind.STRING ? value.quoteOffset() : value.offset();
        boolean literal = value.kind() == SqlToken.Kind.STRING
                ? !value.stringValue().isBlank() && value.stringValue().indexOf(TemplateText.BLANK) < 0
                : value.kind() == SqlToken.Kind.NUMBER && !column.equals("brand") && !column.equals("tracker") && !column.equals("channel");
        if (literal && literals.stream().noneMatch(found -> found.offset() == offset)) {
            String written = value.kind() == SqlToken.Kind.STRING ? "'" + PARAMETERS.get(column) + "'" : PARAMETERS.get(column);
            literals.add(new Literal(offset, "the partition column " + column + " compared with " + value.text() + " written literally; use " + written));
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
