package org.eventetl.geo;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The cities of cities.csv, which the report marks and the sample generator places devices around. */
final class TestCities
{
    @Test
    void readsEveryCityInFileOrder()
    {
        assertThat(Cities.all()).hasSize(11);
        assertThat(Cities.all().get(0)).isEqualTo(new City("GH", "Accra", 5.6037, -0.1870, 0.45));
        assertThat(Cities.all()).extracting(City::name).containsSubsequence("Accra", "Kumasi", "Johannesburg", "Bloemfontein");
        // a name with a space or a hyphen is one field
        assertThat(Cities.all()).extracting(City::name).contains("Cape Coast", "Sekondi-Takoradi", "Cape Town");
    }

    @Test
    void listsACountrysCities()
    {
        assertThat(Cities.of("GH")).extracting(City::name).containsExactly("Accra", "Kumasi", "Tamale", "Sekondi-Takoradi", "Cape Coast");
        assertThat(Cities.of("ZA")).hasSize(6).allSatisfy(city -> assertThat(city.country()).isEqualTo("ZA"));
        assertThat(Cities.of("NG")).isEmpty();
    }

    @Test
    void sharesOutEachCountrysDevicesWhole()
    {
        // the sample generator picks a device's home city by these shares: they must add up to the whole country
        for (String country : List.of("GH", "ZA")) {
            assertThat(Cities.of(country).stream().mapToDouble(City::sampleWeight).sum()).as(country).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void refusesACityThatIsNotOnEarth()
    {
        assertThatThrownBy(() -> new City("GH", "Nowhere", 95, 0, 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Nowhere: not a coordinate: 95.0, 0.0");
        assertThatThrownBy(() -> new City("GH", "Nowhere", 0, -181, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new City("GH", "Nowhere", Double.NaN, 0, 0.1)).isInstanceOf(IllegalArgumentException.class);
    }
}
