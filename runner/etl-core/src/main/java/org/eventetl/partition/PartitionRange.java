package org.eventetl.partition;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The days from {@code from} to {@code to} (both included) of one brand/tracker/channel: what
 * status, validate and backfill walk. Given either as a full partition (one day) or as
 * {@code brand=…/tracker=…/channel=…} with {@code --from} and {@code --to}.
 */
public record PartitionRange(Partition first, LocalDate to)
{
    public static final int MAX_DAYS = 3660;

    public PartitionRange
    {
        requireNonNull(first, "first is null");
        requireNonNull(to, "to is null");
        if (to.isBefore(first.day())) {
            throw new PartitionException("--to " + to + " is before --from " + first.day());
        }
        // --from and --to both count: the last day allowed is the first plus MAX_DAYS - 1
        if (first.day().plusDays(MAX_DAYS - 1).isBefore(to)) {
            throw new PartitionException("a range is at most " + MAX_DAYS + " days, got " + (ChronoUnit.DAYS.between(first.day(), to) + 1));
        }
    }

    public static PartitionRange of(Partition partition)
    {
        return new PartitionRange(partition, partition.day());
    }

    /**
     * {@code brand=olx/tracker=hydra/channel=android} with two ISO dates; the partition text may
     * also be a full partition, whose day is then ignored in favour of the dates.
     */
    public static PartitionRange parse(String partition, String from, String to)
    {
        if (from == null || to == null) {
            throw new PartitionException("give both --from and --to (yyyy-mm-dd), or a full --partition");
        }
        LocalDate first = date("--from", from);
        LocalDate last = date("--to", to);
        String text = requireNonNull(partition, "--partition brand=…/tracker=…/channel=… is required").strip();
        if (!text.contains("year=")) {
            text = text + "/year=" + first.getYear() + "/month=" + String.format("%02d", first.getMonthValue())
                    + "/day=" + String.format("%02d", first.getDayOfMonth());
        }
        return new PartitionRange(Partition.parse(text).withDay(first), last);
    }

    public List<Partition> partitions()
    {
        List<Partition> days = new ArrayList<>();
        for (LocalDate day = first.day(); !day.isAfter(to); day = day.plusDays(1)) {
            days.add(first.withDay(day));
        }
        return List.copyOf(days);
    }

    private static LocalDate date(String flag, String text)
    {
        LocalDate date;
        try {
            date = LocalDate.parse(text);
        }
        catch (DateTimeParseException e) {
            boolean shaped = text.matches("\\d{4}-\\d{2}-\\d{2}");
            throw new PartitionException(flag + " '" + text + "' is not " + (shaped ? "a calendar date" : "a date like 2017-08-01"));
        }
        // a partition's year has four digits, as its folder does
        if (date.getYear() < 1000 || date.getYear() > 9999) {
            throw new PartitionException(flag + " '" + text + "': the year must be from 1000 to 9999");
        }
        return date;
    }
}
