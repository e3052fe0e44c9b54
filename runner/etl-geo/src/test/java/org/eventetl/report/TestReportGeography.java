package org.eventetl.report;

import java.util.List;

import org.eventetl.geo.BoundingBox;
import org.eventetl.geo.Cities;
import org.eventetl.geo.City;
import org.eventetl.geo.Countries;
import org.eventetl.geo.Country;
import org.eventetl.geo.Outline;
import org.eventetl.geo.WorldAtlas;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The outlines the maps draw, decoded from world-atlas' TopoJSON, against facts of geography
 * known independently of it: where countries are, which places lie in which, Lesotho as a hole
 * in South Africa; and the cities the maps mark, against the outlines.
 */
final class TestReportGeography
{
    private static final WorldAtlas ATLAS = WorldAtlas.load();

    @Test
    void testCountryCodes()
    {
        assertThat(Countries.byCode("GH")).map(Country::numeric).contains("288");
        assertThat(Countries.byCode("ZA")).map(Country::numeric).contains("710");
        assertThat(Countries.byCode("CI")).map(Country::name).contains("Côte d'Ivoire");
        assertThat(Countries.byCode("XX")).isEmpty();
        for (City city : Cities.all()) {
            assertThat(Countries.byCode(city.country())).as(city.name()).isPresent();
        }
    }

    @Test
    void testWhereCountriesAre()
    {
        // Ghana spans about 3.26°W to 1.19°E and 4.74°N to 11.17°N
        BoundingBox ghana = outline("GH").mainBounds().orElseThrow();
        assertThat(ghana.west()).isCloseTo(-3.25, within(0.15));
        assertThat(ghana.east()).isCloseTo(1.19, within(0.15));
        assertThat(ghana.south()).isCloseTo(4.74, within(0.15));
        assertThat(ghana.north()).isCloseTo(11.17, within(0.15));

        // South Africa's mainland ends near 34.8°S; its Prince Edward Islands, at 46.9°S, are not framed
        Outline southAfrica = outline("ZA");
        assertThat(southAfrica.mainBounds().orElseThrow().south()).isCloseTo(-34.8, within(0.15));
        assertThat(southAfrica.polygons().stream().mapToDouble(polygon -> polygon.bounds().south()).min().orElseThrow()).isLessThan(-46);
    }

    @Test
    void testWhichPlaceIsInWhichCountry()
    {
        assertThat(contains(outline("GH"), -1.6244, 6.6885)).as("Kumasi in Ghana").isTrue();
        assertThat(contains(outline("GH"), 1.2255, 6.1319)).as("Lomé in Ghana").isFalse();
        assertThat(contains(outline("TG"), 1.2255, 6.1319)).as("Lomé in Togo").isTrue();
        assertThat(contains(outline("CI"), -5.2767, 6.8276)).as("Yamoussoukro in Côte d'Ivoire").isTrue();
        assertThat(contains(outline("BF"), -1.5197, 12.3714)).as("Ouagadougou in Burkina Faso").isTrue();
        assertThat(contains(outline("ZA"), 28.0473, -26.2041)).as("Johannesburg in South Africa").isTrue();
        // Lesotho is a hole in South Africa, not a part of it
        assertThat(contains(outline("LS"), 27.4833, -29.3167)).as("Maseru in Lesotho").isTrue();
        assertThat(contains(outline("ZA"), 28.2, -29.6)).as("the middle of Lesotho in South Africa").isFalse();
        assertThat(contains(outline("NA"), 17.0658, -22.5609)).as("Windhoek in Namibia").isTrue();
    }

    @Test
    void testCitiesLieInTheirCountries()
    {
        for (City city : Cities.all()) {
            Outline outline = outline(city.country());
            // coastal cities may sit a little off a coast drawn at 1:50m
            boolean near = contains(outline, city.longitude(), city.latitude())
                    || List.of(-0.1, 0.1).stream().anyMatch(d -> contains(outline, city.longitude() + d, city.latitude())
                            || contains(outline, city.longitude(), city.latitude() + d));
            assertThat(near).as("%s in %s", city.name(), city.country()).isTrue();
        }
    }

    private static Outline outline(String code)
    {
        return ATLAS.byId(Countries.byCode(code).orElseThrow().numeric()).orElseThrow(() -> new AssertionError("no outline for " + code));
    }

    private static boolean contains(Outline outline, double longitude, double latitude)
    {
        return outline.path().contains(longitude, latitude);
    }
}
