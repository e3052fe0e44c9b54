package org.eventetl.geo;

import static java.util.Objects.requireNonNull;

/**
 * A country as ISO 3166-1 names it.
 *
 * @param code alpha-2, as the events' {@code country}
 * @param numeric the three-digit code that Natural Earth (and so world-atlas) uses as a feature's id
 */
public record Country(String code, String numeric, String name)
{
    public Country
    {
        requireNonNull(code, "code is null");
        requireNonNull(numeric, "numeric is null");
        requireNonNull(name, "name is null");
    }
}
