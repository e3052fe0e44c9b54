package org.eventetl.lint;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The tokens of one statement that are code (comments left out), by index, for the few shapes
 * lint reads itself: a statement's first word, {@code COPY … TO 'path'}, {@code UNLOAD (…) TO …},
 * the clauses of {@code CREATE EXTERNAL TABLE}. An index past the last token is allowed and reads
 * as nothing, so that a statement cut short needs no checks of its own.
 */
final class SqlTokens
{
    private final String sql;
    private final List<SqlToken> tokens;

    private SqlTokens(String sql, List<SqlToken> tokens)
    {
        this.sql = requireNonNull(sql, "sql is null");
        this.tokens = List.copyOf(requireNonNull(tokens, "tokens is null"));
    }

    static SqlTokens of(String sql)
    {
        return new SqlTokens(sql, SqlLexer.lex(sql).stream().filter(token -> token.kind() != SqlToken.Kind.COMMENT).toList());
    }

    int size()
    {
        return tokens.size();
    }

    Optional<SqlToken> get(int index)
    {
        return index >= 0 && index < tokens.size() ? Optional.of(tokens.get(index)) : Optional.empty();
    }

    /** Where a token starts; past the last one, the end of the statement. */
    int offset(int index)
    {
        return get(index).map(SqlToken::offset).orElse(sql.length());
    }

    boolean word(int index, String word)
    {
        return get(index).filter(token -> token.isWord(word)).isPresent();
    }

    boolean symbol(int index, String symbol)
    {
        return get(index).filter(token -> token.isSymbol(symbol)).isPresent();
    }

    boolean string(int index)
    {
        return get(index).filter(token -> token.kind() == SqlToken.Kind.STRING).isPresent();
    }

    /** The value of the string literal at {@code index}, if there is one. */
    Optional<String> stringValue(int index)
    {
        return get(index).filter(token -> token.kind() == SqlToken.Kind.STRING).map(SqlToken::stringValue);
    }

    /** The index of the parenthesis that closes the one at {@code open}, or -1. */
    int closing(int open)
    {
        if (!symbol(open, "(")) {
            return -1;
        }
        int depth = tokens.get(open).depth();
        for (int i = open + 1; i < tokens.size(); i++) {
            if (symbol(i, ")") && tokens.get(i).depth() == depth) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the first {@code word} outside parentheses at or after {@code from}, or -1. */
    int wordOutsideParentheses(int from, String word)
    {
        for (int i = Math.max(0, from); i < tokens.size(); i++) {
            if (tokens.get(i).depth() == 0 && tokens.get(i).isWord(word)) {
                return i;
            }
        }
        return -1;
    }
}
