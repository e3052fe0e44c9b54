package org.eventetl.geo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static java.util.Objects.requireNonNull;

/**
 * The countries of Natural Earth at 1:50m, as the npm package world-atlas publishes them (TopoJSON),
 * decoded to polygons. The build fetches the package from the npm registry and puts
 * {@code countries-50m.json} on the classpath; nothing is fetched at run time.
 * <p>
 * TopoJSON stores each border once, as an "arc" of delta-encoded integer positions shared by the
 * two countries on either side; a ring lists its arcs by index, {@code ~i} for arc i reversed.
 */
public final class WorldAtlas
{
    private static final String FOLDER = "world-atlas/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String version;
    private final List<Outline> outlines;

    private WorldAtlas(String version, List<Outline> outlines)
    {
        this.version = requireNonNull(version, "version is null");
        this.outlines = List.copyOf(requireNonNull(outlines, "outlines is null"));
    }

    public static WorldAtlas load()
    {
        JsonNode topology = resource("countries-50m.json");
        String version = resource("package.json").path("version").asText("unknown");
        double[] scale = {1, 1};
        double[] translate = {0, 0};
        JsonNode transform = topology.path("transform");
        if (!transform.isMissingNode()) {
            scale = new double[] {transform.path("scale").path(0).asDouble(), transform.path("scale").path(1).asDouble()};
            translate = new double[] {transform.path("translate").path(0).asDouble(), transform.path("translate").path(1).asDouble()};
        }
        List<double[]> arcs = new ArrayList<>();
        for (JsonNode arc : topology.path("arcs")) {
            arcs.add(decodeArc(arc, scale, translate));
        }
        List<Outline> outlines = new ArrayList<>();
        for (JsonNode geometry : topology.path("objects").path("countries").path("geometries")) {
            List<Polygon> polygons = new ArrayList<>();
            switch (geometry.path("type").asText()) {
                case "Polygon" -> polygons.add(polygon(geometry.path("arcs"), arcs));
                case "MultiPolygon" -> geometry.path("arcs").forEach(polygon -> polygons.add(polygon(polygon, arcs)));
                default -> {
                    // a geometry without area (none in world-atlas' countries) has no outline to draw
                }
            }
            outlines.add(new Outline(geometry.path("id").asText(""), geometry.path("properties").path("name").asText(""), polygons));
        }
        return new WorldAtlas(version, outlines);
    }

    /** The version of the world-atlas package the outlines come from, for the page's credits. */
    public String version()
    {
        return version;
    }

    public List<Outline> outlines()
    {
        return outlines;
    }

    public Optional<Outline> byId(String numeric)
    {
        return outlines.stream().filter(outline -> outline.id().equals(numeric)).findFirst();
    }

    private static double[] decodeArc(JsonNode arc, double[] scale, double[] translate)
    {
        double[] points = new double[arc.size() * 2];
        long x = 0;
        long y = 0;
        for (int i = 0; i < arc.size(); i++) {
            x += arc.get(i).get(0).asLong();
            y += arc.get(i).get(1).asLong();
            points[2 * i] = x * scale[0] + translate[0];
            points[2 * i + 1] = y * scale[1] + translate[1];
        }
        return points;
    }

    private static Polygon polygon(JsonNode rings, List<double[]> arcs)
    {
        List<double[]> decoded = new ArrayList<>();
        for (JsonNode ring : rings) {
            decoded.add(ring(ring, arcs));
        }
        return new Polygon(decoded);
    }

    /** Joins a ring's arcs; consecutive arcs share their end point, which is kept once. */
    private static double[] ring(JsonNode arcIndexes, List<double[]> arcs)
    {
        int length = 0;
        for (JsonNode index : arcIndexes) {
            length += arcs.get(arcIndex(index.asInt())).length;
        }
        double[] ring = new double[length];
        int size = 0;
        for (JsonNode index : arcIndexes) {
            int i = index.asInt();
            double[] arc = arcs.get(arcIndex(i));
            boolean reversed = i < 0;
            int points = arc.length / 2;
            // the first point of every arc after the first repeats the previous arc's last point
            int from = size == 0 ? 0 : 1;
            for (int k = from; k < points; k++) {
                int point = reversed ? points - 1 - k : k;
                ring[size++] = arc[2 * point];
                ring[size++] = arc[2 * point + 1];
            }
        }
        return Arrays.copyOf(ring, size);
    }

    private static int arcIndex(int index)
    {
        return index < 0 ? ~index : index;
    }

    private static JsonNode resource(String name)
    {
        try (InputStream in = WorldAtlas.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("missing " + FOLDER + name + " on the classpath; the build fetches world-atlas from the npm registry (mvn package)");
            }
            return JSON.readTree(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FOLDER + name, e);
        }
    }
}
