package org.eventetl.lint;

import java.util.List;

import org.eventetl.lint.SqlToken.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Trino's lexer on the SQL of every engine, DuckDB's included, and the adapter for what it reads otherwise. */
final class TestLintSqlLexer
{
    @Test
    void readsWordsStringsNamesNumbersAndComments()
    {
        String sql = "SELECT \"to\", `etl`.t, 'it''s' -- done\n/* more */ FROM x WHERE n = 2017.5";

        assertThat(SqlLexer.lex(sql)).extracting(SqlToken::kind, SqlToken::text).containsExactly(
                tuple(Kind.WORD, "SELECT"),
                tuple(Kind.QUOTED_NAME, "\"to\""),
                tuple(Kind.SYMBOL, ","),
                tuple(Kind.BACKQUOTED_NAME, "`etl`"),
                tuple(Kind.SYMBOL, "."),
                tuple(Kind.WORD, "t"),
                tuple(Kind.SYMBOL, ","),
                tuple(Kind.STRING, "'it''s'"),
                tuple(Kind.COMMENT, "-- done\n"),
                tuple(Kind.COMMENT, "/* more */"),
                tuple(Kind.WORD, "FROM"),
                tuple(Kind.WORD, "x"),
                tuple(Kind.WORD, "WHERE"),
                tuple(Kind.WORD, "n"),
                tuple(Kind.SYMBOL, "="),
                tuple(Kind.NUMBER, "2017.5"));
        assertThat(SqlLexer.lex(sql)).allSatisfy(token -> assertThat(sql.substring(token.offset(), token.end())).isEqualTo(token.text()));
        assertThat(SqlLexer.lex(sql).get(7).stringValue()).isEqualTo("it's");
        assertThat(SqlLexer.lex(sql).get(1).name()).isEqualTo("to");
    }

    @Test
    void readsDuckDbsEscapeStringsWithTheirBackslashes()
    {
        // Trino's lexer alone would end the first string at \' and read the rest as code
        String sql = "SELECT E'it\\'s', e'\\\\', trim(line, E' \\t\\r'), 'a\\' AS plain";

        assertThat(strings(sql)).containsExactly("E'it\\'s'", "e'\\\\'", "E' \\t\\r'", "'a\\'");
        assertThat(SqlLexer.lex(sql)).last().satisfies(token -> assertThat(token.text()).isEqualTo("plain"));
        assertThat(SqlLexer.lex(sql).get(1).quoteOffset()).isEqualTo(sql.indexOf("'it"));
    }

    @Test
    void keepsDuckDbsOperatorsJsonPathsAndStructsApart()
    {
        String sql = "SELECT x::VARCHAR[2:-2], j->>'$.meta.date', {'a': 1, 'b': E'\\''} AS s, $1 FROM t";

        assertThat(strings(sql)).containsExactly("'$.meta.date'", "'a'", "'b'", "E'\\''");
        assertThat(words(sql)).containsExactly("SELECT", "x", "VARCHAR", "j", "AS", "s", "FROM", "t");
    }

    @Test
    void readsAnUnclosedStringOrNameToTheEnd()
    {
        assertThat(SqlLexer.lex("SELECT 'open, \"x\" FROM t")).extracting(SqlToken::kind, SqlToken::text)
                .containsExactly(tuple(Kind.WORD, "SELECT"), tuple(Kind.STRING, "'open, \"x\" FROM t"));
        assertThat(SqlLexer.lex("SELECT \"open FROM t")).extracting(SqlToken::kind).containsExactly(Kind.WORD, Kind.QUOTED_NAME);
        assertThat(SqlLexer.lex("SELECT E'open\\' FROM t")).extracting(SqlToken::kind).containsExactly(Kind.WORD, Kind.STRING);
    }

    @Test
    void countsOffsetsInCharsAndParenthesesInDepth()
    {
        // ANTLR counts code points: the emoji is two chars of a Java string
        String sql = "SELECT '\uD83D\uDE00', f((1), 2) AS x";
        List<SqlToken> tokens = SqlLexer.lex(sql);

        assertThat(tokens).allSatisfy(token -> assertThat(sql.substring(token.offset(), token.end())).isEqualTo(token.text()));
        assertThat(tokens).filteredOn(token -> token.kind() == Kind.NUMBER || token.isSymbol("(") || token.isSymbol(")") || token.isWord("AS"))
                .extracting(SqlToken::text, SqlToken::depth)
                .containsExactly(tuple("(", 0), tuple("(", 1), tuple("1", 2), tuple(")", 1), tuple("2", 1), tuple(")", 0), tuple("AS", 0));
    }

    @Test
    void findsTheFirstWordOutsideParentheses()
    {
        SqlTokens tokens = SqlTokens.of("COPY (SELECT 'TO' AS \"to\" FROM t WHERE y IN (SELECT 1)) -- TO 'no'\n TO '/o/x.parquet'");

        int to = tokens.wordOutsideParentheses(1, "TO");
        assertThat(tokens.stringValue(to + 1)).hasValue("/o/x.parquet");
        assertThat(tokens.closing(1)).isEqualTo(to - 1);
        assertThat(tokens.stringValue(to + 2)).isEmpty();
        assertThat(tokens.offset(to + 2)).isEqualTo(tokens.offset(to + 1) + "'/o/x.parquet'".length());
    }

    private static List<String> strings(String sql)
    {
        return SqlLexer.lex(sql).stream().filter(token -> token.kind() == Kind.STRING).map(SqlToken::text).toList();
    }

    private static List<String> words(String sql)
    {
        return SqlLexer.lex(sql).stream().filter(token -> token.kind() == Kind.WORD).map(SqlToken::text).toList();
    }
}
