package org.eventetl.sample;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** A place events come from; the weight is its share of its country's devices. */
record City(String country, String name, double latitude, double longitude, double weight)
{
    /** The main cities of the seed's two countries, Ghana and South Africa. */
    static final List<City> ALL = List.of(
            new City("GH", "Accra", 5.6037, -0.1870, 0.45),
            new City("GH", "Kumasi", 6.6885, -1.6244, 0.25),
            new City("GH", "Tamale", 9.4034, -0.8424, 0.10),
            new City("GH", "Sekondi-Takoradi", 4.9340, -1.7137, 0.10),
            new City("GH", "Cape Coast", 5.1054, -1.2466, 0.10),
            new City("ZA", "Johannesburg", -26.2041, 28.0473, 0.35),
            new City("ZA", "Cape Town", -33.9249, 18.4241, 0.22),
            new City("ZA", "Durban", -29.8587, 31.0218, 0.16),
            new City("ZA", "Pretoria", -25.7479, 28.2293, 0.12),
            new City("ZA", "Gqeberha", -33.9608, 25.6022, 0.08),
            new City("ZA", "Bloemfontein", -29.0852, 26.1596, 0.07));

    City
    {
        requireNonNull(country, "country is null");
        requireNonNull(name, "name is null");
    }
}
