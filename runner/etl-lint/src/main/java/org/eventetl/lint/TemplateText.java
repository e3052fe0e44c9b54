package org.eventetl.lint;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The raw text of a step template or a partial, as lint reads it: where its lines start, its
 * Mustache sections and partials, a copy with every tag blanked out (so that rules look at SQL
 * only) and a copy with markers at the start of every line and around tags (so that rendered SQL
 * can be traced back to the lines and columns it came from, see {@link LineMap}).
 */
final class TemplateText
{
    /** {@code MARK_START line MARK_END}: the text that follows is that line's, from its first column. */
    static final char MARK_START = '\u0001';
    static final char MARK_END = '\u0002';
    /** {@code TAG_START column MARK_END}: what follows is the output of the tag at that column (a value or a partial). */
    static final char TAG_START = '\u0003';
    /** {@code RESUME_START column MARK_END}: what follows is the template's own text again, from that column. */
    static final char RESUME_START = '\u0004';
    static final Pattern MARKER = Pattern.compile("([" + MARK_START + TAG_START + RESUME_START + "])([0-9]+)" + MARK_END);

    /** Blanks out a tag's characters; not white space, so a tag still separates the words around it. */
    static final char BLANK = '\u0000';

    private static final Pattern SECTION = Pattern.compile("\\{\\{\\s*([#^/])\\s*([^}\\s]+)\\s*}}");
    private static final Pattern PARTIAL = Pattern.compile("\\{\\{\\s*>\\s*([^}\\s]+)\\s*}}");

    private final String file;
    private final String text;
    private final int[] lineStarts;

    TemplateText(String file, String text)
    {
        this.file = requireNonNull(file, "file is null");
        this.text = requireNonNull(text, "text is null");
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The file relative to the project, e.g. {@code sql/V2__event_details.sql}. */
    String file()
    {
        return file;
    }

    String text()
    {
        return text;
    }

    /** The 1-based line of a character offset. */
    int lineOf(int offset)
    {
        int index = Arrays.binarySearch(lineStarts, Math.max(0, offset));
        return index >= 0 ? index + 1 : -index - 1;
    }

    /** The 1-based column of a character offset. */
    int columnOf(int offset)
    {
        return Math.max(0, offset) - lineStarts[lineOf(offset) - 1] + 1;
    }

    int lineCount()
    {
        return lineStarts.length;
    }

    /** The line of the first {@code {{#name}}}, if the template has such a section. */
    OptionalInt sectionLine(String name)
    {
        Matcher matcher = SECTION.matcher(text);
        while (matcher.find()) {
            if (matcher.group(1).equals("#") && matcher.group(2).equals(name)) {
                return OptionalInt.of(lineOf(matcher.start()));
            }
        }
        return OptionalInt.empty();
    }

    /** Every {@code {{> name}}} with its line, in order. */
    List<Include> partials()
    {
        List<Include> includes = new ArrayList<>();
        Matcher matcher = PARTIAL.matcher(text);
        while (matcher.find()) {
            includes.add(new Include(matcher.group(1), lineOf(matcher.start())));
        }
        return List.copyOf(includes);
    }

    /** The line that includes the partial (named with or without {@code .mustache}). */
    Optional<Integer> partialLine(String name)
    {
        String bare = name.endsWith(".mustache") ? name.substring(0, name.length() - ".mustache".length()) : name;
        return partials().stream().filter(include -> include.name().equals(bare)).map(Include::line).findFirst();
    }

    /**
     * The lines an engine's rendering shows, judged from the section tags alone: {@code sections}
     * names the sections that depend on the engine and says whether it renders each, so a line
     * inside {@code {{#other}}}, {@code {{#other_dialect_sql}}} or {@code {{^engine}}} is not shown.
     * Only a stand-in for when the template does not render; {@link LineMap#renderedLines()} knows better.
     */
    Set<Integer> linesShownTo(Map<String, Boolean> sections)
    {
        Set<Integer> shown = new HashSet<>();
        Deque<OpenSection> open = new ArrayDeque<>();
        Matcher matcher = SECTION.matcher(text);
        boolean found = matcher.find();
        for (int line = 1; line <= lineCount(); line++) {
            int end = line < lineCount() ? lineStarts[line] : text.length();
            boolean visible = true;
            for (OpenSection section : open) {
                // {{#other}} hides a line from this engine, and so does {{^engine}}
                Boolean rendered = sections.get(section.name());
                if (rendered != null && section.inverted() == rendered) {
                    visible = false;
                }
            }
            if (visible) {
                shown.add(line);
            }
            while (found && matcher.start() < end) {
                if (matcher.group(1).equals("/")) {
                    if (!open.isEmpty()) {
                        open.pop();
                    }
                }
                else {
                    open.push(new OpenSection(matcher.group(2), matcher.group(1).equals("^")));
                }
                found = matcher.find();
            }
        }
        return shown;
    }

    /**
     * The text with every Mustache tag ({@code {{…}}}, {@code {{{…}}}}, comments included) replaced by
     * {@link #BLANK}s, newlines kept, so offsets and lines stay those of the template.
     */
    String masked()
    {
        StringBuilder masked = new StringBuilder(text);
        for (Tag tag : tags()) {
            for (int i = tag.start(); i < tag.end(); i++) {
                if (masked.charAt(i) != '\n') {
                    masked.setCharAt(i, BLANK);
                }
            }
        }
        return masked.toString();
    }

    /**
     * The text with markers: {@code MARK_START line MARK_END} at the start of every line, and
     * around a tag whose output is text ({@code {{value}}}, {@code {{> partial}}}) the column where
     * that output starts and where the template's own text resumes.
     */
    String marked()
    {
        // what to insert where; at one offset, in the order added
        Map<Integer, StringBuilder> markers = new TreeMap<>();
        for (int line = 1; line <= lineCount(); line++) {
            markers.computeIfAbsent(lineStarts[line - 1], offset -> new StringBuilder()).append(MARK_START).append(line).append(MARK_END);
        }
        for (Tag tag : tags()) {
            if (tag.hasOutput()) {
                markers.computeIfAbsent(tag.start(), offset -> new StringBuilder()).append(TAG_START).append(columnOf(tag.start())).append(MARK_END);
            }
            if (tag.end() < text.length() && text.charAt(tag.end()) != '\n') {
                markers.computeIfAbsent(tag.end(), offset -> new StringBuilder()).append(RESUME_START).append(columnOf(tag.end())).append(MARK_END);
            }
        }
        StringBuilder marked = new StringBuilder(text.length() + lineCount() * 6);
        int from = 0;
        for (Map.Entry<Integer, StringBuilder> marker : markers.entrySet()) {
            marked.append(text, from, marker.getKey()).append(marker.getValue());
            from = marker.getKey();
        }
        return marked.append(text, from, text.length()).toString();
    }

    /** Every tag, {@code {{…}}} or {@code {{{…}}}}, in order; an unclosed one ends the list (it does not render). */
    private List<Tag> tags()
    {
        List<Tag> tags = new ArrayList<>();
        int start = text.indexOf("{{");
        while (start >= 0) {
            String close = text.startsWith("{{{", start) ? "}}}" : "}}";
            int end = text.indexOf(close, start + 2);
            if (end < 0) {
                break;
            }
            end += close.length();
            String inside = text.substring(start + 2, end - 2).strip();
            tags.add(new Tag(start, end, inside.isEmpty() || "#^/!=".indexOf(inside.charAt(0)) < 0));
            start = text.indexOf("{{", end);
        }
        return tags;
    }

    /** A tag's place in the text, and whether it renders to text (a value, a partial) or only steers (a section, a comment). */
    private record Tag(int start, int end, boolean hasOutput) {}

    private record OpenSection(String name, boolean inverted) {}

    /** A {@code {{> name}}} and the line it is on. */
    record Include(String name, int line)
    {
        Include
        {
            requireNonNull(name, "name is null");
        }
    }
}
