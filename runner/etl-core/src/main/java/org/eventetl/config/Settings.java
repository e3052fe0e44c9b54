package org.eventetl.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.eventetl.model.UserException;
import org.eventetl.storage.S3Settings;

import static java.util.Objects.requireNonNull;

/**
 * The run's settings: a {@code --config} properties file, overridden by flags. Every key is known
 * here, with its default, so that a misspelt key is an error and not a silently ignored line.
 * Credentials are never settings: S3 and Athena use the AWS default chain.
 */
public record Settings(Map<String, String> values, Optional<Path> file, Set<String> keysFromFile, Map<String, String> flags)
{
    /** 16 MiB: DuckDB's own default for a JSON object, far above any event line. */
    public static final long DEFAULT_MAX_LINE_BYTES = 16L * 1024 * 1024;
    /** Trino's text reader takes no line over 1 GB (hive.text.max-line-length), nor does any engine here. */
    public static final long MAX_LINE_BYTES_LIMIT = 1024L * 1024 * 1024;
    public static final Map<String, String> DEFAULTS = defaults();

    /**
     * @param file the --config file, if any
     * @param keysFromFile the keys whose value is the file's (given there, and not overridden by a flag)
     * @param flags by key, the flag that gave its value (e.g. {@code --s3-endpoint}), so that a message names it
     */
    public Settings
    {
        values = Map.copyOf(requireNonNull(values, "values is null"));
        requireNonNull(file, "file is null");
        keysFromFile = Set.copyOf(requireNonNull(keysFromFile, "keysFromFile is null"));
        flags = Map.copyOf(requireNonNull(flags, "flags is null"));
        if (file.isEmpty() && !keysFromFile.isEmpty()) {
            throw new IllegalArgumentException("keys from a file without a file: " + keysFromFile);
        }
    }

    public Settings(Map<String, String> values)
    {
        this(values, Optional.empty(), Set.of(), Map.of());
    }

    /** Reads {@code file} (if any), then applies {@code overrides} (null values are absent flags). */
    public static Settings load(Optional<Path> file, Map<String, String> overrides)
    {
        return load(file, overrides, Map.of());
    }

    /**
     * Reads {@code file} (if any), then applies {@code overrides}: the values of flags by key (null
     * values are absent flags), each flag named in {@code flagNames} by the same key.
     */
    public static Settings load(Optional<Path> file, Map<String, String> overrides, Map<String, String> flagNames)
    {
        Map<String, String> values = new TreeMap<>(DEFAULTS);
        Set<String> keysFromFile = new TreeSet<>();
        if (file.isPresent()) {
            if (!Files.exists(file.get())) {
                throw new UserException("--config " + file.get() + " does not exist");
            }
            Properties properties = new KeysOnce(file.get());
            try (BufferedReader reader = Files.newBufferedReader(file.get())) {
                // a byte-order mark, as some editors write one, would start the first key, invisibly
                reader.mark(1);
                if (reader.read() != '\uFEFF') {
                    reader.reset();
                }
                properties.load(reader);
            }
            catch (MalformedInputException e) {
                throw new UserException("--config " + file.get() + " is not UTF-8 text");
            }
            catch (IOException e) {
                throw new UserException("cannot read --config " + file.get() + ": " + e.getMessage());
            }
            for (String key : properties.stringPropertyNames()) {
                if (!DEFAULTS.containsKey(key)) {
                    throw new UserException("--config " + file.get() + ": unknown key '" + key + "'; known keys: " + String.join(", ", DEFAULTS.keySet()));
                }
                String value = properties.getProperty(key).strip();
                // "output = /data/out # the copy" is the folder "/data/out # the copy", created and
                // published into without a word; no setting's value has a reason to hold " #"
                if (END_OF_LINE_COMMENT.matcher(value).find()) {
                    throw new UserException("--config " + file.get() + ": " + key + " is '" + value + "'" + commentHint(value));
                }
                values.put(key, value);
                keysFromFile.add(key);
            }
        }
        Map<String, String> flags = new TreeMap<>();
        overrides.forEach((key, value) -> {
            if (value != null) {
                values.put(key, value);
                keysFromFile.remove(key);
                if (flagNames.containsKey(key)) {
                    flags.put(key, flagNames.get(key));
                }
            }
        });
        Settings settings = new Settings(values, file, keysFromFile, flags);
        // every value that has a form is checked here, so that a bad value is refused by each command
        // and on each engine (a render for Athena, a load with a config shared by several engines),
        // not only by the one that happens to use it; what only an engine can judge, by that engine
        settings.flag("audits.strict");
        settings.maxLineBytes();
        settings.s3();
        settings.url("athena.endpoint", ATHENA_ENDPOINT_EXAMPLE);
        if (!TRINO_URL.matcher(settings.get("trino.url")).matches()) {
            throw new UserException(settings.name("trino.url") + " '" + settings.get("trino.url") + "' is not a Trino JDBC URL, e.g. " + DEFAULTS.get("trino.url"));
        }
        settings.number("athena.price-per-tb", "USD, 0 or more", 0);
        settings.wholeNumber("athena.query-timeout-seconds", "seconds", 1, MAX_QUERY_TIMEOUT_SECONDS);
        return settings;
    }

    /** White space and a #: a comment after a value, which a properties file takes for part of it. */
    private static final Pattern END_OF_LINE_COMMENT = Pattern.compile("\\s#");
    /** What Trino's JDBC driver takes: jdbc:trino://host[:port][/catalog[/schema]][?properties]. */
    private static final Pattern TRINO_URL = Pattern.compile("jdbc:trino://[^/:?\\s]+(:[0-9]{1,5})?(/[^\\s]*)?(\\?[^\\s]*)?");
    /** A query may wait and run at most a week: far above any Athena limit, far below what a Duration's nanoseconds hold. */
    public static final long MAX_QUERY_TIMEOUT_SECONDS = 7 * 24 * 3600;
    /** An example of an Athena endpoint, for the message that refuses one. */
    public static final String ATHENA_ENDPOINT_EXAMPLE = "https://athena.eu-west-1.amazonaws.com";

    /**
     * How a message names a setting: by the flag that gave its value, or with the --config file that
     * gave it, so the user knows where to fix it.
     */
    public String name(String key)
    {
        get(key);
        if (flags.containsKey(key)) {
            return flags.get(key);
        }
        return keysFromFile.contains(key) ? key + " (in --config " + file.orElseThrow() + ")" : key;
    }

    /**
     * What a message adds to a value that is no number or word: a {@code #} in a properties file starts a
     * comment only at the start of a line, so {@code ratio = 0.5 # half} has the value {@code 0.5 # half}.
     */
    public static String commentHint(String value)
    {
        return value.contains("#") ? " (a # after a value is part of the value in a properties file: put comments on lines of their own)" : "";
    }

    /** Whether the user gave the key a value (a flag, or the --config file), rather than leaving its default. */
    public boolean given(String key)
    {
        get(key);
        return flags.containsKey(key) || keysFromFile.contains(key);
    }

    public static Settings defaultSettings()
    {
        return new Settings(DEFAULTS);
    }

    public String get(String key)
    {
        if (!DEFAULTS.containsKey(key)) {
            throw new IllegalArgumentException("unknown setting " + key);
        }
        return values.getOrDefault(key, "");
    }

    /** A setting that is {@code true} or {@code false}: any other word is refused, never read as false. */
    public boolean flag(String key)
    {
        String value = get(key);
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new UserException(name(key) + " must be true or false, got '" + value + "'" + commentHint(value));
    }

    public Optional<String> optional(String key)
    {
        String value = get(key);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** {@code load.max-line-bytes}: a whole number of bytes from 1,024 up to 1 GiB. */
    public long maxLineBytes()
    {
        String text = get("load.max-line-bytes");
        long bytes = Numbers.whole(text)
                .orElseThrow(() -> new UserException(name("load.max-line-bytes") + " must be a whole number of bytes, got '" + text + "'" + commentHint(text)));
        if (bytes < 1024 || bytes > MAX_LINE_BYTES_LIMIT) {
            throw new UserException(name("load.max-line-bytes") + " must be from 1024 to " + MAX_LINE_BYTES_LIMIT + " bytes, got " + bytes);
        }
        return bytes;
    }

    public S3Settings s3()
    {
        Optional<URI> endpoint = url("s3.endpoint", "http://127.0.0.1:9000");
        // path style by default where an endpoint is given (S3Proxy, MinIO), unless the user says false
        // (a store that takes virtual-hosted requests only)
        boolean pathStyle = given("s3.path-style") ? flag("s3.path-style") : endpoint.isPresent();
        return new S3Settings(endpoint, pathStyle, optional("s3.region"));
    }

    /**
     * An endpoint: an http or https URL with a host. {@code localhost:9000} parses as a URI of the
     * scheme {@code localhost}, and the AWS clients fail on it only when they first send a request.
     */
    public Optional<URI> url(String key, String example)
    {
        if (flags.containsKey(key) && get(key).isBlank()) {
            // "--s3-endpoint $UNSET" would otherwise quietly mean AWS's own endpoint
            throw new UserException(name(key) + " is empty; give a URL such as " + example + ", or leave the flag out");
        }
        return optional(key).map(text -> {
            URI uri;
            try {
                uri = URI.create(text);
            }
            catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
                throw new UserException(name(key) + " '" + text + "' is not an http or https URL, e.g. " + example + commentHint(text));
            }
            // the AWS clients fail on these only when a request goes out, or send what nobody meant
            // (a path too: the clients put the bucket after it, and the store answers NoSuchBucket for a bucket it has)
            boolean path = uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/");
            if (uri.getPort() == 0 || uri.getPort() > 65535 || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null || path) {
                throw new UserException(name(key) + " '" + text + "' must be scheme://host[:port] (a port from 1 to 65535, no user, path, query or fragment), e.g. " + example);
            }
            return uri;
        });
    }

    /** A number of {@code unit} of at least {@code min}; NaN and infinity are no numbers here. */
    public double number(String key, String unit, double min)
    {
        String text = get(key);
        double number = Numbers.decimal(text)
                .orElseThrow(() -> new UserException(name(key) + " must be a number of " + unit + ", got '" + text + "'" + commentHint(text)));
        if (number < min) {
            throw new UserException(name(key) + " must be a number of " + unit + ", got " + text);
        }
        return number;
    }

    /** A whole number of {@code unit} from {@code min} to {@code max} ({@code _} may group its digits). */
    public long wholeNumber(String key, String unit, long min, long max)
    {
        String text = get(key);
        long number = Numbers.whole(text)
                .orElseThrow(() -> new UserException(name(key) + " must be a whole number of " + unit + ", got '" + text + "'" + commentHint(text)));
        if (number < min || number > max) {
            throw new UserException(name(key) + " must be a whole number of " + unit + " from " + min + " to " + max + ", got " + number);
        }
        return number;
    }

    private static Map<String, String> defaults()
    {
        Map<String, String> defaults = new TreeMap<>();
        defaults.put("engine", "duckdb");
        defaults.put("source", "data/sample");
        defaults.put("output", "data/output");
        defaults.put("s3.endpoint", "");
        defaults.put("s3.path-style", "false");
        defaults.put("s3.region", "");
        defaults.put("trino.url", "jdbc:trino://127.0.0.1:8080");
        defaults.put("trino.catalog", "hive");
        defaults.put("trino.schema", "etl");
        defaults.put("trino.user", "etl");
        // the athena engine: where queries run and what they cost; the database holds the ETL's
        // tables (one database per source and output root, as a table's location is fixed when it is made)
        defaults.put("athena.region", "");
        defaults.put("athena.workgroup", "primary");
        defaults.put("athena.catalog", "AwsDataCatalog");
        defaults.put("athena.database", "etl");
        defaults.put("athena.result-location", "");
        defaults.put("athena.endpoint", "");
        defaults.put("athena.price-per-tb", "5");
        defaults.put("athena.query-timeout-seconds", "1800");
        // the audits: how far a country's DAU may fall below its recent median before a warning,
        // and whether warnings fail the load
        defaults.put("audits.min-volume-ratio", String.valueOf(0.5));
        defaults.put("audits.strict", "false");
        // the longest line a load reads as a line; a longer one is a reject (too_long), never a
        // failed day. Trino's own text reader fails a query above hive.text.max-line-length (100 MB)
        defaults.put("load.max-line-bytes", String.valueOf(DEFAULT_MAX_LINE_BYTES));
        return defaults;
    }

    /** A --config file's properties, refusing a key given twice (a flag given twice is refused too). */
    private static final class KeysOnce
            extends Properties
    {
        private final Path file;

        KeysOnce(Path file)
        {
            this.file = file;
        }

        @Override
        public synchronized Object put(Object key, Object value)
        {
            if (containsKey(key)) {
                throw new UserException("--config " + file + ": key '" + key + "' is given twice");
            }
            return super.put(key, value);
        }
    }

    public static List<String> keys()
    {
        return List.copyOf(DEFAULTS.keySet());
    }
}
