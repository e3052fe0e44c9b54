package org.eventetl.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;

import org.eventetl.geo.BoundingBox;
import org.eventetl.geo.City;
import org.eventetl.geo.Outline;
import org.eventetl.geo.Polygon;
import org.eventetl.history.RunPhase;
import org.eventetl.history.StepRecord;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;

import static java.util.Objects.requireNonNull;

/**
 * Renders the page: {@code templates/report.html.mustache} with the text (tables, counts, notes),
 * and inlined into it the styles, ECharts from its WebJar, {@code templates/report.js} and the
 * data the script draws from, as JSON.
 */
final class ReportPage
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final String ECHARTS_PROPERTIES = "/META-INF/maven/org.webjars/echarts/pom.properties";
    /** Coordinates are kept to 4 decimals (about 10 m): the 1:50m outlines are far coarser. */
    private static final double COORDINATE_ROUNDING = 1e4;

    private final Path templatesFolder;

    ReportPage(Path templatesFolder)
    {
        this.templatesFolder = requireNonNull(templatesFolder, "templatesFolder is null");
    }

    /** Everything the page shows. */
    record Content(Partition partition, Location output, Instant generated, Aggregates aggregates, HourlySeries hourly,
            List<CountryMap> maps, RunSummary run, List<String> cautions, String atlasVersion, List<String> images)
    {
        Content
        {
            requireNonNull(partition, "partition is null");
            requireNonNull(output, "output is null");
            requireNonNull(generated, "generated is null");
            requireNonNull(aggregates, "aggregates is null");
            requireNonNull(hourly, "hourly is null");
            maps = List.copyOf(requireNonNull(maps, "maps is null"));
            requireNonNull(run, "run is null");
            cautions = List.copyOf(requireNonNull(cautions, "cautions is null"));
            requireNonNull(atlasVersion, "atlasVersion is null");
            images = List.copyOf(requireNonNull(images, "images is null"));
        }
    }

    String render(Content content)
    {
        Path template = templatesFolder.resolve("report.html.mustache");
        if (!Files.isRegularFile(template)) {
            throw new IllegalStateException("no page template at " + template + "; run from the project or set ETL_HOME");
        }
        Mustache mustache = new DefaultMustacheFactory(templatesFolder.toFile()).compile(template.getFileName().toString());
        StringWriter html = new StringWriter();
        mustache.execute(html, scope(content));
        return html.toString();
    }

    static String title(Partition partition)
    {
        return "Events of " + partition.brand() + "/" + partition.tracker() + "/" + partition.channel() + " on " + partition.day();
    }

    private Map<String, Object> scope(Content content)
    {
        Aggregates aggregates = content.aggregates();
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("title", title(content.partition()));
        scope.put("partition", content.partition().hivePath());
        scope.put("output", content.output().uri());
        scope.put("generated", TIME.format(content.generated()));
        scope.put("events", count(aggregates.totalEvents()));
        List<Map<String, Object>> cards = new ArrayList<>();
        for (CountryMap map : content.maps()) {
            cards.add(Map.of("value", count(map.devices()), "label", "devices in " + map.code()));
        }
        scope.put("cards", cards);
        scope.put("rejects", content.run().rejects().map(ReportPage::count).orElse("?"));

        List<Map<String, Object>> countries = new ArrayList<>();
        for (CountryMap map : content.maps()) {
            countries.add(Map.of("code", map.code(), "name", map.name(), "devices", count(map.devices()), "events", count(map.events())));
        }
        scope.put("countries", countries);
        scope.put("hasDau", !aggregates.dau().isEmpty());
        List<String> dauNotes = new ArrayList<>();
        if (aggregates.dau().isEmpty()) {
            dauNotes.add("No devices: this partition has no events with both a country and a device id.");
        }
        for (CountryMap map : content.maps()) {
            if (map.events() == 0) {
                dauNotes.add("No events from " + map.name() + " (" + map.code() + ") in this partition.");
            }
        }
        scope.put("dauNotes", dauNotes);

        HourlySeries hourly = content.hourly();
        scope.put("hasHourly", !hourly.isEmpty());
        List<String> hourlyNotes = new ArrayList<>();
        if (hourly.isEmpty()) {
            hourlyNotes.add("No events with a country and a time in this partition.");
        }
        if (hourly.eventsWithoutTime() > 0) {
            hourlyNotes.add(String.format(Locale.US, "%,d events have a country but no time and are not in the hours above.", hourly.eventsWithoutTime()));
        }
        if (hourly.eventsWithoutCountry() > 0) {
            hourlyNotes.add(String.format(Locale.US, "%,d events have no country; they are counted in the total only.", hourly.eventsWithoutCountry()));
        }
        scope.put("hourlyNotes", hourlyNotes);

        List<Map<String, Object>> maps = new ArrayList<>();
        for (CountryMap map : content.maps()) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("code", map.code());
            view.put("name", map.name());
            view.put("summary", String.format(Locale.US, "%,d events from %,d devices; %,d located (%s) in %,d cells; %,d without a location",
                    map.events(), map.devices(), map.locatedEvents(), percent(map.locatedEvents(), map.events()), map.cells().size(), map.unlocatedEvents()));
            view.put("note", map.note().orElse(null));
            view.put("cells", map.cells().size());
            view.put("drawable", map.drawable());
            BoundingBox frame = map.view();
            view.put("aspect", String.format(Locale.US, "%.3f", Math.min(2.4, Math.max(0.6, frame.width() * frame.aspectScale() / frame.height()))));
            view.put("image", ReportWriter.mapImage(map.code()));
            view.put("element", ReportWriter.mapElement(map.code()));
            maps.add(view);
        }
        scope.put("maps", maps);
        scope.put("cellSize", content.maps().stream().filter(map -> !map.cells().isEmpty()).findFirst().map(map -> String.valueOf(map.cellSize())).orElse("0.1"));

        RunSummary run = content.run();
        scope.put("hasRun", !run.isEmpty());
        scope.put("athena", run.onAthena());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (StepRecord step : run.steps()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", step.step());
            row.put("outcome", step.outcome().name().toLowerCase(Locale.ROOT));
            boolean skipped = step.outcome() == StepRecord.Outcome.SKIPPED;
            row.put("rows", skipped ? "-" : count(step.rowsWritten()));
            row.put("megabytes", skipped ? "-" : String.format(Locale.US, "%,.1f", step.bytesScanned() / 1e6));
            row.put("seconds", skipped ? "-" : String.format(Locale.US, "%.2f", step.seconds()));
            row.put("dollars", RunSummary.dollars(step).map(ReportPage::dollars).orElse("-"));
            row.put("started", TIME.format(step.startedAt()));
            row.put("run", step.runId());
            row.put("engine", step.engine());
            steps.add(row);
        }
        scope.put("steps", steps);
        scope.put("totalMegabytes", String.format(Locale.US, "%,.1f", run.bytesScanned() / 1e6));
        scope.put("totalSeconds", String.format(Locale.US, "%.2f", run.seconds()));
        scope.put("totalDollars", run.dollars().map(ReportPage::dollars).orElse("-"));
        scope.put("rejectsLine", rejectsLine(run));
        List<String> runNotes = new ArrayList<>();
        run.published().ifPresent(published -> runNotes.add("These outputs were published by run " + published.runId() + " at " + TIME.format(published.finishedAt()) + "."));
        scope.put("runNotes", runNotes);
        List<String> attemptNotes = new ArrayList<>(content.cautions());
        // a publish cut short is said above (content.cautions): then some of the attempt's outputs may be published
        String shown = content.cautions().isEmpty() ? " Nothing of it was published: this page shows the published run's outputs." : "";
        run.laterAttempt().ifPresent(later -> attemptNotes.add(later.failure()
                .map(failed -> "The latest attempt, run " + failed.runId() + " at " + TIME.format(failed.finishedAt())
                        + ", failed" + (failed.phase() == null ? "" : " " + RunPhase.where(failed.phase())) + ": " + failed.message() + ".")
                .orElse("The latest attempt, run " + later.runId() + ", started at " + TIME.format(later.startedAt())
                        + ", has no end recorded: it was killed, or is running still (etl status says which).")
                + shown));
        scope.put("attemptNotes", attemptNotes);

        scope.put("images", content.images());
        scope.put("atlasVersion", content.atlasVersion());
        scope.put("echartsVersion", echartsVersion());
        scope.put("css", text(templatesFolder.resolve("report.css")));
        scope.put("script", inlineScript(text(templatesFolder.resolve("report.js"))));
        scope.put("echarts", inlineScript(echarts()));
        scope.put("data", data(content));
        return scope;
    }

    private static String rejectsLine(RunSummary run)
    {
        Optional<StepRecord> step = run.rejectsStep();
        if (step.isEmpty()) {
            return "Rejects: no step that keeps rejects is recorded.";
        }
        if (step.get().outcome() == StepRecord.Outcome.SKIPPED) {
            return "Rejects: none; every non-blank line was a JSON object (" + step.get().step() + " was skipped).";
        }
        return String.format(Locale.US, "Rejects: %,d lines that are not JSON objects, kept under the rejects dataset", step.get().rowsWritten());
    }

    /** What report.js draws from; {@code <} is escaped so that no text can close the script element. */
    private static String data(Content content)
    {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("countries", content.maps().stream().map(CountryMap::code).toList());
        List<Map<String, Object>> dau = new ArrayList<>();
        for (CountryMap map : content.maps()) {
            if (content.aggregates().dau().containsKey(map.code())) {
                dau.add(Map.of("country", map.code(), "name", map.name(), "devices", map.devices()));
            }
        }
        data.put("dau", dau);
        Map<String, Object> hourly = new LinkedHashMap<>();
        hourly.put("labels", content.hourly().labels());
        List<Map<String, Object>> series = new ArrayList<>();
        for (HourlySeries.Country country : content.hourly().countries()) {
            series.add(Map.of("code", country.code(), "events", country.events(), "devices", country.devices()));
        }
        hourly.put("countries", series);
        data.put("hourly", hourly);
        List<Map<String, Object>> maps = new ArrayList<>();
        for (CountryMap map : content.maps()) {
            if (map.drawable()) {
                maps.add(map(map));
            }
        }
        data.put("maps", maps);
        try {
            return JSON.writeValueAsString(data).replace("<", "\\u003c");
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> map(CountryMap map)
    {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("code", map.code());
        data.put("element", ReportWriter.mapElement(map.code()));
        data.put("name", map.name());
        data.put("countryRegion", map.outline().map(Outline::name).orElse(null));
        BoundingBox view = map.view();
        data.put("view", Map.of("west", view.west(), "south", view.south(), "east", view.east(), "north", view.north()));
        data.put("aspectScale", view.aspectScale());
        data.put("cellSize", map.cellSize());
        data.put("maxEvents", map.maxCellEvents());
        List<Object> cells = new ArrayList<>();
        for (GridCell cell : map.cells()) {
            cells.add(List.of(round(cell.longitude()), round(cell.latitude()), cell.events(), cell.devices()));
        }
        data.put("cells", cells);
        List<Map<String, Object>> cities = new ArrayList<>();
        for (City city : map.cities()) {
            cities.add(Map.of("name", city.name(), "latitude", city.latitude(), "longitude", city.longitude()));
        }
        data.put("cities", cities);
        List<Map<String, Object>> features = new ArrayList<>();
        for (Outline neighbour : map.neighbours()) {
            features.add(feature(neighbour));
        }
        // the country last, so that its border is drawn over its neighbours'
        map.outline().ifPresent(outline -> features.add(feature(outline)));
        data.put("geojson", Map.of("type", "FeatureCollection", "features", features));
        return data;
    }

    private static Map<String, Object> feature(Outline outline)
    {
        List<Object> polygons = new ArrayList<>();
        for (Polygon polygon : outline.polygons()) {
            List<Object> rings = new ArrayList<>();
            for (double[] ring : polygon.rings()) {
                List<double[]> points = new ArrayList<>();
                for (int i = 0; i < ring.length; i += 2) {
                    points.add(new double[] {round(ring[i]), round(ring[i + 1])});
                }
                rings.add(points);
            }
            polygons.add(rings);
        }
        return Map.of(
                "type", "Feature",
                "properties", Map.of("name", outline.name()),
                "geometry", Map.of("type", "MultiPolygon", "coordinates", polygons));
    }

    private static double round(double degrees)
    {
        return Math.round(degrees * COORDINATE_ROUNDING) / COORDINATE_ROUNDING;
    }

    static String echartsVersion()
    {
        try (InputStream in = ReportPage.class.getResourceAsStream(ECHARTS_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("the ECharts WebJar is not on the classpath; rebuild the runner");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String echarts()
    {
        String resource = "/META-INF/resources/webjars/echarts/" + echartsVersion() + "/echarts.min.js";
        try (InputStream in = ReportPage.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " in the ECharts WebJar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A script inlined in HTML ends at the first {@code </script}; JavaScript reads {@code <\/} as {@code </}. */
    private static String inlineScript(String script)
    {
        return script.replace("</script", "<\\/script");
    }

    private static String text(Path file)
    {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String count(long value)
    {
        return String.format(Locale.US, "%,d", value);
    }

    private static String percent(long part, long whole)
    {
        return whole == 0 ? "-" : String.format(Locale.US, "%.1f%%", 100.0 * part / whole);
    }

    private static String dollars(double value)
    {
        return String.format(Locale.US, "%.4f", value);
    }
}
