package org.eventetl.report;

import java.time.LocalDateTime;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A row of {@code hourly_activity}: the events and distinct devices of a country in an hour (UTC).
 *
 * @param country empty for events without a country
 * @param hour the start of the hour; empty for events without a time
 */
public record HourlyActivity(Optional<String> country, Optional<LocalDateTime> hour, long events, long devices)
{
    public HourlyActivity
    {
        requireNonNull(country, "country is null");
        requireNonNull(hour, "hour is null");
    }
}
