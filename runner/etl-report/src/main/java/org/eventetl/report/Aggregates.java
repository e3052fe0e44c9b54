package org.eventetl.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/** What the report reads of a partition: the small datasets the load made for it, never the events. */
public record Aggregates(Map<String, Long> dau, List<HourlyActivity> hourly, List<GridCell> cells, List<Unlocated> unlocated)
{
    public Aggregates
    {
        dau = new TreeMap<>(requireNonNull(dau, "dau is null"));
        hourly = List.copyOf(requireNonNull(hourly, "hourly is null"));
        cells = List.copyOf(requireNonNull(cells, "cells is null"));
        unlocated = List.copyOf(requireNonNull(unlocated, "unlocated is null"));
    }

    /** Every event of the partition lands in exactly one hour row (the hour NULL included). */
    public long events(Optional<String> country)
    {
        return hourly.stream().filter(row -> row.country().equals(country)).mapToLong(HourlyActivity::events).sum();
    }

    public long totalEvents()
    {
        return hourly.stream().mapToLong(HourlyActivity::events).sum();
    }

    public long unlocatedEvents(Optional<String> country)
    {
        return unlocated.stream().filter(row -> row.country().equals(country)).mapToLong(Unlocated::events).sum();
    }

    public List<GridCell> cells(String country)
    {
        return cells.stream().filter(cell -> cell.country().equals(Optional.of(country))).toList();
    }
}
