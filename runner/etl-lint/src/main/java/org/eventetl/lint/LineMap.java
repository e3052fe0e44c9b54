package org.eventetl.lint;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * Traces every character of a step's rendered SQL back to the template line it came from.
 * <p>
 * It compares the rendering with one of a copy of the template that carries a marker at the start
 * of every line ({@link TemplateText#marked()}): what a value or a partial produced belongs to the
 * line that holds its tag, and a line inside a section the engine does not render leaves no
 * marker. The two renderings differ only in white space (a marker keeps a tag-only line from being
 * dropped), so they are aligned on the characters that are not white space. Should they differ
 * otherwise (a marker that broke a tag spanning lines), {@link #uniform} maps every offset to one
 * line: the file and engine of a finding matter more than its line, and they stay right.
 */
final class LineMap
{
    private final int[] lines;
    private final Set<Integer> renderedLines;

    private LineMap(int[] lines, Set<Integer> renderedLines)
    {
        this.lines = lines;
        this.renderedLines = Set.copyOf(renderedLines);
    }

    /** The offset of a 1-based line and column of {@code text}, as parsers report a position. */
    static int offsetOf(String text, int line, int column)
    {
        int offset = 0;
        for (int i = 1; i < line; i++) {
            int newline = text.indexOf('\n', offset);
            if (newline < 0) {
                return offset;
            }
            offset = newline + 1;
        }
        return Math.min(text.length(), offset + Math.max(0, column - 1));
    }

    /** Every offset on one line. */
    static LineMap uniform(String rendered, int line)
    {
        int[] lines = new int[rendered.length() + 1];
        Arrays.fill(lines, line);
        return new LineMap(lines, Set.of());
    }

    /** Aligns the rendering with that of the marked template; empty when they differ in more than white space. */
    static Optional<LineMap> align(String rendered, String marked)
    {
        // the template line of each character of the marked rendering that is not white space
        StringBuilder characters = new StringBuilder();
        int[] origins = new int[marked.length()];
        Set<Integer> renderedLines = new TreeSet<>();
        int line = 1;
        Matcher mark = TemplateText.MARK.matcher(marked);
        int i = 0;
        while (i < marked.length()) {
            if (marked.charAt(i) == TemplateText.MARK_START && mark.find(i) && mark.start() == i) {
                line = Integer.parseInt(mark.group(1));
                renderedLines.add(line);
                i = mark.end();
                continue;
            }
            char c = marked.charAt(i);
            if (!Character.isWhitespace(c)) {
                origins[characters.length()] = line;
                characters.append(c);
            }
            i++;
        }

        int[] lines = new int[rendered.length() + 1];
        int next = 0;
        for (int offset = 0; offset < rendered.length(); offset++) {
            char c = rendered.charAt(offset);
            if (Character.isWhitespace(c)) {
                lines[offset] = -1;
                continue;
            }
            if (next >= characters.length() || characters.charAt(next) != c) {
                return Optional.empty();
            }
            lines[offset] = origins[next];
            next++;
        }
        if (next != characters.length()) {
            return Optional.empty();
        }
        // white space belongs to the next character that is not (a line's indentation to that line)
        int following = rendered.isEmpty() ? 1 : -1;
        for (int offset = rendered.length(); offset >= 0; offset--) {
            if (lines[offset] > 0) {
                following = lines[offset];
            }
            else {
                lines[offset] = following;
            }
        }
        // trailing white space has no next character: it takes the last line seen
        int previous = 1;
        for (int offset = 0; offset <= rendered.length(); offset++) {
            if (lines[offset] < 0) {
                lines[offset] = previous;
            }
            previous = lines[offset];
        }
        return Optional.of(new LineMap(lines, renderedLines));
    }

    /** The template line of a character of the rendered SQL. */
    int line(int offset)
    {
        return lines[Math.max(0, Math.min(offset, lines.length - 1))];
    }

    /** The template lines that show up in this rendering (empty when the alignment failed). */
    Set<Integer> renderedLines()
    {
        return renderedLines;
    }
}
