package org.eventetl.sample;

import java.util.List;

import org.eventetl.geo.Cities;

import static java.util.Objects.requireNonNull;

/** A place events come from; the weight is its share of its country's devices. */
record City(String country, String name, double latitude, double longitude, double weight)
{
    /** The main cities of the seed's two countries, Ghana and South Africa: cities.csv, which the report marks too. */
    static final List<City> ALL = Cities.all().stream()
            .map(city -> new City(city.country(), city.name(), city.latitude(), city.longitude(), city.sampleWeight()))
            .toList();

    City
    {
        requireNonNull(country, "country is null");
        requireNonNull(name, "name is null");
    }
}
