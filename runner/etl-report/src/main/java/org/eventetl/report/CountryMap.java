package org.eventetl.report;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.eventetl.geo.BoundingBox;
import org.eventetl.geo.City;
import org.eventetl.geo.Outline;

import static java.util.Objects.requireNonNull;

/**
 * One country's map: its outline and the parts of its neighbours within the view, the located
 * events as grid cells, and its main cities.
 *
 * @param outline empty when Natural Earth has no shape for the code
 * @param view what the map frames: the country's main parts, its cities and its cells, with a margin
 * @param events all the country's events, located or not
 * @param unlocatedEvents the country's events without a usable location
 */
public record CountryMap(String code, String name, Optional<Outline> outline, List<Outline> neighbours, BoundingBox view,
        List<GridCell> cells, List<City> cities, long events, long devices, long unlocatedEvents)
{
    public CountryMap
    {
        requireNonNull(code, "code is null");
        requireNonNull(name, "name is null");
        requireNonNull(outline, "outline is null");
        neighbours = List.copyOf(requireNonNull(neighbours, "neighbours is null"));
        requireNonNull(view, "view is null");
        cells = List.copyOf(requireNonNull(cells, "cells is null"));
        cities = List.copyOf(requireNonNull(cities, "cities is null"));
    }

    /** Whether there is anything to draw: an outline, located events or cities; else the page only says so. */
    public boolean drawable()
    {
        return outline.isPresent() || !cells.isEmpty() || !cities.isEmpty();
    }

    public long locatedEvents()
    {
        return events - unlocatedEvents;
    }

    public long maxCellEvents()
    {
        return cells.stream().mapToLong(GridCell::events).max().orElse(0);
    }

    /** The cell size the grid step wrote (every row carries it), 0.1 when there are no cells. */
    public double cellSize()
    {
        return cells.isEmpty() ? 0.1 : cells.get(0).size();
    }

    /** What the page says under the map, when something is missing: the country named whole. */
    public Optional<String> note()
    {
        return note(UnaryOperator.identity());
    }

    /**
     * What the page or the image says under the map, when something is missing, the country's
     * name and code each as {@code shown} shows them (an image cuts a long one to a label).
     */
    public Optional<String> note(UnaryOperator<String> shown)
    {
        String name = shown.apply(this.name);
        String code = shown.apply(this.code);
        if (events == 0) {
            return Optional.of("No events from " + name + " (" + code + ") in this partition.");
        }
        if (cells.isEmpty() && outline.isEmpty() && cities.isEmpty()) {
            return Optional.of(String.format("None of the %,d events from %s had a location, and Natural Earth has no outline for %s: no map.", events, name, code));
        }
        if (cells.isEmpty()) {
            return Optional.of(String.format("None of the %,d events from %s had a location.", events, name));
        }
        if (outline.isEmpty()) {
            return Optional.of("Natural Earth has no outline for " + code + "; the map shows the located events only.");
        }
        return Optional.empty();
    }
}
