package org.eventetl.geo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** ISO 3166-1 codes, as the events' country and world-atlas' feature ids use them. */
final class TestCountries
{
    @Test
    void looksCountriesUpByTheirAlpha2Code()
    {
        assertThat(Countries.byCode("GH")).contains(new Country("GH", "288", "Ghana"));
        assertThat(Countries.byCode("ZA")).contains(new Country("ZA", "710", "South Africa"));
        // names with quotes are read whole, and numeric codes keep their leading zeros
        assertThat(Countries.byCode("CI")).map(Country::name).contains("Côte d'Ivoire");
        assertThat(Countries.byCode("AD")).map(Country::numeric).contains("020");
    }

    @Test
    void knowsNoOtherCode()
    {
        // the events' country is upper case (V2 applies upper(trim(…))): a lower-case code is not one
        assertThat(Countries.byCode("gh")).isEmpty();
        assertThat(Countries.byCode("XX")).isEmpty();
        assertThat(Countries.byCode("")).isEmpty();
    }

    @Test
    void knowsTheCountryOfEveryCity()
    {
        for (City city : Cities.all()) {
            assertThat(Countries.byCode(city.country())).as(city.name()).isPresent();
        }
    }
}
