package org.eventetl.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The oracle's own rules, checked by hand: the oracle is only as good as these. */
final class TestEventDomain
{
    @Test
    void testLineEnds()
    {
        // LF, CR and CRLF each end a line; CRLF leaves an empty line between; a last line needs no end
        assertThat(lines("a\nb\rc\r\nd")).containsExactly("a", "b", "c", "", "d");
        assertThat(lines("a\n")).containsExactly("a");
        assertThat(lines("")).isEmpty();
        // a byte-order mark starts the file's first line only when it is the file's first bytes
        assertThat(lines("\uFEFFa\n\uFEFFb")).containsExactly("a", "\uFEFFb");
    }

    @Test
    void testUtf8()
    {
        assertThat(EventDomain.utf8("é".getBytes(StandardCharsets.UTF_8))).contains("é");
        assertThat(EventDomain.utf8(new byte[] {'a', (byte) 0xFF})).isEmpty();
        // an overlong slash and a surrogate are not UTF-8 either
        assertThat(EventDomain.utf8(new byte[] {(byte) 0xC0, (byte) 0xAF})).isEmpty();
        assertThat(EventDomain.utf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isEmpty();
        assertThat(EventDomain.withQuestionMarks(new byte[] {'a', (byte) 0xFF, 'b', (byte) 0xC0, (byte) 0xAF})).isEqualTo("a?b??");
    }

    @Test
    void testBlank()
    {
        assertThat(EventDomain.isBlank("")).isTrue();
        assertThat(EventDomain.isBlank(" \t\u2003\u000B")).isTrue();
        // the no-break space is not white space to Java, nor to Trino's trim
        assertThat(EventDomain.isBlank("\u00A0")).isFalse();
        assertThat(EventDomain.isBlank(" x ")).isFalse();
    }

    @Test
    void testCoordinate()
    {
        assertThat(EventDomain.coordinate(180.0, 180)).isEqualTo(180.0);
        assertThat(EventDomain.coordinate(-90.0, 90)).isEqualTo(-90.0);
        assertThat(EventDomain.coordinate(-180.5, 180)).isNull();
        assertThat(EventDomain.coordinate(95.0, 90)).isNull();
        assertThat(EventDomain.coordinate(Double.POSITIVE_INFINITY, 180)).isNull();
        assertThat(EventDomain.coordinate(Double.NaN, 180)).isNull();
        assertThat(EventDomain.coordinate(null, 180)).isNull();
    }

    @Test
    void testUtcTime()
    {
        assertThat(EventDomain.utcTime("2017-08-09T10:15:30Z")).isEqualTo(Instant.parse("2017-08-09T10:15:30Z"));
        assertThat(EventDomain.utcTime("2017-08-09T10:15:30.250+02:00")).isEqualTo(Instant.parse("2017-08-09T08:15:30.250Z"));
        assertThat(EventDomain.utcTime("2017-08-09T10:00:00+14:00")).isEqualTo(Instant.parse("2017-08-08T20:00:00Z"));
        assertThat(EventDomain.utcTime("2017-08-09T10:00:00-14:00")).isEqualTo(Instant.parse("2017-08-10T00:00:00Z"));
        assertThat(EventDomain.utcTime("2017-08-09T10:00:00-0530")).isEqualTo(Instant.parse("2017-08-09T15:30:00Z"));
        assertThat(EventDomain.utcTime("2017-08-09T10:00:00+05")).isEqualTo(Instant.parse("2017-08-09T05:00:00Z"));
        // no offset: UTC
        assertThat(EventDomain.utcTime("2017-08-09T10:00:00")).isEqualTo(Instant.parse("2017-08-09T10:00:00Z"));
        // impossible offsets, and years outside 1970-2100 in UTC
        assertThat(EventDomain.utcTime("2017-08-09T10:00:00+14:01")).isNull();
        assertThat(EventDomain.utcTime("2017-08-09T10:00:00+23:59")).isNull();
        assertThat(EventDomain.utcTime("2017-08-09T10:00:00+24:00")).isNull();
        assertThat(EventDomain.utcTime("2017-08-09T10:00:00+25:00")).isNull();
        assertThat(EventDomain.utcTime("1969-12-31T23:59:59Z")).isNull();
        assertThat(EventDomain.utcTime("1970-01-01T00:30:00+01:00")).isNull();
        assertThat(EventDomain.utcTime("2100-12-31T23:59:59Z")).isEqualTo(Instant.parse("2100-12-31T23:59:59Z"));
        assertThat(EventDomain.utcTime("2101-01-01T00:00:00Z")).isNull();
        assertThat(EventDomain.utcTime("yesterday")).isNull();
        assertThat(EventDomain.utcTime("2017-02-30T10:00:00Z")).isNull();
        assertThat(EventDomain.utcTime(null)).isNull();
    }

    private static List<String> lines(String text)
    {
        return EventDomain.lines(text.getBytes(StandardCharsets.UTF_8)).stream().map(bytes -> new String(bytes, StandardCharsets.UTF_8)).toList();
    }
}
