package org.eventetl.geo;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** ISO 3166-1 countries by alpha-2 code, from {@code countries.csv} (derived from Debian's iso-codes). */
public final class Countries
{
    private static final Map<String, Country> BY_CODE = load();

    private Countries() {}

    public static Optional<Country> byCode(String code)
    {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    private static Map<String, Country> load()
    {
        Map<String, Country> countries = new HashMap<>();
        for (Map<String, String> row : Csv.read("countries.csv")) {
            countries.put(row.get("alpha2"), new Country(row.get("alpha2"), row.get("numeric"), row.get("name")));
        }
        return Map.copyOf(countries);
    }
}
