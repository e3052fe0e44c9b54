package org.eventetl.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eventetl.model.UserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The settings a run takes from --config and flags: every key and its default, and what is refused. */
final class TestSettings
{
    @TempDir
    Path temporary;

    @Test
    void knowsEveryKeyWithItsDefault()
    {
        // a key or default added or changed in Settings must be added or changed here too (and in docs/operations.md)
        assertThat(Settings.DEFAULTS).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                entry("engine", "duckdb"),
                entry("source", "data/sample"),
                entry("output", "data/output"),
                entry("s3.endpoint", ""),
                entry("s3.path-style", "false"),
                entry("s3.region", ""),
                entry("trino.url", "jdbc:trino://127.0.0.1:8080"),
                entry("trino.catalog", "hive"),
                entry("trino.schema", "etl"),
                entry("trino.user", "etl"),
                entry("athena.region", ""),
                entry("athena.workgroup", "primary"),
                entry("athena.catalog", "AwsDataCatalog"),
                entry("athena.database", "etl"),
                entry("athena.result-location", ""),
                entry("athena.endpoint", ""),
                entry("athena.price-per-tb", "5"),
                entry("load.max-line-bytes", "16777216"),
                entry("athena.query-timeout-seconds", "1800"),
                entry("audits.min-volume-ratio", "0.5"),
                entry("audits.strict", "false")));
        assertThat(Settings.keys()).containsExactlyElementsOf(Settings.DEFAULTS.keySet());
        assertThat(Settings.defaultSettings().values()).isEqualTo(Settings.DEFAULTS);
    }

    @Test
    void readsTheFileAndLetsFlagsOverrideIt()
            throws IOException
    {
        Path file = config("engine = trino\noutput=  s3://bucket/out  \ntrino.url = jdbc:trino://trino:8080\n");
        Map<String, String> flags = new HashMap<>();
        flags.put("engine", "athena");
        // a flag that was not given is null: the file's value stays
        flags.put("output", null);

        Settings settings = Settings.load(Optional.of(file), flags);

        assertThat(settings.get("engine")).isEqualTo("athena");
        assertThat(settings.get("output")).isEqualTo("s3://bucket/out");
        assertThat(settings.get("trino.url")).isEqualTo("jdbc:trino://trino:8080");
        assertThat(settings.get("source")).isEqualTo("data/sample");
        assertThat(settings.optional("s3.region")).isEmpty();
    }

    @Test
    void refusesAnUnknownKeyInOneLine()
            throws IOException
    {
        Path file = config("engine = duckdb\ntrino.uri = jdbc:trino://trino:8080\n");

        assertThatThrownBy(() -> Settings.load(Optional.of(file), Map.of()))
                .isInstanceOf(UserException.class)
                .hasMessageStartingWith("--config " + file + ": unknown key 'trino.uri'; known keys: ")
                .hasMessageContaining("trino.url")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> Settings.defaultSettings().get("trino.uri")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void saysInOneLineThatAMissingFileDoesNotExist()
    {
        Path missing = temporary.resolve("missing.properties");

        assertThatThrownBy(() -> Settings.load(Optional.of(missing), Map.of()))
                .isInstanceOf(UserException.class)
                .hasMessage("--config " + missing + " does not exist");
    }

    @Test
    void refusesAnS3EndpointThatIsNotAUrl()
            throws IOException
    {
        assertThatThrownBy(() -> Settings.load(Optional.empty(), Map.of("s3.endpoint", "http://[bad")))
                .isInstanceOf(UserException.class).hasMessage("s3.endpoint 'http://[bad' is not an http or https URL, e.g. http://127.0.0.1:9000");
        // the common slip: no scheme (it parses as a URI of the scheme "localhost"), or no host
        for (String endpoint : List.of("localhost:9000", "notaurl", "ftp://127.0.0.1", "http:///path")) {
            assertThatThrownBy(() -> Settings.load(Optional.empty(), Map.of("s3.endpoint", endpoint)))
                    .isInstanceOf(UserException.class).hasMessageStartingWith("s3.endpoint '" + endpoint + "' is not an http or https URL");
        }
        assertThat(Settings.load(Optional.empty(), Map.of("s3.endpoint", "http://127.0.0.1:9000")).s3().pathStyle()).isTrue();
        assertThat(Settings.load(Optional.empty(), Map.of("s3.endpoint", "http://127.0.0.1:9000/")).s3().endpoint()).isPresent();
        // path style is the default with an endpoint, but a store that takes virtual-hosted requests only is said so (false was overridden)
        Path virtualHosted = config("s3.endpoint = http://127.0.0.1:9000\ns3.path-style = false\n");
        assertThat(Settings.load(Optional.of(virtualHosted), Map.of()).s3().pathStyle()).isFalse();
        assertThat(Settings.load(Optional.empty(), Map.of("s3.endpoint", "HTTPS://minio.internal")).s3().endpoint()).isPresent();
        assertThat(Settings.load(Optional.empty(), Map.of("s3.endpoint", "http://[::1]:9000")).s3().endpoint()).isPresent();
        // a port the client cannot use (it crashed at the first request), or parts no endpoint has
        // (a path: accepted, it failed later as NoSuchBucket for a bucket the store has)
        for (String endpoint : List.of("http://127.0.0.1:99999", "http://127.0.0.1:0", "http://u:p@127.0.0.1:9000", "http://127.0.0.1:9000/?x=1", "http://h:1#f",
                "http://127.0.0.1:9000/foo")) {
            assertThatThrownBy(() -> Settings.load(Optional.empty(), Map.of("s3.endpoint", endpoint)))
                    .isInstanceOf(UserException.class).hasMessageStartingWith("s3.endpoint '" + endpoint + "' must be scheme://host[:port]");
        }
        // empty from a flag ("--s3-endpoint $UNSET"): not quietly AWS's own endpoint
        assertThatThrownBy(() -> Settings.load(Optional.empty(), Map.of("s3.endpoint", ""), Map.of("s3.endpoint", "--s3-endpoint")))
                .isInstanceOf(UserException.class).hasMessageStartingWith("--s3-endpoint is empty; give a URL such as http://127.0.0.1:9000");
    }

    @Test
    void refusesATrinoUrlThatIsNoJdbcUrl()
    {
        assertThatThrownBy(() -> Settings.load(Optional.empty(), Map.of("trino.url", "localhost:8080")))
                .isInstanceOf(UserException.class).hasMessage("trino.url 'localhost:8080' is not a Trino JDBC URL, e.g. jdbc:trino://127.0.0.1:8080");
        assertThat(Settings.load(Optional.empty(), Map.of("trino.url", "jdbc:trino://trino.internal:443/hive?SSL=true")).get("trino.url")).startsWith("jdbc:trino://");
    }

    /** Numbers are decimal, whatever Java's parsers would also read, with _ between digits alike. */
    @Test
    void readsNumbersOneWay()
    {
        assertThat(Numbers.decimal("0.5")).hasValue(0.5);
        assertThat(Numbers.decimal("1_000.5")).hasValue(1000.5);
        assertThat(Numbers.decimal("5e-1")).hasValue(0.5);
        assertThat(Numbers.decimal(".5")).hasValue(0.5);
        for (String notOne : List.of("5d", "5f", "0x1p3", "NaN", "Infinity", "1e400", "", ".", "1__0", "_1", "1_", " 1", "1,5")) {
            assertThat(Numbers.decimal(notOne)).as(notOne).isEmpty();
        }
        assertThat(Numbers.whole("1_800")).hasValue(1800L);
        assertThat(Numbers.whole("-3")).hasValue(-3L);
        for (String notOne : List.of("1.0", "1e3", "0x10", "99999999999999999999", "", "1_", "+")) {
            assertThat(Numbers.whole(notOne)).as(notOne).isEmpty();
        }
        assertThatThrownBy(() -> Settings.load(Optional.empty(), Map.of("athena.price-per-tb", "5d")))
                .isInstanceOf(UserException.class).hasMessage("athena.price-per-tb must be a number of USD, 0 or more, got '5d'");
        assertThatThrownBy(() -> Settings.load(Optional.empty(), Map.of("athena.query-timeout-seconds", "9223372036854775807")))
                .isInstanceOf(UserException.class).hasMessage("athena.query-timeout-seconds must be a whole number of seconds from 1 to 604800, got 9223372036854775807");
    }

    /**
     * The Athena engine's settings of a form are checked by every command on every engine: a config
     * shared by several engines, or a render for Athena, is refused as an Athena load would be.
     */
    @Test
    void refusesAnAthenaSettingOfTheWrongFormWhateverTheEngine()
            throws IOException
    {
        Path file = config("athena.query-timeout-seconds = abc\n");
        assertThatThrownBy(() -> Settings.load(Optional.of(file), Map.of()))
                .isInstanceOf(UserException.class)
                .hasMessage("athena.query-timeout-seconds (in --config " + file + ") must be a whole number of seconds, got 'abc'");
        assertThatThrownBy(() -> Settings.load(Optional.empty(), Map.of("athena.query-timeout-seconds", "-5"), Map.of("athena.query-timeout-seconds", "--query-timeout")))
                .isInstanceOf(UserException.class).hasMessage("--query-timeout must be a whole number of seconds from 1 to 604800, got -5");
        assertThatThrownBy(() -> Settings.load(Optional.empty(), Map.of("athena.price-per-tb", "NaN")))
                .isInstanceOf(UserException.class).hasMessage("athena.price-per-tb must be a number of USD, 0 or more, got 'NaN'");
        assertThatThrownBy(() -> Settings.load(Optional.empty(), Map.of("athena.endpoint", "athena.eu-west-1.amazonaws.com")))
                .isInstanceOf(UserException.class).hasMessageStartingWith("athena.endpoint 'athena.eu-west-1.amazonaws.com' is not an http or https URL");
        assertThat(Settings.load(Optional.empty(), Map.of("athena.query-timeout-seconds", "1_800")).wholeNumber("athena.query-timeout-seconds", "seconds", 1, Settings.MAX_QUERY_TIMEOUT_SECONDS))
                .isEqualTo(1800);
    }

    @Test
    void readsTrueOrFalseAndRefusesAnyOtherWord()
            throws IOException
    {
        assertThat(Settings.load(Optional.of(config("audits.strict = TRUE\n")), Map.of()).flag("audits.strict")).isTrue();
        assertThat(Settings.load(Optional.of(config("audits.strict = false\n")), Map.of()).flag("audits.strict")).isFalse();
        assertThat(Settings.defaultSettings().s3().pathStyle()).isFalse();

        // a typo must not pass as false, the default; it is refused when the file is read, naming the file
        Path typo = config("audits.strict = ture\n");
        assertThatThrownBy(() -> Settings.load(Optional.of(typo), Map.of()))
                .isInstanceOf(UserException.class).hasMessage("audits.strict (in --config " + typo + ") must be true or false, got 'ture'");
        Path yes = Files.writeString(temporary.resolve("yes.properties"), "s3.path-style = yes\n");
        assertThatThrownBy(() -> Settings.load(Optional.of(yes), Map.of()))
                .isInstanceOf(UserException.class).hasMessage("s3.path-style (in --config " + yes + ") must be true or false, got 'yes'");
        // a flag's value is the flag's, not the file's
        assertThat(Settings.load(Optional.of(typo), Map.of("audits.strict", "true")).flag("audits.strict")).isTrue();
    }

    @Test
    void namesTheFileOfABadValueAndSaysWhyACommentIsPartOfIt()
            throws IOException
    {
        Path file = config("load.max-line-bytes = 5\n");
        assertThatThrownBy(() -> Settings.load(Optional.of(file), Map.of()))
                .isInstanceOf(UserException.class).hasMessage("load.max-line-bytes (in --config " + file + ") must be from 1024 to 1073741824 bytes, got 5");
        Path comment = Files.writeString(temporary.resolve("comment.properties"), "load.max-line-bytes = 2048 # two KiB\n");
        assertThatThrownBy(() -> Settings.load(Optional.of(comment), Map.of()))
                .isInstanceOf(UserException.class)
                .hasMessage("--config " + comment + ": load.max-line-bytes is '2048 # two KiB' (a # after a value is part of the value in a properties file:"
                        + " put comments on lines of their own)");
        // a path or a name would take the comment in without a word: the same refusal
        Path path = Files.writeString(temporary.resolve("path.properties"), "output = /data/out # the copy\n");
        assertThatThrownBy(() -> Settings.load(Optional.of(path), Map.of()))
                .isInstanceOf(UserException.class).hasMessageStartingWith("--config " + path + ": output is '/data/out # the copy' (a # after a value");
        // a # without white space before it is part of a name, as in a folder called data#2
        assertThat(Settings.load(Optional.of(config("output = data#2\n")), Map.of()).get("output")).isEqualTo("data#2");

        Settings settings = Settings.load(Optional.of(config("engine = trino\noutput = o\n")), Map.of("output", "p"));
        assertThat(settings.name("engine")).isEqualTo("engine (in --config " + temporary.resolve("etl.properties") + ")");
        // given by a flag, or a default: the key alone
        assertThat(settings.name("output")).isEqualTo("output");
        assertThat(settings.name("source")).isEqualTo("source");
        assertThatThrownBy(() -> settings.name("no.such.key")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAKeyGivenTwiceAndAFileThatIsNotUtf8()
            throws IOException
    {
        Path twice = config("engine = duckdb\noutput = a\nengine = trino\n");
        assertThatThrownBy(() -> Settings.load(Optional.of(twice), Map.of()))
                .isInstanceOf(UserException.class)
                .hasMessage("--config " + twice + ": key 'engine' is given twice");

        Path latin1 = Files.write(temporary.resolve("latin1.properties"), "output = caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Settings.load(Optional.of(latin1), Map.of()))
                .isInstanceOf(UserException.class)
                .hasMessage("--config " + latin1 + " is not UTF-8 text");

        // a byte-order mark, as some editors write one, was part of the first key: "unknown key 'engine'"
        Path marked = config("\uFEFFengine = trino\n");
        assertThat(Settings.load(Optional.of(marked), Map.of()).get("engine")).isEqualTo("trino");
    }

    private Path config(String text)
            throws IOException
    {
        return Files.writeString(temporary.resolve("etl.properties"), text);
    }
}
