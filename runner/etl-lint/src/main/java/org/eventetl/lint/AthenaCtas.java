package org.eventetl.lint;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Athena's {@code CREATE TABLE <name> WITH (…, external_location = '…', …) AS <query>} in one
 * statement, read with {@link SqlLexer} for what it makes and where it writes: the table's name and
 * its {@code external_location}. Trino's parser checks the rest ({@link AthenaLint}). Trino writes
 * its staged tables with the same statement, and declares its tables over a dataset's root with
 * the same {@code WITH (…)} and no {@code AS} ({@link #ofCreateTable}).
 */
final class AthenaCtas
{
    static final String EXTERNAL_LOCATION = "external_location";

    private final SqlTokens tokens;
    private final int as;

    private AthenaCtas(SqlTokens tokens, int as)
    {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.as = as;
    }

    /** The CTAS that the statement is, if it is one (a CREATE TABLE with AS outside its parentheses). */
    static Optional<AthenaCtas> of(String statement)
    {
        return ofCreateTable(statement).filter(table -> table.as < table.tokens.size());
    }

    /** The CREATE TABLE that the statement is, with or without AS. */
    static Optional<AthenaCtas> ofCreateTable(String statement)
    {
        SqlTokens tokens = SqlTokens.of(statement);
        if (!tokens.word(0, "CREATE") || !tokens.word(1, "TABLE")) {
            return Optional.empty();
        }
        int as = tokens.wordOutsideParentheses(2, "AS");
        // without AS, its WITH (…) may stand anywhere after the name
        return Optional.of(new AthenaCtas(tokens, as < 0 ? tokens.size() : as));
    }

    /** Where a CTAS statement writes, for write-outside-target: none when it is no CTAS or names no location. */
    static List<WriteTarget> writeTargets(String statement)
    {
        // a CTAS without a location writes where the workgroup says: athena-writes-own-target reports it
        return of(statement).filter(AthenaCtas::hasLocation)
                .map(ctas -> List.of(new WriteTarget(AthenaLint.CTAS_LOCATION, ctas.location(), ctas.locationOffset())))
                .orElse(List.of());
    }

    /** The table's own name, without its database and quotes, in lower case as Glue keeps it. */
    String name()
    {
        return AthenaTable.unqualifiedName(tokens, nameAt());
    }

    int nameOffset()
    {
        return tokens.offset(nameAt());
    }

    /** The value of {@code external_location = '…'} in its {@code WITH (…)}, when it is a string literal. */
    Optional<String> location()
    {
        return locationAt().flatMap(at -> tokens.stringValue(at + 2));
    }

    /** Where the location's value is; the property's name when the value is not a literal; the table's name when there is none. */
    int locationOffset()
    {
        return locationAt().map(at -> tokens.string(at + 2) ? tokens.offset(at + 2) : tokens.offset(at)).orElse(nameOffset());
    }

    /** Whether its {@code WITH (…)} names an {@code external_location} at all. */
    boolean hasLocation()
    {
        return locationAt().isPresent();
    }

    private int nameAt()
    {
        return tokens.word(2, "IF") && tokens.word(3, "NOT") && tokens.word(4, "EXISTS") ? 5 : 2;
    }

    private Optional<Integer> locationAt()
    {
        int with = tokens.wordOutsideParentheses(nameAt(), "WITH");
        if (with < 0 || with > as) {
            return Optional.empty();
        }
        int close = tokens.closing(with + 1);
        int depth = tokens.get(with + 1).map(SqlToken::depth).orElse(0);
        for (int i = with + 2; i >= 0 && i < close; i++) {
            int at = i;
            boolean property = tokens.get(i).filter(token -> token.depth() == depth + 1 && token.isWord(EXTERNAL_LOCATION)).isPresent();
            if (property && tokens.symbol(at + 1, "=")) {
                return Optional.of(at);
            }
        }
        return Optional.empty();
    }
}
