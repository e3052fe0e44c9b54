package org.eventetl.lint;

/**
 * Names quoted as Hive's DDL quotes them, with backticks ({@code `db`.`table`}), which Athena takes
 * in the statements it runs as DDL: its {@code DROP TABLE} is Hive's (Athena's documentation of
 * DROP TABLE writes names with backticks). Trino's grammar refuses backquoted names, so lint hands
 * it such a statement with each name quoted as Trino quotes it; the statement's shape, which is
 * what lint checks there, is the same either way.
 */
final class HiveNames
{
    private HiveNames() {}

    /** Whether Athena runs the statement as Hive's DDL, as far as lint needs to know: {@code DROP TABLE}. */
    static boolean isHiveDdl(String statement)
    {
        SqlTokens tokens = SqlTokens.of(statement);
        return tokens.word(0, "DROP") && tokens.word(1, "TABLE");
    }

    /**
     * The statement with every backquoted name written in double quotes ({@code `a``b`} as
     * {@code "a`b"}, a {@code "} inside doubled), and everything else as it is. Offsets stay those of
     * the statement unless a name holds a quote of either kind.
     */
    static String doubleQuoted(String statement)
    {
        StringBuilder quoted = new StringBuilder(statement.length());
        int from = 0;
        for (SqlToken token : SqlLexer.lex(statement)) {
            if (token.kind() == SqlToken.Kind.BACKQUOTED_NAME) {
                quoted.append(statement, from, token.offset())
                        .append('"').append(token.name().replace("\"", "\"\"")).append('"');
                from = token.end();
            }
        }
        return quoted.append(statement, from, statement.length()).toString();
    }
}
