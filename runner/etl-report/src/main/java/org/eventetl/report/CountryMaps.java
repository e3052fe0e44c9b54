package org.eventetl.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.eventetl.geo.BoundingBox;
import org.eventetl.geo.Cities;
import org.eventetl.geo.City;
import org.eventetl.geo.Countries;
import org.eventetl.geo.Country;
import org.eventetl.geo.Outline;
import org.eventetl.geo.WorldAtlas;

import static java.util.Objects.requireNonNull;

/**
 * Decides which countries get a map and what each map frames. A country gets a map when it is in
 * {@code cities.csv} (a market: a day without its events must show that) or has events.
 */
public final class CountryMaps
{
    /** The margin around a country on its map, so that its neighbours and coast show. */
    private static final double MARGIN = 0.08;
    private static final double MINIMUM_MARGIN_DEGREES = 0.3;
    /** The frame of a country with neither outline, cities nor located events: it gets no map, but a view all the same. */
    private static final double EMPTY_VIEW_DEGREES = 2;

    private final WorldAtlas atlas;

    public CountryMaps(WorldAtlas atlas)
    {
        this.atlas = requireNonNull(atlas, "atlas is null");
    }

    /** The countries the report covers, by code. */
    public static List<String> countries(Aggregates aggregates)
    {
        TreeSet<String> codes = new TreeSet<>();
        Cities.all().forEach(city -> codes.add(city.country()));
        codes.addAll(aggregates.dau().keySet());
        aggregates.hourly().forEach(row -> row.country().ifPresent(codes::add));
        aggregates.cells().forEach(cell -> cell.country().ifPresent(codes::add));
        return List.copyOf(codes);
    }

    public List<CountryMap> build(Aggregates aggregates)
    {
        List<CountryMap> maps = new ArrayList<>();
        for (String code : countries(aggregates)) {
            maps.add(build(code, aggregates));
        }
        return List.copyOf(maps);
    }

    private CountryMap build(String code, Aggregates aggregates)
    {
        Optional<Country> country = Countries.byCode(code);
        Optional<Outline> outline = country.flatMap(known -> atlas.byId(known.numeric()));
        List<City> cities = Cities.of(code);
        List<GridCell> cells = aggregates.cells(code);

        // frame the country and every cell, whole: a view of the outline alone cut off the cells
        // beyond Ghana's coast. A cell far away (bad coordinates) widens the view: it is data too.
        Optional<BoundingBox> frame = outline.flatMap(Outline::mainBounds);
        for (City city : cities) {
            frame = Optional.of(including(frame, BoundingBox.around(city.longitude(), city.latitude())));
        }
        for (GridCell cell : cells) {
            double half = cell.size() / 2;
            frame = Optional.of(including(frame, new BoundingBox(cell.longitude() - half, cell.latitude() - half, cell.longitude() + half, cell.latitude() + half)));
        }
        BoundingBox view = frame.map(box -> box.padded(MARGIN, MINIMUM_MARGIN_DEGREES))
                .orElse(new BoundingBox(-EMPTY_VIEW_DEGREES, -EMPTY_VIEW_DEGREES, EMPTY_VIEW_DEGREES, EMPTY_VIEW_DEGREES));

        List<Outline> neighbours = new ArrayList<>();
        for (Outline other : atlas.outlines()) {
            if (outline.isPresent() && other.id().equals(outline.get().id()) && other.name().equals(outline.get().name())) {
                continue;
            }
            Outline visible = other.within(view);
            if (!visible.polygons().isEmpty()) {
                neighbours.add(visible);
            }
        }
        Optional<String> key = Optional.of(code);
        return new CountryMap(code, country.map(Country::name).orElse(code), outline, neighbours, view, cells, cities,
                aggregates.events(key), aggregates.dau().getOrDefault(code, 0L), aggregates.unlocatedEvents(key));
    }

    private static BoundingBox including(Optional<BoundingBox> frame, BoundingBox box)
    {
        return frame.map(box::union).orElse(box);
    }
}
