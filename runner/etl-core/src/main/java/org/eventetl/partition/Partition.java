package org.eventetl.partition;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One day of one brand/tracker/channel: the unit that every step loads, clears and records.
 * <p>
 * Values reach SQL and storage paths only through this record, so its constructor is the one
 * place that decides what a safe value is: names match {@code [a-z0-9_-]{1,64}} and the day is a
 * real calendar date. Nothing can be quoted out of a literal or walk up a path with {@code ..}.
 */
public record Partition(String brand, String tracker, String channel, LocalDate day)
{
    public static final List<String> KEYS = List.of("brand", "tracker", "channel", "year", "month", "day");
    public static final String EXAMPLE = "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09";

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern YEAR = Pattern.compile("[0-9]{4}");
    private static final Pattern MONTH_OR_DAY = Pattern.compile("[0-9]{2}");

    public Partition
    {
        requireName("brand", brand);
        requireName("tracker", tracker);
        requireName("channel", channel);
        requireNonNull(day, "day is null");
        if (day.getYear() < 1000 || day.getYear() > 9999) {
            throw new PartitionException("year must be from 1000 to 9999, got " + day.getYear());
        }
    }

    /**
     * Parses {@code brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09}: every key
     * exactly once, in any order, nothing else.
     */
    public static Partition parse(String text)
    {
        if (text == null || text.isBlank()) {
            throw new PartitionException("--partition is required, e.g. " + EXAMPLE);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : text.strip().split("/", -1)) {
            int equals = part.indexOf('=');
            if (equals <= 0) {
                throw new PartitionException("partition part '" + part + "' is not key=value; expected " + EXAMPLE);
            }
            String key = part.substring(0, equals);
            String value = part.substring(equals + 1);
            if (!KEYS.contains(key)) {
                throw new PartitionException("unknown partition key '" + key + "'; the keys are " + String.join(", ", KEYS));
            }
            if (values.put(key, value) != null) {
                throw new PartitionException("partition key '" + key + "' is given twice");
            }
        }
        for (String key : KEYS) {
            if (!values.containsKey(key)) {
                throw new PartitionException("partition lacks '" + key + "'; expected " + EXAMPLE);
            }
        }
        return new Partition(values.get("brand"), values.get("tracker"), values.get("channel"),
                date(values.get("year"), values.get("month"), values.get("day")));
    }

    /** The same brand/tracker/channel on another day (backfills walk a range this way). */
    public Partition withDay(LocalDate otherDay)
    {
        return new Partition(brand, tracker, channel, otherDay);
    }

    public String year()
    {
        return String.format("%04d", day.getYear());
    }

    public String month()
    {
        return String.format("%02d", day.getMonthValue());
    }

    public String dayOfMonth()
    {
        return String.format("%02d", day.getDayOfMonth());
    }

    /** {@code brand=olx/…/day=09}: the hive-style path of every output dataset. */
    public String hivePath()
    {
        return channelPath() + "/year=" + year() + "/month=" + month() + "/day=" + dayOfMonth();
    }

    /** {@code brand=olx/tracker=hydra/channel=android}: the hive-style path of this day's channel, where its history and leases are kept. */
    public String channelPath()
    {
        return trackerPath() + "/channel=" + channel;
    }

    /** {@code brand=olx/tracker=hydra}: the hive-style path of this day's tracker. */
    public String trackerPath()
    {
        return "brand=" + brand + "/tracker=" + tracker;
    }

    /** {@code olx/hydra/android/2017/08/09}: the values-only path of the raw source. */
    public String sourcePath()
    {
        return sourceChannelPath() + "/" + year() + "/" + month() + "/" + dayOfMonth();
    }

    /** {@code olx/hydra/android}: the values-only path of this day's channel in the raw source, which holds its years. */
    public String sourceChannelPath()
    {
        return brand + "/" + tracker + "/" + channel;
    }

    @Override
    public String toString()
    {
        return hivePath();
    }

    private static void requireName(String key, String value)
    {
        if (value == null) {
            throw new PartitionException(key + " is missing");
        }
        if (!NAME.matcher(value).matches()) {
            throw new PartitionException(key + " '" + printable(value) + "' is not allowed: use 1 to 64 of a-z, 0-9, _ and -");
        }
    }

    private static LocalDate date(String year, String month, String day)
    {
        if (!YEAR.matcher(year).matches()) {
            throw new PartitionException("year '" + printable(year) + "' must be four digits, e.g. 2017");
        }
        if (!MONTH_OR_DAY.matcher(month).matches()) {
            throw new PartitionException("month '" + printable(month) + "' must be two digits, e.g. 08");
        }
        if (!MONTH_OR_DAY.matcher(day).matches()) {
            throw new PartitionException("day '" + printable(day) + "' must be two digits, e.g. 09");
        }
        try {
            return LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
        }
        catch (DateTimeException e) {
            throw new PartitionException(year + "-" + month + "-" + day + " is not a calendar date");
        }
    }

    /** Keeps a hostile value from messing up the one-line message that quotes it. */
    private static String printable(String value)
    {
        String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        StringBuilder out = new StringBuilder();
        shown.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            }
            else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
