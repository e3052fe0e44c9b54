package org.eventetl.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.trino.grammar.sql.SqlBaseLexer;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;

/**
 * The one SQL lexer of lint: Trino's own (the ANTLR lexer of {@code io.trino:trino-grammar}, which
 * Trino's parser and so Athena's queries use), for the SQL of every engine, templates included.
 * <p>
 * Trino's lexer takes DuckDB's SQL as it is, token kinds aside: {@code ::}, {@code ->>},
 * {@code {'a': 1}} and {@code $} are symbols or characters it does not know, and either way one
 * token each; strings, comments and names read as in DuckDB. Two things do not, and
 * {@link DialectAdapter} handles them:
 * <ul>
 * <li>DuckDB's {@code E'…'} strings take backslash escapes ({@code E'it\'s'}), which Trino has not:
 *     its lexer would end the string at {@code \'};
 * <li>a string or quoted name that is never closed: Trino's lexer gives up on its quote and lexes
 *     what follows as code; lint reads it as running to the end of the text, as the statement
 *     splitter does ({@code Statements.closingQuote}).
 * </ul>
 */
final class SqlLexer
{
    private static final SqlToken.Kind[] KINDS = kinds(SqlBaseLexer.VOCABULARY);

    private SqlLexer() {}

    /** Every token of the text, comments included, white space left out. */
    static List<SqlToken> lex(String sql)
    {
        int[] charOffsets = charOffsets(sql);
        DialectAdapter lexer = new DialectAdapter(CharStreams.fromString(sql));
        // an unknown character is a token of its own (Trino's UNRECOGNIZED): nothing to report
        lexer.removeErrorListeners();
        List<SqlToken> tokens = new ArrayList<>();
        int depth = 0;
        for (Token token = lexer.nextToken(); token.getType() != Token.EOF; token = lexer.nextToken()) {
            if (token.getType() == SqlBaseLexer.WS) {
                continue;
            }
            int start = charOffsets[token.getStartIndex()];
            int end = charOffsets[token.getStopIndex() + 1];
            SqlToken.Kind kind = KINDS[token.getType()];
            String text = sql.substring(start, end);
            if (kind == SqlToken.Kind.SYMBOL && text.equals(")")) {
                depth = Math.max(0, depth - 1);
            }
            tokens.add(new SqlToken(kind, text, start, depth));
            if (kind == SqlToken.Kind.SYMBOL && text.equals("(")) {
                depth++;
            }
        }
        return List.copyOf(tokens);
    }

    private static SqlToken.Kind[] kinds(Vocabulary vocabulary)
    {
        Pattern keyword = Pattern.compile("'[A-Z_]+'");
        SqlToken.Kind[] kinds = new SqlToken.Kind[vocabulary.getMaxTokenType() + 1];
        for (int type = 0; type < kinds.length; type++) {
            String literal = vocabulary.getLiteralName(type);
            kinds[type] = switch (type) {
                case SqlBaseLexer.IDENTIFIER, SqlBaseLexer.DIGIT_IDENTIFIER -> SqlToken.Kind.WORD;
                case SqlBaseLexer.QUOTED_IDENTIFIER -> SqlToken.Kind.QUOTED_NAME;
                case SqlBaseLexer.BACKQUOTED_IDENTIFIER -> SqlToken.Kind.BACKQUOTED_NAME;
                case SqlBaseLexer.STRING, SqlBaseLexer.UNICODE_STRING, SqlBaseLexer.BINARY_LITERAL -> SqlToken.Kind.STRING;
                case SqlBaseLexer.INTEGER_VALUE, SqlBaseLexer.DECIMAL_VALUE, SqlBaseLexer.DOUBLE_VALUE -> SqlToken.Kind.NUMBER;
                case SqlBaseLexer.SIMPLE_COMMENT, SqlBaseLexer.BRACKETED_COMMENT -> SqlToken.Kind.COMMENT;
                default -> literal != null && keyword.matcher(literal).matches() ? SqlToken.Kind.WORD : SqlToken.Kind.SYMBOL;
            };
        }
        return kinds;
    }

    /**
     * Trino's lexer with the two exceptions of the class comment: after it lexes {@code E} right
     * before a quote, or a quote it could not close, this reads the string (or name) itself.
     */
    private static final class DialectAdapter
            extends SqlBaseLexer
    {
        DialectAdapter(CharStream input)
        {
            super(input);
        }

        @Override
        public Token nextToken()
        {
            Token token = super.nextToken();
            if (token.getType() == IDENTIFIER && token.getText().equalsIgnoreCase("E") && _input.LA(1) == '\'') {
                consume();
                return readQuoted(token, STRING, '\'', true);
            }
            if (token.getType() == UNRECOGNIZED) {
                return switch (token.getText()) {
                    case "'" -> readQuoted(token, STRING, '\'', false);
                    case "\"" -> readQuoted(token, QUOTED_IDENTIFIER, '"', false);
                    case "`" -> readQuoted(token, BACKQUOTED_IDENTIFIER, '`', false);
                    default -> token;
                };
            }
            return token;
        }

        /** From just past the opening quote to just past the closing one, or to the end of the text. */
        private Token readQuoted(Token start, int type, char quote, boolean backslashEscapes)
        {
            while (_input.LA(1) != CharStream.EOF) {
                int c = _input.LA(1);
                consume();
                if (backslashEscapes && c == '\\' && _input.LA(1) != CharStream.EOF) {
                    consume();
                }
                else if (c == quote) {
                    if (_input.LA(1) != quote) {
                        break;
                    }
                    consume();
                }
            }
            return _factory.create(_tokenFactorySourcePair, type, null, DEFAULT_TOKEN_CHANNEL,
                    start.getStartIndex(), _input.index() - 1, start.getLine(), start.getCharPositionInLine());
        }

        private void consume()
        {
            getInterpreter().consume(_input);
        }
    }

    /** The char offset of every code point index (ANTLR counts code points; a Java string counts two chars for one outside the BMP). */
    private static int[] charOffsets(String text)
    {
        int[] offsets = new int[text.codePointCount(0, text.length()) + 1];
        int offset = 0;
        for (int i = 0; i < offsets.length - 1; i++) {
            offsets[i] = offset;
            offset = text.offsetByCodePoints(offset, 1);
        }
        offsets[offsets.length - 1] = text.length();
        return offsets;
    }
}
