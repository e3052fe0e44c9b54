package org.eventetl.render;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits rendered SQL into statements at semicolons that are outside string literals, quoted
 * identifiers and comments. Engines take one statement per call (Trino and Athena require it).
 */
public final class Statements
{
    private Statements() {}

    public static List<String> split(String sql)
    {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = closingQuote(sql, i, false);
                current.append(sql, i, end);
                i = end;
            }
            else if (c == '-' && sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? sql.length() : end;
                current.append(sql, i, end);
                i = end;
            }
            else if (c == '/' && sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? sql.length() : end + 2;
                current.append(sql, i, end);
                i = end;
            }
            else if (c == ';') {
                add(statements, current);
                current.setLength(0);
                i++;
            }
            else {
                current.append(c);
                i++;
            }
        }
        add(statements, current);
        return List.copyOf(statements);
    }

    /** The statement without the comments and white space before its first keyword. */
    public static String withoutLeadingComments(String statement)
    {
        String rest = statement.stripLeading();
        while (rest.startsWith("--") || rest.startsWith("/*")) {
            int end = rest.startsWith("--") ? rest.indexOf('\n') : rest.indexOf("*/");
            rest = end < 0 ? "" : rest.substring(end + (rest.startsWith("--") ? 1 : 2)).stripLeading();
        }
        return rest;
    }

    /**
     * The index just past the quote that closes the one at {@code start}, or the text's end; a
     * doubled quote is an escape, and so is a backslash when {@code backslashEscapes} (DuckDB's
     * and Trino's {@code E'…'} strings).
     */
    public static int closingQuote(String sql, int start, boolean backslashEscapes)
    {
        char quote = sql.charAt(start);
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private static void add(List<String> statements, StringBuilder text)
    {
        String statement = text.toString().strip();
        if (!withoutComments(statement).isBlank()) {
            statements.add(statement);
        }
    }

    private static String withoutComments(String statement)
    {
        return statement.replaceAll("(?m)--.*$", "").replaceAll("(?s)/\\*.*?\\*/", "");
    }
}
