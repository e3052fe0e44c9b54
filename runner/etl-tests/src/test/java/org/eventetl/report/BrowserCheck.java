package org.eventetl.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opens a report page in headless Chromium and checks what every page must satisfy: it loads
 * with no console error or uncaught exception, asks for nothing but its own file, and draws every
 * chart and map it holds. Without Chromium the calling test is skipped, with one line saying why.
 */
final class BrowserCheck
{
    static final int WIDTH = 1280;
    static final int HEIGHT = 900;

    /** What the page drew into one chart element. */
    record Drawn(String id, String kind, boolean drawn, int svgs, int paths, List<String> texts) {}

    private static final String SKIPPED = "the report pages' browser checks (no console error, no request, every chart and map drawn, the map's layout): "
            + "no Chromium here; install Debian's chromium (.ci/run does) or set ETL_CHROMIUM";
    private static final AtomicBoolean SAID_SKIPPED = new AtomicBoolean();

    private BrowserCheck() {}

    /** The Chromium to use; skips the test when there is none (the run prints one {@code SKIPPED:} line for all). */
    static Path chromiumOrSkip()
    {
        Optional<Path> chromium = available();
        if (chromium.isEmpty()) {
            Assumptions.abort(SKIPPED);
        }
        return chromium.get();
    }

    /** The Chromium to use, if any; the first time there is none, says so on one line. */
    static Optional<Path> available()
    {
        Optional<Path> chromium = Chromium.find();
        if (chromium.isEmpty() && !SAID_SKIPPED.getAndSet(true)) {
            System.out.println("SKIPPED: " + SKIPPED);
        }
        return chromium;
    }

    /** Opens the page and asserts the rules every page keeps; returns the charts it drew. */
    static List<Drawn> open(Chromium browser, Path page)
            throws Exception
    {
        browser.open(page);
        browser.await("document.body.hasAttribute('data-charts-drawn')", Duration.ofSeconds(30));
        String own = page.toUri().toString();
        assertThat(browser.errors()).as("console errors and exceptions").isEmpty();
        assertThat(browser.blocked()).as("requests that would have left the file").isEmpty();
        assertThat(browser.requests()).as("requests").allMatch(url -> url.equals(own) || url.startsWith("data:") || url.startsWith("blob:"));

        JsonNode charts = browser.evaluate("""
                Array.from(document.querySelectorAll('[data-chart]')).map(element => ({
                    id: element.id,
                    kind: element.getAttribute('data-chart'),
                    drawn: element.getAttribute('data-drawn') === 'true',
                    svgs: element.querySelectorAll('svg').length,
                    paths: element.querySelectorAll('svg path').length,
                    texts: Array.from(element.querySelectorAll('svg text')).map(text => text.textContent)
                }))""");
        List<Drawn> drawn = new ArrayList<>();
        for (JsonNode chart : charts) {
            List<String> texts = new ArrayList<>();
            chart.path("texts").forEach(text -> texts.add(text.asText()));
            drawn.add(new Drawn(chart.path("id").asText(), chart.path("kind").asText(), chart.path("drawn").asBoolean(),
                    chart.path("svgs").asInt(), chart.path("paths").asInt(), texts));
        }
        assertThat(drawn).as("charts on the page").isNotEmpty();
        for (Drawn chart : drawn) {
            assertThat(chart.drawn()).as("%s reported drawn", chart.id()).isTrue();
            assertThat(chart.svgs()).as("%s has its SVG", chart.id()).isGreaterThanOrEqualTo(1);
            assertThat(chart.paths()).as("%s has shapes", chart.id()).isGreaterThan(0);
        }
        assertThat(browser.evaluate("Number(document.body.getAttribute('data-charts-drawn'))").asInt()).isEqualTo(drawn.size());
        assertCellsInView(browser);
        return drawn;
    }

    /**
     * Every cell of every map lies whole inside the view the map draws: the page's view projected
     * by ECharts to pixels, within the map's element. A view that fits the country's outline only
     * cuts off the cells beyond its coast (Ghana's, south of it).
     */
    private static void assertCellsInView(Chromium browser)
            throws Exception
    {
        JsonNode maps = browser.evaluate("""
                JSON.parse(document.getElementById('report-data').textContent).maps
                    .filter(map => document.getElementById('map-' + map.code))
                    .map(map => {
                        const element = document.getElementById('map-' + map.code);
                        const chart = echarts.getInstanceByDom(element);
                        const pixel = point => chart.convertToPixel({geoIndex: 0}, point);
                        const topLeft = pixel([map.view.west, map.view.north]);
                        const bottomRight = pixel([map.view.east, map.view.south]);
                        const view = {
                            left: Math.max(0, topLeft[0]), top: Math.max(0, topLeft[1]),
                            right: Math.min(element.clientWidth, bottomRight[0]), bottom: Math.min(element.clientHeight, bottomRight[1])
                        };
                        const half = map.cellSize / 2;
                        const outside = map.cells.filter(cell => {
                            const a = pixel([cell[0] - half, cell[1] + half]);
                            const b = pixel([cell[0] + half, cell[1] - half]);
                            return a[0] < view.left - 0.5 || a[1] < view.top - 0.5 || b[0] > view.right + 0.5 || b[1] > view.bottom + 0.5;
                        });
                        return {code: map.code, cells: map.cells.length, view: view, outside: outside.length,
                                examples: outside.slice(0, 3).map(cell => cell[1] + '°, ' + cell[0] + '°')};
                    })""");
        assertThat(maps).as("maps on the page").isNotEmpty();
        for (JsonNode map : maps) {
            assertThat(map.path("outside").asInt())
                    .as("cells of %s outside its drawn view %s (of %d; e.g. %s)", map.path("code").asText(), map.path("view"), map.path("cells").asInt(), map.path("examples"))
                    .isZero();
        }
    }

    static Drawn chart(List<Drawn> charts, String id)
    {
        return charts.stream().filter(chart -> chart.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no chart " + id + " among " + charts.stream().map(Drawn::id).toList()));
    }

    /** Keeps a screenshot under target/report-artifacts for a person to look at. */
    static Path keep(String name, byte[] png)
            throws Exception
    {
        Path folder = Path.of("target", "report-artifacts");
        Files.createDirectories(folder);
        Path file = folder.resolve(name);
        Files.write(file, png);
        return file.toAbsolutePath();
    }
}
