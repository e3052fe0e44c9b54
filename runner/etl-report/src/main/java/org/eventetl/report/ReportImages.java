package org.eventetl.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import org.eventetl.geo.City;
import org.eventetl.geo.Outline;

/**
 * The report's charts and maps as PNG images, drawn with JFreeChart on a headless AWT, for mail and
 * tickets: the same figures the page draws with ECharts, without the hover.
 */
final class ReportImages
{
    /** Of a country's text in a chart: see {@link #label}. */
    static final int LABEL_CHARACTERS = 40;
    static final Color[] PALETTE = {
            new Color(0x3b6ea8), new Color(0xd9822b), new Color(0x4f9a5a), new Color(0xb8474e),
            new Color(0x7d5ba6), new Color(0x8c6d46), new Color(0xc8649b), new Color(0x5c8f95)};
    private static final Color[] DENSITY = {
            new Color(0xfff7bc), new Color(0xfee391), new Color(0xfec44f), new Color(0xfe9929),
            new Color(0xec7014), new Color(0xcc4c02), new Color(0x8c2d04)};
    private static final Color SEA = new Color(0xd7e7f2);
    private static final Color LAND = new Color(0xe4e6e8);
    private static final Color COUNTRY = new Color(0xfbf7ea);
    private static final Color BORDER = new Color(0xa3acb3);
    private static final Color COUNTRY_BORDER = new Color(0x5b6770);
    private static final Color INK = new Color(0x1d2327);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final int WIDTH = 1000;

    private ReportImages() {}

    /** A country's colour, the same on the page: by its place among the report's countries. */
    static Color colour(List<String> countries, String country)
    {
        return PALETTE[Math.max(0, countries.indexOf(country)) % PALETTE.length];
    }

    /**
     * A country's text as a chart shows it: at most {@value #LABEL_CHARACTERS} characters. A country
     * is whatever text the events carried, and JFreeChart wraps a category's label by measuring it
     * again for every break it tries: one event with a 20 KB country took a report 134 s, one of
     * 1 MB did not end.
     */
    static String label(String text)
    {
        return text.length() <= LABEL_CHARACTERS ? text : text.substring(0, LABEL_CHARACTERS) + "…";
    }

    /** Each country's {@link #label}, told apart where two are cut to the same one (a chart keys its series by them). */
    static List<String> labels(List<String> countries)
    {
        List<String> labels = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < countries.size(); i++) {
            String label = label(countries.get(i));
            labels.add(taken.add(label) ? label : label + " (" + (i + 1) + ")");
            taken.add(labels.get(i));
        }
        return labels;
    }

    /** Devices per country as bars, in the countries' order. */
    static byte[] dau(String title, Map<String, Long> devices, List<String> countries, Map<String, String> names)
    {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        List<String> shown = countries.stream().filter(devices::containsKey).toList();
        List<String> labels = labels(shown);
        for (int i = 0; i < shown.size(); i++) {
            String country = shown.get(i);
            dataset.addValue(devices.get(country), "devices", labels.get(i) + " · " + label(names.getOrDefault(country, country)));
        }
        BarRenderer renderer = new BarRenderer()
        {
            @Override
            public Paint getItemPaint(int row, int column)
            {
                return colour(countries, shown.get(column));
            }
        };
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setMaximumBarWidth(0.25);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", NumberFormat.getIntegerInstance(Locale.US)));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(SMALL);
        NumberAxis values = new NumberAxis("devices");
        values.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.US));
        values.setUpperMargin(0.12);
        CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis("country"), values, renderer);
        style(plot);
        return png(chart(title, plot, false), 640, 400);
    }

    /** Events and devices per hour, one line per country, on one hour axis. */
    static byte[] hourly(String title, HourlySeries series, List<String> countries)
    {
        DefaultCategoryDataset events = new DefaultCategoryDataset();
        DefaultCategoryDataset devices = new DefaultCategoryDataset();
        List<String> labels = labels(series.countries().stream().map(HourlySeries.Country::code).toList());
        for (int c = 0; c < labels.size(); c++) {
            HourlySeries.Country country = series.countries().get(c);
            for (int i = 0; i < series.labels().size(); i++) {
                events.addValue(country.events()[i], labels.get(c), series.labels().get(i));
                devices.addValue(country.devices()[i], labels.get(c), series.labels().get(i));
            }
        }
        CategoryAxis hours = new CategoryAxis("hour (UTC)");
        hours.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        hours.setTickLabelFont(SMALL);
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(hours);
        // a series' key is its country's label, which may be cut short: its colour comes from the country
        List<Color> colours = series.countries().stream().map(country -> colour(countries, country.code())).toList();
        plot.add(linePlot(events, "events", colours, true), 1);
        plot.add(linePlot(devices, "devices", colours, false), 1);
        plot.setGap(12);
        return png(chart(title, plot, true), WIDTH, 620);
    }

    /** @param colours each series' colour, in the order the series were added */
    private static CategoryPlot linePlot(DefaultCategoryDataset dataset, String measure, List<Color> colours, boolean inLegend)
    {
        LineAndShapeRenderer renderer = new LineAndShapeRenderer(true, true);
        // both plots share the legend: one entry per country, not two
        renderer.setDefaultSeriesVisibleInLegend(inLegend);
        for (int i = 0; i < dataset.getRowCount(); i++) {
            renderer.setSeriesPaint(i, colours.get(i));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        }
        NumberAxis axis = new NumberAxis(measure);
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.US));
        CategoryPlot plot = new CategoryPlot(dataset, null, axis, renderer);
        style(plot);
        return plot;
    }

    /**
     * A country's map, equirectangular with longitudes shortened by the cosine of the middle
     * latitude (as on the page): neighbours, the country, the grid cells coloured by events on a
     * log scale, and the cities.
     */
    static byte[] map(String title, CountryMap map)
    {
        NumberAxis longitude = new NumberAxis("longitude");
        longitude.setRange(map.view().west(), map.view().east());
        NumberAxis latitude = new NumberAxis("latitude");
        latitude.setRange(map.view().south(), map.view().north());
        for (NumberAxis axis : List.of(longitude, latitude)) {
            axis.setAutoRangeIncludesZero(false);
            axis.setTickLabelFont(SMALL);
        }

        long maximum = Math.max(1, map.maxCellEvents());
        PaintScale scale = new LogPaintScale(maximum);
        DefaultXYZDataset cells = new DefaultXYZDataset();
        double[][] values = new double[3][map.cells().size()];
        for (int i = 0; i < map.cells().size(); i++) {
            GridCell cell = map.cells().get(i);
            values[0][i] = cell.longitude();
            values[1][i] = cell.latitude();
            values[2][i] = cell.events();
        }
        cells.addSeries("events per cell", values);
        XYBlockRenderer grid = new XYBlockRenderer();
        grid.setBlockWidth(map.cellSize());
        grid.setBlockHeight(map.cellSize());
        grid.setPaintScale(scale);

        XYPlot plot = new XYPlot(cells, longitude, latitude, grid);
        plot.setBackgroundPaint(SEA);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setOutlinePaint(BORDER);
        // outlines behind the cells, so that the cells stay readable
        for (Outline neighbour : map.neighbours()) {
            grid.addAnnotation(new XYShapeAnnotation(neighbour.path(), new BasicStroke(0.8f), BORDER, LAND), Layer.BACKGROUND);
        }
        map.outline().ifPresent(outline ->
                grid.addAnnotation(new XYShapeAnnotation(outline.path(), new BasicStroke(1.2f), COUNTRY_BORDER, COUNTRY), Layer.BACKGROUND));

        XYSeries cities = new XYSeries("cities", false, true);
        for (City city : map.cities()) {
            cities.add(city.longitude(), city.latitude());
            XYTextAnnotation label = new XYTextAnnotation("  " + city.name(), city.longitude(), city.latitude());
            label.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            label.setPaint(INK);
            label.setBackgroundPaint(new Color(255, 255, 255, 170));
            label.setTextAnchor(TextAnchor.HALF_ASCENT_LEFT);
            plot.addAnnotation(label);
        }
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        dots.setSeriesPaint(0, INK);
        dots.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        plot.setDataset(1, new XYSeriesCollection(cities));
        plot.setRenderer(1, dots);

        JFreeChart chart = chart(title, plot, false);
        chart.addSubtitle(new TextTitle(mapSubtitle(map), SMALL));
        if (!map.cells().isEmpty()) {
            LogAxis legendAxis = new LogAxis("events per cell");
            legendAxis.setRange(1, Math.max(2, maximum));
            legendAxis.setTickUnit(new NumberTickUnit(1));
            legendAxis.setMinorTickMarksVisible(true);
            legendAxis.setNumberFormatOverride(NumberFormat.getIntegerInstance(Locale.US));
            legendAxis.setTickLabelFont(SMALL);
            PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
            legend.setPosition(RectangleEdge.RIGHT);
            legend.setMargin(new RectangleInsets(10, 10, 40, 10));
            legend.setStripWidth(14);
            chart.addSubtitle(legend);
        }
        // keep shapes in proportion: a degree of longitude is cos(latitude) of a degree of latitude
        int plotWidth = WIDTH - 200;
        double ratio = map.view().height() / (map.view().width() * map.view().aspectScale());
        int height = (int) Math.round(Math.min(1400, Math.max(360, plotWidth * ratio + 150)));
        return png(chart, WIDTH, height);
    }

    private static String mapSubtitle(CountryMap map)
    {
        String counts = String.format(Locale.US, "%,d events, %,d devices; %,d located in %,d cells of %s°; %,d without a location",
                map.events(), map.devices(), map.locatedEvents(), map.cells().size(), trim(map.cellSize()), map.unlocatedEvents());
        // the note names the country, which an image shows as a label (the page says it whole)
        return map.note(ReportImages::label).map(note -> note + "  " + counts).orElse(counts);
    }

    private static String trim(double value)
    {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    private static void style(CategoryPlot plot)
    {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xd8dde1));
        plot.setOutlineVisible(false);
    }

    private static JFreeChart chart(String title, Plot plot, boolean legend)
    {
        JFreeChart chart = new JFreeChart(title, TITLE, plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        return chart;
    }

    private static byte[] png(JFreeChart chart, int width, int height)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // the PNG encoder (ImageIO) buffers in a temporary file unless told not to, and a killed
        // report would leave it in the temp folder; the images are small, memory serves
        ImageIO.setUseCache(false);
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The page's colours for 1 to {@code maximum} events, evenly spread over the logarithm. */
    private record LogPaintScale(long maximum)
            implements PaintScale
    {
        @Override
        public double getLowerBound()
        {
            return 1;
        }

        @Override
        public double getUpperBound()
        {
            return Math.max(2, maximum);
        }

        @Override
        public Paint getPaint(double value)
        {
            // interpolated between the palette's stops, as ECharts' continuous visual map does
            double share = Math.min(1, Math.max(0, Math.log(Math.max(1, value)) / Math.log(getUpperBound())));
            double position = share * (DENSITY.length - 1);
            int low = (int) Math.floor(position);
            int high = Math.min(DENSITY.length - 1, low + 1);
            double t = position - low;
            Color from = DENSITY[low];
            Color to = DENSITY[high];
            return new Color(
                    (int) Math.round(from.getRed() + (to.getRed() - from.getRed()) * t),
                    (int) Math.round(from.getGreen() + (to.getGreen() - from.getGreen()) * t),
                    (int) Math.round(from.getBlue() + (to.getBlue() - from.getBlue()) * t));
        }
    }
}
