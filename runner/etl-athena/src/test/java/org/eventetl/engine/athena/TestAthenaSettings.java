package org.eventetl.engine.athena;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.eventetl.config.Settings;
import org.eventetl.model.UserException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every Athena setting and its default, the cost of a query, and the backoff the engine retries with. */
final class TestAthenaSettings
{
    @Test
    void pinsEveryKeyAndDefault()
    {
        assertThat(Settings.DEFAULTS).containsAllEntriesOf(Map.of(
                "athena.region", "",
                "athena.workgroup", "primary",
                "athena.catalog", "AwsDataCatalog",
                "athena.database", "etl",
                "athena.result-location", "",
                "athena.endpoint", "",
                "athena.price-per-tb", "5",
                "athena.query-timeout-seconds", "1800"));
        assertThat(Settings.keys().stream().filter(key -> key.startsWith("athena."))).hasSize(8);

        AthenaSettings defaults = AthenaSettings.from(Settings.defaultSettings());

        assertThat(defaults).isEqualTo(new AthenaSettings(Optional.empty(), "primary", "AwsDataCatalog", "etl", Optional.empty(), Optional.empty(), 5, Duration.ofMinutes(30),
                Optional.empty()));
    }

    @Test
    void readsEverySetting()
    {
        Settings settings = Settings.load(Optional.empty(), Map.of(
                "athena.region", "eu-west-1",
                "athena.workgroup", "etl-prod",
                "athena.database", "events_prod",
                "athena.result-location", "s3://results/athena/",
                "athena.endpoint", "https://vpce-1.athena.eu-west-1.vpce.amazonaws.com",
                "athena.price-per-tb", "6.25",
                "athena.query-timeout-seconds", "600",
                "source", "s3://raw/events/"));

        assertThat(AthenaSettings.from(settings)).isEqualTo(new AthenaSettings(Optional.of("eu-west-1"), "etl-prod", "AwsDataCatalog", "events_prod",
                Optional.of("s3://results/athena/"), Optional.of(URI.create("https://vpce-1.athena.eu-west-1.vpce.amazonaws.com")), 6.25, Duration.ofMinutes(10),
                Optional.of("s3://raw/events")));
    }

    @Test
    void refusesWhatAthenaWouldRefuseLater()
    {
        assertThatThrownBy(() -> from("athena.database", "Events-Prod")).isInstanceOf(UserException.class).hasMessageContaining("a-z, 0-9 and _");
        assertThatThrownBy(() -> from("athena.database", "../x")).isInstanceOf(UserException.class);
        assertThatThrownBy(() -> from("athena.result-location", "/tmp/results")).isInstanceOf(UserException.class).hasMessageContaining("s3://");
        assertThatThrownBy(() -> from("athena.endpoint", "athena.local")).isInstanceOf(UserException.class).hasMessageContaining("is not an http or https URL");
        assertThatThrownBy(() -> from("athena.price-per-tb", "five")).isInstanceOf(UserException.class).hasMessageContaining("number");
        assertThatThrownBy(() -> from("athena.price-per-tb", "-1")).isInstanceOf(UserException.class);
        assertThatThrownBy(() -> from("athena.query-timeout-seconds", "0")).isInstanceOf(UserException.class).hasMessageContaining("a whole number of seconds from 1 to 604800, got 0");
        assertThatThrownBy(() -> from("athena.workgroup", "my workgroup")).isInstanceOf(UserException.class);
    }

    @Test
    void billsTheBytesScannedRoundedUpToTheMegabyteWithATenMegabyteMinimum()
    {
        assertThat(AthenaPricing.dollars(0, 5)).isZero();
        assertThat(AthenaPricing.dollars(1, 5)).isEqualTo(10_000_000 / 1e12 * 5);
        assertThat(AthenaPricing.dollars(10_000_001, 5)).isEqualTo(11_000_000 / 1e12 * 5);
        // the seed's extraction: 1,862.65 MB
        assertThat(AthenaPricing.dollars(1_862_650_000L, 5)).isCloseTo(0.009315, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(AthenaPricing.dollars(1_000_000_000_000L, 5)).isEqualTo(5);
        assertThat(AthenaPricing.dollars(1_000_000_000_000L, 0)).isZero();
    }

    @Test
    void backsOffExponentiallyUpToTheCapWithJitterWithinHalfOfIt()
    {
        Backoff polling = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(3), false);
        assertThat(polling.delay(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(polling.delay(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(polling.delay(4)).isEqualTo(Duration.ofMillis(1600));
        assertThat(polling.delay(5)).isEqualTo(Duration.ofSeconds(3));
        assertThat(polling.delay(1000)).isEqualTo(Duration.ofSeconds(3));

        Backoff throttling = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), true);
        for (int attempt = 0; attempt < 40; attempt++) {
            long full = Math.min(10_000, 200L << Math.min(attempt, 30));
            assertThat(throttling.delay(attempt).toMillis()).isBetween(full / 2, full);
        }
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), true)).isInstanceOf(IllegalArgumentException.class);
    }

    private static AthenaSettings from(String key, String value)
    {
        return AthenaSettings.from(Settings.load(Optional.empty(), Map.of(key, value)));
    }
}
