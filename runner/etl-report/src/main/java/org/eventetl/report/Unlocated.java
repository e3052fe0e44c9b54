package org.eventetl.report;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The row of {@code location_grid} without a cell: a country's events that had no usable location. */
public record Unlocated(Optional<String> country, long events, long devices)
{
    public Unlocated
    {
        requireNonNull(country, "country is null");
    }
}
