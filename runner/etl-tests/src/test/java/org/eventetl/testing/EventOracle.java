package org.eventetl.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static java.util.Objects.requireNonNull;

/**
 * What a load of one source partition must produce, computed straight from the raw files with
 * Jackson and plain Java, sharing no code with the runner or its SQL (docs/source-contract.md).
 */
public final class EventOracle
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** One event as the oracle sees it; {@code eventDate} is the UTC date of {@code eventTime}. */
    public record Event(String deviceId, Instant eventTime, String country, Double longitude, Double latitude,
            String userId, String userType, String language)
    {
        public LocalDate eventDate()
        {
            return eventTime == null ? null : LocalDate.ofInstant(eventTime, ZoneOffset.UTC);
        }

        public Long eventTimeMicros()
        {
            return eventTime == null ? null : eventTime.getEpochSecond() * 1_000_000 + eventTime.getNano() / 1_000;
        }
    }

    /**
     * A non-blank line that is not a JSON object: the absolute path of its file, its line number
     * (null where the engine cannot number lines), why, its text (cut to {@link #KEPT_LINE_BYTES}
     * characters; for a line too long to read, its first bytes; bytes that are not UTF-8 as {@code ?})
     * and its full length in bytes.
     */
    public record Reject(String file, Long lineNumber, String reason, String line, long lineBytes)
    {
        public Reject
        {
            requireNonNull(file, "file is null");
            requireNonNull(reason, "reason is null");
            requireNonNull(line, "line is null");
        }

        /** The same reject as an engine that cannot number lines keeps it. */
        public Reject withoutLineNumber()
        {
            return new Reject(file, null, reason, line, lineBytes);
        }
    }

    /** The longest line read as a line by default (load.max-line-bytes). */
    public static final long DEFAULT_MAX_LINE_BYTES = 16L * 1024 * 1024;
    /** How much of a rejected line is kept. */
    public static final int KEPT_LINE_BYTES = 65_536;

    private final List<Event> events;
    private final List<Reject> rejects;
    private final long nonBlankLines;

    private EventOracle(List<Event> events, List<Reject> rejects, long nonBlankLines)
    {
        this.events = List.copyOf(events);
        this.rejects = List.copyOf(rejects);
        this.nonBlankLines = nonBlankLines;
    }

    /** Reads every file of a source partition folder whose name starts with neither {@code _} nor {@code .}. */
    public static EventOracle of(Path partitionFolder)
    {
        return of(partitionFolder, DEFAULT_MAX_LINE_BYTES);
    }

    /** The same, with lines longer than {@code maxLineBytes} rejected as too long. */
    public static EventOracle of(Path partitionFolder, long maxLineBytes)
    {
        List<Event> events = new ArrayList<>();
        List<Reject> rejects = new ArrayList<>();
        long nonBlank = 0;
        List<Path> files;
        try (Stream<Path> entries = Files.list(partitionFolder)) {
            files = entries
                    .filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                    .filter(file -> !file.getFileName().toString().startsWith("_") && !file.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files) {
            String fileName = file.toAbsolutePath().normalize().toString();
            List<byte[]> lines = EventDomain.lines(content(file));
            for (int index = 0; index < lines.size(); index++) {
                byte[] bytes = lines.get(index);
                long number = index + 1;
                if (bytes.length > maxLineBytes) {
                    nonBlank++;
                    byte[] kept = Arrays.copyOfRange(bytes, 0, Math.min(bytes.length, KEPT_LINE_BYTES));
                    rejects.add(new Reject(fileName, number, "too_long", EventDomain.withQuestionMarks(kept), bytes.length));
                    continue;
                }
                Optional<String> text = EventDomain.utf8(bytes);
                if (text.isEmpty()) {
                    nonBlank++;
                    rejects.add(new Reject(fileName, number, "invalid_utf8", EventDomain.withQuestionMarks(bytes), bytes.length));
                    continue;
                }
                String line = text.get();
                if (EventDomain.isBlank(line)) {
                    continue;
                }
                nonBlank++;
                String reason = reason(line);
                if (reason == null) {
                    events.add(event(parse(line)));
                }
                else {
                    String kept = line.codePointCount(0, line.length()) > KEPT_LINE_BYTES ? line.substring(0, line.offsetByCodePoints(0, KEPT_LINE_BYTES)) : line;
                    rejects.add(new Reject(fileName, number, reason, kept, bytes.length));
                }
            }
        }
        return new EventOracle(events, rejects, nonBlank);
    }

    public List<Event> events()
    {
        return events;
    }

    public List<Reject> rejects()
    {
        return rejects;
    }

    public long nonBlankLines()
    {
        return nonBlankLines;
    }

    /** Distinct non-null, non-empty device ids per non-null country. */
    public Map<String, Long> dau()
    {
        Map<String, Set<String>> devices = new HashMap<>();
        for (Event event : events) {
            if (event.country() != null && event.deviceId() != null && !event.deviceId().isEmpty()) {
                devices.computeIfAbsent(event.country(), ignored -> new HashSet<>()).add(event.deviceId());
            }
        }
        Map<String, Long> dau = new TreeMap<>();
        devices.forEach((country, ids) -> dau.put(country, (long) ids.size()));
        return dau;
    }

    /** Events per country; the key {@code null} counts the events without a country. */
    public Map<String, Long> eventsPerCountry()
    {
        Map<String, Long> counts = new HashMap<>();
        for (Event event : events) {
            counts.merge(event.country(), 1L, Long::sum);
        }
        return counts;
    }

    public long longitudes()
    {
        return events.stream().filter(event -> event.longitude() != null).count();
    }

    private static Event event(JsonNode node)
    {
        return new Event(
                text(node.at("/meta/session_long")),
                EventDomain.utcTime(text(node.at("/meta/date"))),
                country(text(node.at("/params/cc"))),
                EventDomain.coordinate(number(node.at("/params/long")), 180),
                EventDomain.coordinate(number(node.at("/params/lat")), 90),
                text(node.at("/params/user_id")),
                text(node.at("/params/extra/user_type")),
                text(node.at("/params/extra/language")));
    }

    /**
     * Why a line is a reject, or null for an event (a JSON object). A byte-order mark starting a
     * line (after the one a file may start with, which every engine's reader drops) makes it no JSON
     * text for Trino's and Athena's parser (RFC 8259 lets a parser choose), so it is a reject on
     * every engine, with a reason of its own. NaN, Infinity and trailing commas are no JSON (Jackson
     * refuses them, as Trino does).
     */
    static String reason(String line)
    {
        if (line.startsWith("\uFEFF")) {
            return "byte_order_mark";
        }
        JsonNode node = parse(line);
        if (node == null) {
            return "not_json";
        }
        return node.isObject() ? null : "not_object";
    }

    private static String text(JsonNode node)
    {
        return node.isTextual() ? node.textValue() : null;
    }

    private static Double number(JsonNode node)
    {
        return node.isNumber() ? node.doubleValue() : null;
    }

    /** SQL's {@code upper(trim(cc))}; an empty result is no country. */
    private static String country(String cc)
    {
        if (cc == null) {
            return null;
        }
        String trimmed = trimWhiteSpace(cc).toUpperCase(Locale.ROOT);
        return trimmed.isEmpty() ? null : trimmed;
    }

    /**
     * Trim as Trino and Athena define it: white space in Java's sense (tabs, line breaks, em
     * spaces; not the no-break space) goes from both ends.
     */
    public static String trimWhiteSpace(String value)
    {
        int start = 0;
        int end = value.length();
        while (start < end && Character.isWhitespace(value.codePointAt(start))) {
            start += Character.charCount(value.codePointAt(start));
        }
        while (end > start && Character.isWhitespace(value.codePointBefore(end))) {
            end -= Character.charCount(value.codePointBefore(end));
        }
        return value.substring(start, end);
    }

    private static JsonNode parse(String line)
    {
        try {
            return JSON.readTree(line);
        }
        catch (JsonProcessingException e) {
            return null;
        }
    }

    private static byte[] content(Path file)
    {
        try {
            byte[] bytes = Files.readAllBytes(file);
            // an empty file holds no line, whatever its name says (docs/source-contract.md)
            if (file.getFileName().toString().endsWith(".gz") && bytes.length > 0) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    bytes = in.readAllBytes();
                }
            }
            return bytes;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
