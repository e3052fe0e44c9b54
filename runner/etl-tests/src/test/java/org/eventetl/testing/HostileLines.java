package org.eventetl.testing;

import java.util.List;

/**
 * One line of each kind the source contract names (docs/source-contract.md) that is not an ordinary
 * event: fields outside their domain (events whose field is NULL) and lines that are rejects on every
 * engine. The end-to-end suites put them among good lines.
 */
public final class HostileLines
{
    /** Low enough that the 10,000-byte line of {@link #LINES} is too long (load.max-line-bytes). */
    public static final long MAX_LINE_BYTES = 4096;

    private static final String EVENT = "{\"meta\":{\"session_long\":\"%s\",\"date\":\"%s\"},\"params\":{\"cc\":\"gh\",\"long\":%s,\"lat\":%s}}";

    /** Events named by what is wrong with them, then the rejects, then a good line after the line too long. */
    public static final List<String> LINES = List.of(
            // outside their domain: NULL, as a field of the wrong type is
            EVENT.formatted("lon-1e400", "2017-08-09T10:00:00Z", "1e400", "2.5"),
            EVENT.formatted("lat-95", "2017-08-09T10:00:00Z", "1.5", "95"),
            EVENT.formatted("lon-181", "2017-08-09T10:00:00Z", "-181", "2.5"),
            EVENT.formatted("edges", "2017-08-09T10:00:00Z", "-180", "90"),
            EVENT.formatted("offset-25", "2017-08-09T10:00:00+25:00", "1", "1"),
            EVENT.formatted("offset-2359", "2017-08-09T10:00:00+23:59", "1", "1"),
            EVENT.formatted("offset-1401", "2017-08-09T10:00:00-14:01", "1", "1"),
            EVENT.formatted("offset-1400", "2017-08-09T10:00:00+14:00", "1", "1"),
            EVENT.formatted("year-1969", "1969-12-31T23:59:59Z", "1", "1"),
            EVENT.formatted("year-2101", "2101-01-01T00:00:00Z", "1", "1"),
            EVENT.formatted("year-2100", "2100-12-31T23:59:59Z", "1", "1"),
            EVENT.formatted("no-offset", "2017-08-09T10:00:00", "1", "1"),
            // no JSON for Trino's parser either: rejects
            "{\"meta\":{\"session_long\":\"nan\"},\"params\":{\"long\":NaN,\"lat\":Infinity}}",
            "{\"meta\":{\"session_long\":\"comma\",},\"params\":{}}",
            "{\"meta\":{\"session_long\":\"two\"}} {\"meta\":{}}",
            "\u00a0",
            "[1]",
            // what a Hive text table makes of a line unless told otherwise: cut at the byte 01 (an
            // event, or a blank line that vanishes), or NULL for \N (a line that vanishes)
            "{\"meta\":{\"session_long\":\"ctrl-a\"}}\u0001x",
            "\u0001[1]",
            "\\N",
            "\uFEFF{\"meta\":{\"session_long\":\"bom-inside\"}}",
            // too long for MAX_LINE_BYTES: a reject, its length recorded
            "{\"meta\":{\"session_long\":\"" + "x".repeat(10_000) + "\"}}",
            "{\"meta\":{\"session_long\":\"after-long\"},\"params\":{\"cc\":\"za\"}}");

    private HostileLines() {}
}
