package org.eventetl.geo;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A polygon as GeoJSON has it: an exterior ring, then its holes. A ring is closed (the first
 * point repeated last) and stored as longitude, latitude pairs one after the other.
 */
public record Polygon(List<double[]> rings)
{
    public Polygon
    {
        rings = List.copyOf(requireNonNull(rings, "rings is null"));
        if (rings.isEmpty()) {
            throw new IllegalArgumentException("a polygon needs an exterior ring");
        }
    }

    public double[] exterior()
    {
        return rings.get(0);
    }

    public BoundingBox bounds()
    {
        double[] ring = exterior();
        BoundingBox box = BoundingBox.around(ring[0], ring[1]);
        for (int i = 2; i < ring.length; i += 2) {
            box = box.including(ring[i], ring[i + 1]);
        }
        return box;
    }

    /** The exterior ring's area in square degrees: only to compare a country's parts with each other. */
    public double area()
    {
        double[] ring = exterior();
        double twice = 0;
        for (int i = 0; i + 3 < ring.length; i += 2) {
            twice += ring[i] * ring[i + 3] - ring[i + 2] * ring[i + 1];
        }
        return Math.abs(twice) / 2;
    }
}
