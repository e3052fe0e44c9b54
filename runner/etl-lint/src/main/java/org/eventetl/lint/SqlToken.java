package org.eventetl.lint;

import static java.util.Objects.requireNonNull;

/**
 * One token of SQL as {@link SqlLexer} reads it: its kind, its text as written, where it starts in
 * the SQL (a {@code char} offset) and how many parentheses are open around it.
 */
record SqlToken(Kind kind, String text, int offset, int depth)
{
    enum Kind
    {
        /** a keyword or an unquoted name */
        WORD,
        /** a {@code "quoted"} name */
        QUOTED_NAME,
        /** a {@code `backquoted`} name (Hive's DDL, which Athena takes) */
        BACKQUOTED_NAME,
        /** a string literal, with its prefix if it has one: {@code 'x'}, {@code E'x'}, {@code U&'x'}, {@code X'00'} */
        STRING,
        NUMBER,
        /** an operator or punctuation, or a character neither dialect's grammar knows here ({@code :}, {@code $}) */
        SYMBOL,
        /** a {@code --} or {@code /* … *&#47;} comment, newline included */
        COMMENT,
    }

    SqlToken
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(text, "text is null");
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
    }

    int end()
    {
        return offset + text.length();
    }

    boolean isWord(String word)
    {
        return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    boolean isSymbol(String symbol)
    {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    /** Where a string literal's opening quote is: after its prefix, if any. */
    int quoteOffset()
    {
        return offset + Math.max(0, text.indexOf('\''));
    }

    /**
     * A string literal's value: without its prefix and quotes, a doubled quote read as one. Backslash
     * escapes of {@code E'…'} are left as written: the paths and names lint reads have none.
     */
    String stringValue()
    {
        if (kind != Kind.STRING) {
            throw new IllegalStateException("not a string literal: " + text);
        }
        int open = text.indexOf('\'');
        int close = text.length() > open + 1 && text.endsWith("'") ? text.length() - 1 : text.length();
        return text.substring(open + 1, close).replace("''", "'");
    }

    /** A name without its quotes, as written otherwise. */
    String name()
    {
        return switch (kind) {
            case QUOTED_NAME -> unquote('"');
            case BACKQUOTED_NAME -> unquote('`');
            case WORD, STRING, NUMBER, SYMBOL, COMMENT -> text;
        };
    }

    private String unquote(char quote)
    {
        String doubled = String.valueOf(quote) + quote;
        int close = text.length() > 1 && text.charAt(text.length() - 1) == quote ? text.length() - 1 : text.length();
        return text.substring(1, close).replace(doubled, String.valueOf(quote));
    }
}
