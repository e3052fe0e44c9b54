package org.eventetl.testing;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The source contract's rules for one line and one field, as plain Java for the oracle, written
 * from docs/source-contract.md and sharing no code with the runner or its SQL.
 */
public final class EventDomain
{
    /** The first and the last year of an event time; a time outside them is a broken clock. */
    public static final int FIRST_YEAR = 1970;
    public static final int LAST_YEAR = 2100;
    /** The widest UTC offset a time may have, 14:00 either way (the widest in use; Trino holds no wider). */
    public static final int MAX_OFFSET_MINUTES = 14 * 60;

    private static final Pattern TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?)(Z|([+-])(\\d{2})(?::?(\\d{2}))?)?");

    private EventDomain() {}

    /**
     * The lines of a file's bytes as every engine reads them: LF, CR and CRLF each end a line, and
     * line numbers count every CR and every LF (so a CRLF file's lines are numbered 1, 3, 5, …, with
     * blank lines between); a last line without an end is a line; a byte-order mark that starts the
     * file is dropped.
     */
    public static List<byte[]> lines(byte[] bytes)
    {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        List<byte[]> lines = new ArrayList<>();
        int lineStart = start;
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                lines.add(Arrays.copyOfRange(bytes, lineStart, i));
                lineStart = i + 1;
            }
        }
        if (lineStart < bytes.length) {
            lines.add(Arrays.copyOfRange(bytes, lineStart, bytes.length));
        }
        return lines;
    }

    /** The text of UTF-8 bytes, or empty when they are not UTF-8. */
    public static Optional<String> utf8(byte[] bytes)
    {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        }
        catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** Bytes that are not UTF-8 as text, each byte of a malformed sequence shown as {@code ?}. */
    public static String withQuestionMarks(byte[] bytes)
    {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length * 2 + 2);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isUnderflow()) {
                decoder.flush(out);
                break;
            }
            for (int i = 0; i < result.length(); i++) {
                out.put('?');
            }
            in.position(in.position() + result.length());
        }
        out.flip();
        return out.toString();
    }

    /** Blank: nothing but white space in Java's sense (a tab, a line break, an em space; not the no-break space). */
    public static boolean isBlank(String line)
    {
        return line.codePoints().allMatch(Character::isWhitespace);
    }

    /** A coordinate: a finite JSON number within [-bound, bound]; anything else is no coordinate. */
    public static Double coordinate(Double value, double bound)
    {
        return value != null && Double.isFinite(value) && Math.abs(value) <= bound ? value : null;
    }

    /**
     * An ISO-8601 time ({@code yyyy-mm-ddThh:mm[:ss[.fraction]]}) as UTC: {@code Z}, an offset of
     * at most 14:00 either way, or none (read as UTC); its UTC year from {@value #FIRST_YEAR} to {@value #LAST_YEAR}.
     * Anything else is no time.
     */
    public static Instant utcTime(String text)
    {
        if (text == null) {
            return null;
        }
        Matcher matcher = TIME.matcher(text);
        if (!matcher.matches()) {
            return null;
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(matcher.group(1), DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        }
        catch (DateTimeParseException e) {
            return null;
        }
        long offsetSeconds = 0;
        if (matcher.group(3) != null) {
            int hours = Integer.parseInt(matcher.group(4));
            int minutes = matcher.group(5) == null ? 0 : Integer.parseInt(matcher.group(5));
            if (minutes > 59 || hours * 60 + minutes > MAX_OFFSET_MINUTES) {
                return null;
            }
            offsetSeconds = (matcher.group(3).equals("-") ? -1 : 1) * (hours * 3600L + minutes * 60L);
        }
        Instant utc = local.toInstant(ZoneOffset.UTC).minusSeconds(offsetSeconds);
        int year = LocalDateTime.ofInstant(utc, ZoneOffset.UTC).getYear();
        return year >= FIRST_YEAR && year <= LAST_YEAR ? utc : null;
    }
}
