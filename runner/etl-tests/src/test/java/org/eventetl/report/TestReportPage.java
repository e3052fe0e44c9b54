package org.eventetl.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;

import org.eventetl.geo.Cities;
import org.eventetl.geo.City;
import org.eventetl.geo.Outline;
import org.eventetl.geo.Polygon;
import org.eventetl.geo.WorldAtlas;
import org.eventetl.partition.Partition;
import org.eventetl.sample.SampleSpec;
import org.eventetl.sample.SampleWriter;
import org.eventetl.storage.LocalStorage;
import org.eventetl.storage.Location;
import org.eventetl.testing.Loads;
import org.eventetl.testing.OutputReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report of a generated day, as a person gets it: the files on disk, then the page in a real
 * headless Chromium (nothing requested, no console error, every chart and map drawn), and the map
 * of Ghana compared with where Ghana's outline should fall on it.
 */
final class TestReportPage
{
    private static final Partition PARTITION = new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9));
    private static final Pattern EXTERNAL = Pattern.compile("(?i)(?:src|href|action|poster)\\s*=\\s*[\"']?\\s*(?:https?:|//|ftp:)");
    private static final Color COUNTRY = new Color(0xfbf7ea);
    private static final Color LAND = new Color(0xe4e6e8);
    private static final Color SEA = new Color(0xd7e7f2);

    @TempDir
    static Path temporary;
    private static Path page;
    private static Path output;

    @BeforeAll
    static void writeReport()
            throws Exception
    {
        Path source = temporary.resolve("source");
        output = temporary.resolve("output");
        new SampleWriter(new SampleSpec(PARTITION, source, 30_000, 2, 5, 0.02, 0.001, false)).write(ignored -> {});
        Loads.load(PARTITION, source, output, 0.01);
        Location written = new ReportWriter(new LocalStorage(), Loads.home().resolve("templates")).write(Location.local(output), PARTITION);
        page = written.toPath();
    }

    @Test
    void testFiles()
            throws Exception
    {
        Path folder = output.resolve("_reports").resolve(PARTITION.hivePath());
        assertThat(page).isEqualTo(folder.resolve("index.html"));
        // the page and its images may be read by whoever may read the Parquet that the engine wrote
        Set<PosixFilePermission> parquet = Files.getPosixFilePermissions(output.resolve("dau").resolve(PARTITION.hivePath()).resolve("data.parquet"));
        assertThat(Files.getPosixFilePermissions(page)).isEqualTo(parquet);
        for (String image : List.of("dau.png", "hourly.png", "map-gh.png", "map-za.png")) {
            BufferedImage png = ImageIO.read(folder.resolve(image).toFile());
            assertThat(png).as(image).isNotNull();
            assertThat(png.getWidth()).as(image).isGreaterThanOrEqualTo(600);
            assertThat(Files.getPosixFilePermissions(folder.resolve(image))).as(image).isEqualTo(parquet);
        }
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(html).contains("Content-Security-Policy").contains("default-src 'none'");
        Matcher external = EXTERNAL.matcher(html);
        if (external.find()) {
            throw new AssertionError("the page refers to something outside the file: " + html.substring(external.start(), Math.min(html.length(), external.end() + 60)));
        }
        // the figures of the outputs, as text a person reads without the charts
        new OutputReader(output, PARTITION).dau().forEach((country, devices) ->
                assertThat(html).contains(String.format(Locale.US, "<td class=\"number\">%,d</td>", devices)));
        assertThat(html).contains("V6__hourly_activity").contains("V7__location_grid").contains("Rejects: ");
    }

    @Test
    void testPageInBrowser()
            throws Exception
    {
        Path executable = BrowserCheck.chromiumOrSkip();
        try (Chromium browser = Chromium.start(executable, BrowserCheck.WIDTH, BrowserCheck.HEIGHT)) {
            List<BrowserCheck.Drawn> charts = BrowserCheck.open(browser, page);
            assertThat(charts).extracting(BrowserCheck.Drawn::id)
                    .containsExactly("chart-dau", "chart-hourly-events", "chart-hourly-devices", "map-GH", "map-ZA");

            new OutputReader(output, PARTITION).dau().forEach((country, devices) ->
                    assertThat(BrowserCheck.chart(charts, "chart-dau").texts()).contains(String.format(Locale.US, "%,d", devices)));
            for (String country : List.of("GH", "ZA")) {
                BrowserCheck.Drawn map = BrowserCheck.chart(charts, "map-" + country);
                int cells = browser.evaluate("Number(document.getElementById('map-" + country + "').getAttribute('data-cells'))").asInt();
                assertThat(cells).as("cells of %s", country).isGreaterThan(50);
                // one path per cell, plus outlines and markers
                assertThat(map.paths()).as("shapes on the map of %s", country).isGreaterThan(cells);
                assertThat(map.texts()).as("names on the map of %s", country)
                        .containsAll(Cities.of(country).stream().map(City::name).toList());
            }
            BrowserCheck.keep("report.png", browser.screenshotPage());

            // hovering a cell shows its values
            JsonNode cell = browser.evaluate("JSON.parse(document.getElementById('report-data').textContent).maps.find(map => map.code === 'GH').cells[0]");
            browser.evaluate("""
                    (() => {
                        const chart = echarts.getInstanceByDom(document.getElementById('map-GH'));
                        chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});
                        return true;
                    })()""");
            browser.await("document.querySelector('#map-GH').innerText.includes('events')", Duration.ofSeconds(5));
            String tooltip = browser.evaluate("document.querySelector('#map-GH').innerText").asText();
            assertThat(tooltip).contains(String.format(Locale.US, "%,d events", cell.get(2).asLong()))
                    .contains(String.format(Locale.US, "%,d devices", cell.get(3).asLong()));
            browser.evaluate("echarts.getInstanceByDom(document.getElementById('map-GH')).dispatchAction({type: 'hideTip'}) || true");

            assertMapLayout(browser, "GH", "288");
        }
    }

    /** The browser check itself: a page that reaches out or logs an error is caught, so a clean report proves something. */
    @Test
    void testBrowserCheckCatchesRequestsAndErrors()
            throws Exception
    {
        Path executable = BrowserCheck.chromiumOrSkip();
        Path leaky = temporary.resolve("leaky.html");
        Files.writeString(leaky, "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/pixel.png\">"
                + "<script>fetch('https://example.invalid/data.json').catch(() => {}); console.error('broken');</script></body></html>");
        try (Chromium browser = Chromium.start(executable, BrowserCheck.WIDTH, BrowserCheck.HEIGHT)) {
            browser.open(leaky);
            browser.await("document.readyState === 'complete'", Duration.ofSeconds(10));
            Thread.sleep(300);
            assertThat(browser.blocked()).contains("http://127.0.0.1:9/pixel.png", "https://example.invalid/data.json");
            assertThat(browser.errors()).anyMatch(error -> error.contains("broken"));
        }
    }

    /**
     * Compares a screenshot of a country's map with where Natural Earth's outline should fall,
     * loosely: the map's box (the element less its 8 px margins) is fitted with the page's view
     * at the page's aspect; inside the projected outline (away from its edge) the visible ground
     * must be the country's colour, outside it the neighbours' or the sea's. Pixels under the
     * grid, labels and markers are not judged.
     */
    private static void assertMapLayout(Chromium browser, String code, String numeric)
            throws Exception
    {
        JsonNode box = browser.evaluate("(() => { const r = document.getElementById('map-" + code + "').getBoundingClientRect();"
                + " return {x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height}; })()");
        JsonNode map = browser.evaluate("JSON.parse(document.getElementById('report-data').textContent).maps.find(map => map.code === '" + code + "')");
        byte[] png = browser.screenshot(box.path("x").asDouble(), box.path("y").asDouble(), box.path("width").asDouble(), box.path("height").asDouble());
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));
        BrowserCheck.keep("map-" + code + ".png", png);

        int width = shot.getWidth();
        int height = shot.getHeight();
        double west = map.path("view").path("west").asDouble();
        double east = map.path("view").path("east").asDouble();
        double south = map.path("view").path("south").asDouble();
        double north = map.path("view").path("north").asDouble();
        double aspect = (east - west) * map.path("aspectScale").asDouble() / (north - south);
        double boxWidth = width - 16;
        double boxHeight = height - 16;
        double mapWidth = boxWidth / boxHeight > aspect ? boxHeight * aspect : boxWidth;
        double mapHeight = mapWidth / aspect;
        double left = (width - mapWidth) / 2;
        double top = (height - mapHeight) / 2;

        Outline outline = WorldAtlas.load().byId(numeric).orElseThrow();
        BufferedImage expected = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D graphics = expected.createGraphics();
        Path2D.Double shape = new Path2D.Double(Path2D.WIND_EVEN_ODD);
        for (Polygon polygon : outline.polygons()) {
            for (double[] ring : polygon.rings()) {
                for (int i = 0; i < ring.length; i += 2) {
                    double x = left + (ring[i] - west) / (east - west) * mapWidth;
                    double y = top + (north - ring[i + 1]) / (north - south) * mapHeight;
                    if (i == 0) {
                        shape.moveTo(x, y);
                    }
                    else {
                        shape.lineTo(x, y);
                    }
                }
                shape.closePath();
            }
        }
        graphics.setColor(Color.WHITE);
        graphics.fill(shape);
        graphics.dispose();

        boolean[][] inside = new boolean[height][width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                inside[y][x] = (expected.getRaster().getSample(x, y, 0) & 0xFF) > 127;
            }
        }
        // away from the edge: a few pixels of anti-aliasing or rounding never fail the check
        int margin = 5;
        long insideJudged = 0;
        long insideCountry = 0;
        long insidePixels = 0;
        long outsideJudged = 0;
        long outsideGround = 0;
        for (int y = margin; y < height - margin; y++) {
            for (int x = margin; x < width - margin; x++) {
                if (nearEdge(inside, x, y, margin)) {
                    continue;
                }
                int rgb = shot.getRGB(x, y);
                boolean country = close(rgb, COUNTRY);
                boolean ground = close(rgb, LAND) || close(rgb, SEA);
                if (inside[y][x]) {
                    insidePixels++;
                    if (country || ground) {
                        insideJudged++;
                        insideCountry += country ? 1 : 0;
                    }
                }
                else if (country || ground) {
                    outsideJudged++;
                    outsideGround += ground ? 1 : 0;
                }
            }
        }
        assertThat(insidePixels).as("the outline of %s covers part of its map", code).isGreaterThan((long) width * height / 10);
        assertThat(insideJudged).as("visible ground inside %s", code).isGreaterThan(insidePixels / 3);
        assertThat((double) insideCountry / insideJudged).as("share of %s's projected outline drawn in its colour", code).isGreaterThan(0.97);
        assertThat((double) outsideGround / outsideJudged).as("share outside %s's projected outline drawn as neighbours or sea", code).isGreaterThan(0.97);
    }

    private static boolean nearEdge(boolean[][] inside, int x, int y, int margin)
    {
        boolean value = inside[y][x];
        for (int d = -margin; d <= margin; d += margin) {
            for (int e = -margin; e <= margin; e += margin) {
                if (inside[y + d][x + e] != value) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean close(int rgb, Color colour)
    {
        return Math.abs(((rgb >> 16) & 0xFF) - colour.getRed()) <= 3
                && Math.abs(((rgb >> 8) & 0xFF) - colour.getGreen()) <= 3
                && Math.abs((rgb & 0xFF) - colour.getBlue()) <= 3;
    }
}
