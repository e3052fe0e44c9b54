package org.eventetl.geo;

/** A box in degrees, west to east and south to north; never crosses the antimeridian. */
public record BoundingBox(double west, double south, double east, double north)
{
    public BoundingBox
    {
        if (!(west <= east && south <= north)) {
            throw new IllegalArgumentException("not a box: " + west + ", " + south + ", " + east + ", " + north);
        }
    }

    public static BoundingBox around(double longitude, double latitude)
    {
        return new BoundingBox(longitude, latitude, longitude, latitude);
    }

    public BoundingBox including(double longitude, double latitude)
    {
        return new BoundingBox(Math.min(west, longitude), Math.min(south, latitude), Math.max(east, longitude), Math.max(north, latitude));
    }

    public BoundingBox union(BoundingBox other)
    {
        return new BoundingBox(Math.min(west, other.west), Math.min(south, other.south), Math.max(east, other.east), Math.max(north, other.north));
    }

    public boolean intersects(BoundingBox other)
    {
        return west <= other.east && other.west <= east && south <= other.north && other.south <= north;
    }

    public boolean contains(double longitude, double latitude)
    {
        return longitude >= west && longitude <= east && latitude >= south && latitude <= north;
    }

    /** Grown by {@code fraction} of its size on every side, and by at least {@code minimumDegrees}. */
    public BoundingBox padded(double fraction, double minimumDegrees)
    {
        double dx = Math.max(width() * fraction, minimumDegrees);
        double dy = Math.max(height() * fraction, minimumDegrees);
        return new BoundingBox(Math.max(-180, west - dx), Math.max(-90, south - dy), Math.min(180, east + dx), Math.min(90, north + dy));
    }

    public double width()
    {
        return east - west;
    }

    public double height()
    {
        return north - south;
    }

    /**
     * How much shorter a degree of longitude is than a degree of latitude in the middle of the box:
     * the factor an equirectangular map needs so that shapes keep their proportions there.
     */
    public double aspectScale()
    {
        return Math.max(0.2, Math.cos(Math.toRadians((south + north) / 2)));
    }
}
