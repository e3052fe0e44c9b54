package org.eventetl.model;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A run's name, {@code yyyymmdd_hhmmss_<8 hex>} (UTC start time, then random): it sorts by start,
 * and it is a valid path part, S3 key part and unquoted table name on every engine, because staging
 * prefixes and staged tables carry it.
 */
public record RunId(String value)
{
    private static final Pattern FORMAT = Pattern.compile("[0-9]{8}_[0-9]{6}_[0-9a-f]{8}");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The id in SQL rendered for no run ({@code etl render}): the same on every render, so that two
     * renders differ only where the SQL does, and no real run can have it (no day is 00000000).
     */
    public static final RunId RENDERED = new RunId("00000000_000000_00000000");

    public RunId
    {
        requireNonNull(value, "value is null");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a run id: " + value);
        }
    }

    public static RunId startingAt(Instant start)
    {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return new RunId(TIME.format(start) + "_" + HexFormat.of().formatHex(random));
    }

    /** When the run started, to the second (its name's time). */
    public Instant startedAt()
    {
        return TIME.parse(value.substring(0, 15), Instant::from);
    }

    public static boolean isRunId(String text)
    {
        return FORMAT.matcher(text).matches();
    }

    @Override
    public String toString()
    {
        return value;
    }
}
