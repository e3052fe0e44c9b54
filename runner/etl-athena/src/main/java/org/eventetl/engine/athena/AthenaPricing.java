package org.eventetl.engine.athena;

/**
 * What one query costs on Athena: the bytes it scanned, rounded up to the megabyte, at least 10 MB
 * for a query that scanned anything, at the workgroup's price per terabyte. DDL and queries that
 * scan nothing (Athena reports 0 bytes for them) cost nothing. Units are decimal (1 MB = 10^6
 * bytes, 1 TB = 10^12), as the summary's "scanned MB" column counts them.
 */
public final class AthenaPricing
{
    public static final long MINIMUM_BYTES = 10_000_000;
    private static final long MEGABYTE = 1_000_000;
    private static final double TERABYTE = 1e12;

    private AthenaPricing() {}

    public static double dollars(long bytesScanned, double pricePerTerabyte)
    {
        if (bytesScanned <= 0) {
            return 0;
        }
        long billed = Math.max(MINIMUM_BYTES, (bytesScanned + MEGABYTE - 1) / MEGABYTE * MEGABYTE);
        return billed / TERABYTE * pricePerTerabyte;
    }
}
