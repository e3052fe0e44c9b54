package org.eventetl.geo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The cities of {@code cities.csv}, in file order: the one list the report and the sample generator share. */
public final class Cities
{
    private static final List<City> ALL = load();

    private Cities() {}

    public static List<City> all()
    {
        return ALL;
    }

    public static List<City> of(String country)
    {
        return ALL.stream().filter(city -> city.country().equals(country)).toList();
    }

    private static List<City> load()
    {
        List<City> cities = new ArrayList<>();
        for (Map<String, String> row : Csv.read("cities.csv")) {
            cities.add(new City(row.get("country"), row.get("name"),
                    Double.parseDouble(row.get("latitude")), Double.parseDouble(row.get("longitude")),
                    Double.parseDouble(row.get("sample_weight"))));
        }
        return List.copyOf(cities);
    }
}
