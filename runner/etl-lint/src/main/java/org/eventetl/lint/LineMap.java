package org.eventetl.lint;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * Traces every character of a step's rendered SQL back to the template line and column it came from.
 * <p>
 * It compares the rendering with one of a copy of the template that carries markers at the start
 * of every line and around tags ({@link TemplateText#marked()}): what a value or a partial produced
 * belongs to the line and column of its tag, the template's own text to where it is written, and a
 * line inside a section the engine does not render leaves no marker. The two renderings differ only in white space (a marker keeps a tag-only line from being
 * dropped), so they are aligned on the characters that are not white space. Should they differ
 * otherwise (a marker that broke a tag spanning lines), {@link #uniform} maps every offset to one
 * line, column 1: the file and engine of a finding matter more than its line, and they stay right.
 */
final class LineMap
{
    private final int[] lines;
    private final int[] columns;
    private final Set<Integer> renderedLines;

    private LineMap(int[] lines, int[] columns, Set<Integer> renderedLines)
    {
        this.lines = lines;
        this.columns = columns;
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
        int[] columns = new int[rendered.length() + 1];
        Arrays.fill(columns, 1);
        return new LineMap(lines, columns, Set.of());
    }

    /** Aligns the rendering with that of the marked template; empty when they differ in more than white space. */
    static Optional<LineMap> align(String rendered, String marked)
    {
        // the template line and column of each character of the marked rendering that is not white space
        StringBuilder characters = new StringBuilder();
        int[] originLines = new int[marked.length()];
        int[] originColumns = new int[marked.length()];
        Set<Integer> renderedLines = new TreeSet<>();
        int line = 1;
        int column = 1;
        // in the template's own text the column advances with every character; in a tag's output it stays at the tag
        boolean ownText = true;
        Matcher marker = TemplateText.MARKER.matcher(marked);
        int i = 0;
        while (i < marked.length()) {
            char c = marked.charAt(i);
            if (c == TemplateText.MARK_START || c == TemplateText.TAG_START || c == TemplateText.RESUME_START) {
                if (marker.find(i) && marker.start() == i) {
                    int number = Integer.parseInt(marker.group(2));
                    if (c == TemplateText.MARK_START) {
                        line = number;
                        renderedLines.add(line);
                    }
                    column = c == TemplateText.MARK_START ? 1 : number;
                    ownText = c != TemplateText.TAG_START;
                    i = marker.end();
                    continue;
                }
            }
            if (!Character.isWhitespace(c)) {
                originLines[characters.length()] = line;
                originColumns[characters.length()] = column;
                characters.append(c);
            }
            if (ownText) {
                column++;
            }
            i++;
        }

        int[] lines = new int[rendered.length() + 1];
        int[] columns = new int[rendered.length() + 1];
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
            lines[offset] = originLines[next];
            columns[offset] = originColumns[next];
            next++;
        }
        if (next != characters.length()) {
            return Optional.empty();
        }
        // white space belongs to the next character that is not (a line's indentation to that line)
        int followingLine = rendered.isEmpty() ? 1 : -1;
        int followingColumn = 1;
        for (int offset = rendered.length(); offset >= 0; offset--) {
            if (lines[offset] > 0) {
                followingLine = lines[offset];
                followingColumn = columns[offset];
            }
            else {
                lines[offset] = followingLine;
                columns[offset] = followingColumn;
            }
        }
        // trailing white space has no next character: it takes the last one seen
        int previousLine = 1;
        int previousColumn = 1;
        for (int offset = 0; offset <= rendered.length(); offset++) {
            if (lines[offset] < 0) {
                lines[offset] = previousLine;
                columns[offset] = previousColumn;
            }
            previousLine = lines[offset];
            previousColumn = columns[offset];
        }
        return Optional.of(new LineMap(lines, columns, renderedLines));
    }

    /** The template line of a character of the rendered SQL. */
    int line(int offset)
    {
        return lines[Math.max(0, Math.min(offset, lines.length - 1))];
    }

    /** The template column of a character of the rendered SQL. */
    int column(int offset)
    {
        return columns[Math.max(0, Math.min(offset, columns.length - 1))];
    }

    /** The template lines that show up in this rendering (empty when the alignment failed). */
    Set<Integer> renderedLines()
    {
        return renderedLines;
    }
}
