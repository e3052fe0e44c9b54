package org.eventetl.geo;

import java.awt.geom.Path2D;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A country's shape from Natural Earth.
 *
 * @param id the ISO 3166-1 numeric code, or empty for the few areas without one (Kosovo, N. Cyprus…)
 */
public record Outline(String id, String name, List<Polygon> polygons)
{
    /** A part smaller than this share of the largest is an island far off, not what the map should frame. */
    private static final double MAIN_PART_SHARE = 0.01;

    public Outline
    {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        polygons = List.copyOf(requireNonNull(polygons, "polygons is null"));
    }

    /**
     * The box around the country's main parts: South Africa's includes the mainland and Lesotho's
     * surroundings but not the Prince Edward Islands, 1,700 km south-east, which would shrink the
     * mainland to a corner of its map.
     */
    public Optional<BoundingBox> mainBounds()
    {
        double largest = polygons.stream().mapToDouble(Polygon::area).max().orElse(0);
        return polygons.stream()
                .filter(polygon -> polygon.area() >= largest * MAIN_PART_SHARE)
                .map(Polygon::bounds)
                .reduce(BoundingBox::union);
    }

    /** The outline as one even-odd path in degrees (x longitude, y latitude), so that holes (Lesotho in South Africa) stay holes. */
    public Path2D path()
    {
        Path2D.Double path = new Path2D.Double(Path2D.WIND_EVEN_ODD);
        for (Polygon polygon : polygons) {
            for (double[] ring : polygon.rings()) {
                path.moveTo(ring[0], ring[1]);
                for (int i = 2; i < ring.length; i += 2) {
                    path.lineTo(ring[i], ring[i + 1]);
                }
                path.closePath();
            }
        }
        return path;
    }

    /** Only the parts that reach into {@code box}, so that a map of Ghana does not carry all of Russia. */
    public Outline within(BoundingBox box)
    {
        return new Outline(id, name, polygons.stream().filter(polygon -> polygon.bounds().intersects(box)).toList());
    }
}
