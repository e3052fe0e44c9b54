package org.eventetl.report;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A located row of {@code location_grid}: the events and distinct devices of a country in a cell.
 *
 * @param latitude the cell's centre
 * @param longitude the cell's centre
 * @param size the cell's side in degrees
 */
public record GridCell(Optional<String> country, double latitude, double longitude, double size, long events, long devices)
{
    public GridCell
    {
        requireNonNull(country, "country is null");
    }
}
