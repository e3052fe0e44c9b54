package org.eventetl.geo;

import static java.util.Objects.requireNonNull;

/**
 * A main city of a market, from {@code cities.csv}: the report marks it on its country's map and
 * the sample generator places devices around it.
 *
 * @param country ISO 3166-1 alpha-2, as the events' {@code country}
 * @param sampleWeight the city's share of its country's devices in generated data
 */
public record City(String country, String name, double latitude, double longitude, double sampleWeight)
{
    public City
    {
        requireNonNull(country, "country is null");
        requireNonNull(name, "name is null");
        if (!(latitude >= -90 && latitude <= 90 && longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException(name + ": not a coordinate: " + latitude + ", " + longitude);
        }
    }
}
