package org.eventetl.geo;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The outlines the maps draw, decoded from world-atlas' TopoJSON, against facts of geography
 * known independently of it: where countries are, which places lie in which, Lesotho as a hole
 * in South Africa; and the cities the maps mark, against the outlines.
 */
final class TestWorldAtlas
{
    private static final WorldAtlas ATLAS = WorldAtlas.load();

    @Test
    void containsTheCapitalAndNotTheSea()
    {
        assertThat(contains(outline("GH"), -0.1870, 5.6037)).as("Accra in Ghana").isTrue();
        assertThat(contains(outline("GH"), -1.0, 3.0)).as("the Gulf of Guinea, south of Ghana's coast").isFalse();
        assertThat(contains(outline("ZA"), 28.2293, -25.7479)).as("Pretoria in South Africa").isTrue();
        assertThat(contains(outline("ZA"), 16.0, -34.5)).as("the Atlantic, west of the Cape").isFalse();
        assertThat(contains(outline("ZA"), 33.0, -32.0)).as("the Indian Ocean, east of Durban").isFalse();
    }

    @Test
    void placesCountriesWhereTheyAre()
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
    void knowsWhichPlaceIsInWhichCountry()
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
    void placesEveryCityInItsCountry()
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

    @Test
    void keepsOnlyThePartsThatReachIntoABox()
    {
        Outline southAfrica = outline("ZA");
        Outline mainland = southAfrica.within(southAfrica.mainBounds().orElseThrow());

        assertThat(mainland.polygons()).hasSizeLessThan(southAfrica.polygons().size()).isNotEmpty();
        assertThat(mainland.id()).isEqualTo("710");
        assertThat(contains(mainland, 28.2293, -25.7479)).isTrue();
        assertThat(southAfrica.within(new BoundingBox(-10, 50, -5, 55)).polygons()).isEmpty();
    }

    @Test
    void knowsItsVersionAndEveryOutlineById()
    {
        assertThat(ATLAS.version()).matches("[0-9]+\\.[0-9]+\\.[0-9]+");
        assertThat(ATLAS.byId("288")).map(Outline::name).contains("Ghana");
        assertThat(ATLAS.byId("999")).isEmpty();
        assertThat(ATLAS.outlines()).hasSizeGreaterThan(200);
    }

    @Test
    void measuresAPolygonsExteriorRing()
    {
        // a closed ring, longitude and latitude pairs, with a hole that the area ignores
        Polygon square = new Polygon(List.of(new double[] {0, 0, 2, 0, 2, 1, 0, 1, 0, 0}, new double[] {0.5, 0.5, 0.6, 0.5, 0.6, 0.6, 0.5, 0.5}));

        assertThat(square.area()).isEqualTo(2.0);
        assertThat(square.bounds()).isEqualTo(new BoundingBox(0, 0, 2, 1));
        assertThatThrownBy(() -> new Polygon(List.of())).isInstanceOf(IllegalArgumentException.class);
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
