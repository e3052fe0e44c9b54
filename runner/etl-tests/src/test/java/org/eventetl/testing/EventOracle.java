package org.eventetl.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Jackson and plain Java, sharing no code with the runner or its SQL (design sections 3 and 4).
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

    /** A non-blank line that is not a JSON object, with the absolute path of its file. */
    public record Reject(String file, String line)
    {
        public Reject
        {
            requireNonNull(file, "file is null");
            requireNonNull(line, "line is null");
        }
    }

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
        List<Event> events = new ArrayList<>();
        List<Reject> rejects = new ArrayList<>();
        long nonBlank = 0;
        List<Path> files;
        try (Stream<Path> entries = Files.list(partitionFolder)) {
            files = entries
                    .filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("_") && !file.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files) {
            String fileName = file.toAbsolutePath().normalize().toString();
            for (String line : lines(file)) {
                if (isBlank(line)) {
                    continue;
                }
                nonBlank++;
                // a byte-order mark starting a line (after the one a file may start with, which
                // every engine's reader drops) makes it no JSON text for Trino's and Athena's parser
                // (RFC 8259 lets a parser choose), so it is a reject on every engine
                JsonNode node = line.startsWith("\uFEFF") ? null : parse(line);
                if (node == null || !node.isObject()) {
                    rejects.add(new Reject(fileName, line));
                }
                else {
                    events.add(event(node));
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
                time(text(node.at("/meta/date"))),
                country(text(node.at("/params/cc"))),
                number(node.at("/params/long")),
                number(node.at("/params/lat")),
                text(node.at("/params/user_id")),
                text(node.at("/params/extra/user_type")),
                text(node.at("/params/extra/language")));
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

    private static Instant time(String text)
    {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        }
        catch (DateTimeParseException e) {
            return null;
        }
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

    /** Empty, or nothing but spaces, tabs and carriage returns. */
    private static boolean isBlank(String line)
    {
        return line.chars().allMatch(c -> c == ' ' || c == '\t' || c == '\r');
    }

    /**
     * The file's lines, split at {@code \n}; a {@code \r} right before it belongs to the line
     * ending, and a byte-order mark that starts the file is dropped.
     */
    private static List<String> lines(Path file)
    {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (file.getFileName().toString().endsWith(".gz")) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    bytes = in.readAllBytes();
                }
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            // the byte-order mark a file may start with marks the encoding; it is no part of the text
            text = text.startsWith("\uFEFF") ? text.substring(1) : text;
            List<String> lines = new ArrayList<>();
            for (String line : text.split("\n", -1)) {
                lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            }
            return lines;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
