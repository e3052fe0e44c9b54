package org.eventetl.model;

/**
 * Text that comes from the data (a country, a device id, an audit's row) or holds it (a failure
 * recorded in the history), made safe to print on a terminal line. An event's value may hold any
 * character JSON can escape: an escape sequence would recolour the terminal, retitle its window
 * or clear it, a line break would forge a line of the summary ("all good"), and a right-to-left
 * override would print a value backwards. Each is shown as an escape instead.
 */
public final class TerminalText
{
    /** The characters of a value that a summary or a message shows; the rest is counted. */
    public static final int SHOWN_CHARACTERS = 200;

    private TerminalText() {}

    /**
     * The value with every control character escaped ({@code \t}, {@code \n}, {@code \r}, others
     * as {@code \xHH}), and the invisible characters that reorder or hide text as a backslash, u and four hex digits;
     * a backslash is doubled, so that every escaped value reads back as one value.
     */
    public static String escaped(String value)
    {
        return escape(value, true);
    }

    /** {@link #escaped}, cut to {@value #SHOWN_CHARACTERS} characters, the rest counted: a 1 MB country is one line of a table. */
    public static String shortened(String value)
    {
        String escaped = escaped(value);
        if (escaped.length() <= SHOWN_CHARACTERS) {
            return escaped;
        }
        return escaped.substring(0, SHOWN_CHARACTERS) + "…(" + (escaped.length() - SHOWN_CHARACTERS) + " more characters)";
    }

    /**
     * A message of the runner's, which may quote the data, as one line: line breaks and the white
     * space around them become one space, other control and reordering characters are escaped, and
     * a backslash stays as it is (a message quotes paths and SQL, not values to be read back).
     */
    public static String oneLine(String message)
    {
        return escape(message.strip().replaceAll("\\s*\\R\\s*", " "), false);
    }

    private static String escape(String value, boolean backslash)
    {
        StringBuilder text = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append(backslash ? "\\\\" : "\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                        // a character beyond the first 65,536 (an emoji): shown
                        text.append(c).append(value.charAt(++i));
                    }
                    else if (c < 0x20 || c >= 0x7F && c <= 0x9F) {
                        text.append(String.format("\\x%02x", (int) c));
                    }
                    else if (reordersOrHides(c)) {
                        text.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        text.append(c);
                    }
                }
            }
        }
        return text.toString();
    }

    /**
     * Unicode's explicit direction marks, embeddings, overrides and isolates, the zero-width
     * characters and the byte-order mark, and a lone surrogate (half a character, never paired
     * here): each changes how the text around it is shown, or shows as nothing, so GH followed by a
     * right-to-left mark would print as GH.
     */
    private static boolean reordersOrHides(char c)
    {
        return c >= '\u200b' && c <= '\u200f' || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069' || c == '\u2060' || c == '\ufeff'
                || Character.isSurrogate(c);
    }
}
