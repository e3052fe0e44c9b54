package org.eventetl.lint;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Athena's {@code UNLOAD (query) TO 'location' WITH (…)} in one statement, read with
 * {@link SqlLexer}: where its query, its location and its {@code WITH} are. UNLOAD is not Trino's
 * grammar, so this is the little of it Trino's parser cannot read; the parts are then parsed with
 * Trino's grammar ({@link AthenaLint}).
 */
final class AthenaUnload
{
    private final String statement;
    private final SqlTokens tokens;
    private final int close;

    private AthenaUnload(String statement, SqlTokens tokens)
    {
        this.statement = requireNonNull(statement, "statement is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.close = tokens.closing(1);
    }

    /** The UNLOAD that the statement is, if it is one. */
    static Optional<AthenaUnload> of(String statement)
    {
        SqlTokens tokens = SqlTokens.of(statement);
        return tokens.word(0, "UNLOAD") ? Optional.of(new AthenaUnload(statement, tokens)) : Optional.empty();
    }

    /** What keeps the statement from being {@code UNLOAD (…) TO '…'}, at its offset; empty when nothing does. */
    Optional<Problem> shapeProblem()
    {
        if (!tokens.symbol(1, "(")) {
            return Optional.of(new Problem(tokens.offset(1), "UNLOAD needs its query in parentheses: UNLOAD (SELECT …) TO '…' WITH (…)"));
        }
        if (close < 0) {
            return Optional.of(new Problem(tokens.offset(1), "UNLOAD's query has no closing parenthesis"));
        }
        if (!tokens.word(close + 1, "TO") || !tokens.string(close + 2)) {
            return Optional.of(new Problem(tokens.offset(close + 1), "UNLOAD's query must be followed by TO '<location>'"));
        }
        return Optional.empty();
    }

    /** Where the query starts, just inside its parenthesis. */
    int queryOffset()
    {
        return tokens.offset(1) + 1;
    }

    String query()
    {
        return statement.substring(queryOffset(), tokens.offset(close));
    }

    /** The location after TO, when it is a string literal. */
    Optional<String> location()
    {
        return close < 0 || !tokens.word(close + 1, "TO") ? Optional.empty() : tokens.stringValue(close + 2);
    }

    /**
     * Where the location is, or where it should be: the token after TO, or the statement's start
     * when there is no TO after a closed query.
     */
    int locationOffset()
    {
        return close < 0 || !tokens.word(close + 1, "TO") ? 0 : tokens.offset(close + 2);
    }

    /** Where what follows the location starts: {@code WITH (…)}, or the end of the statement. */
    int afterLocation()
    {
        return tokens.offset(close + 3);
    }

    String statement()
    {
        return statement;
    }

    record Problem(int offset, String message)
    {
        Problem
        {
            requireNonNull(message, "message is null");
        }
    }
}
