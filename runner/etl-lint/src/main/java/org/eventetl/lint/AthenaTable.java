package org.eventetl.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Hive's {@code CREATE EXTERNAL TABLE} as Athena takes it, read with {@link SqlLexer} for where the
 * table's files are and nothing else: its name, its partition columns, its {@code LOCATION} and
 * the {@code 'storage.location.template'} of its {@code TBLPROPERTIES}. Trino's grammar has no
 * Hive DDL, and the rest of the statement (columns, types, SerDe, format) Athena checks when the
 * table is made, before any data is read.
 */
final class AthenaTable
{
    static final String LOCATION_TEMPLATE = "storage.location.template";

    private final SqlTokens tokens;
    private final int nameAt;

    private AthenaTable(SqlTokens tokens, int nameAt)
    {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.nameAt = nameAt;
    }

    /** The external table the statement makes, if it makes one. */
    static Optional<AthenaTable> of(String statement)
    {
        SqlTokens tokens = SqlTokens.of(statement);
        if (!tokens.word(0, "CREATE") || !tokens.word(1, "EXTERNAL") || !tokens.word(2, "TABLE")) {
            return Optional.empty();
        }
        boolean ifNotExists = tokens.word(3, "IF") && tokens.word(4, "NOT") && tokens.word(5, "EXISTS");
        return Optional.of(new AthenaTable(tokens, ifNotExists ? 6 : 3));
    }

    /** The table's own name, without its database and quotes, in lower case as Glue keeps it. */
    String name()
    {
        return unqualifiedName(tokens, nameAt);
    }

    /** The last part of the (maybe qualified) name that starts at token {@code at}, unquoted, in lower case as Glue keeps names. */
    static String unqualifiedName(SqlTokens tokens, int at)
    {
        int last = at;
        while (tokens.symbol(last + 1, ".") && tokens.get(last + 2).isPresent()) {
            last += 2;
        }
        return tokens.get(last).map(SqlToken::name).orElse("").toLowerCase(Locale.ROOT);
    }

    int nameOffset()
    {
        return tokens.offset(nameAt);
    }

    /** The names in {@code PARTITIONED BY (name type, …)}, in lower case. */
    List<String> partitionColumns()
    {
        int partitioned = tokens.wordOutsideParentheses(nameAt, "PARTITIONED");
        if (partitioned < 0 || !tokens.word(partitioned + 1, "BY")) {
            return List.of();
        }
        int open = partitioned + 2;
        int close = tokens.closing(open);
        List<String> columns = new ArrayList<>();
        for (int i = open; i < close; i++) {
            // a column's name follows the parenthesis or a comma between columns, not one of decimal(10, 2)
            if (i == open || tokens.symbol(i, ",") && tokens.get(i).orElseThrow().depth() == 1) {
                tokens.get(i + 1).map(token -> token.name().toLowerCase(Locale.ROOT)).ifPresent(columns::add);
            }
        }
        return List.copyOf(columns);
    }

    /** The value of {@code LOCATION '…'}, if the table has one. */
    Optional<String> location()
    {
        int at = locationAt();
        return at < 0 ? Optional.empty() : tokens.stringValue(at + 1);
    }

    /** Where the location is, or the table's name when it has none. */
    int locationOffset()
    {
        return location().isPresent() ? tokens.offset(locationAt() + 1) : nameOffset();
    }

    /** The value of {@code 'storage.location.template' = '…'} among the table's properties. */
    Optional<String> locationTemplate()
    {
        return locationTemplateAt().flatMap(at -> tokens.stringValue(at + 2));
    }

    /** Where the template's property is, or the location when there is none. */
    int locationTemplateOffset()
    {
        return locationTemplateAt().map(tokens::offset).orElse(locationOffset());
    }

    private int locationAt()
    {
        return tokens.wordOutsideParentheses(nameAt, "LOCATION");
    }

    private Optional<Integer> locationTemplateAt()
    {
        int properties = tokens.wordOutsideParentheses(nameAt, "TBLPROPERTIES");
        int close = properties < 0 ? -1 : tokens.closing(properties + 1);
        for (int i = properties + 2; i >= 0 && i < close; i++) {
            if (tokens.stringValue(i).filter(LOCATION_TEMPLATE::equals).isPresent() && tokens.symbol(i + 1, "=")) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }
}
