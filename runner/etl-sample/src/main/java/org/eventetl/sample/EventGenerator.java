package org.eventetl.sample;

import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;

import org.eventetl.geo.Cities;
import org.eventetl.geo.City;

import static java.util.Objects.requireNonNull;

/**
 * Writes hydra-like tracking events, one JSON object a line, about 300 bytes each.
 * <p>
 * Devices are a fixed pool derived from the seed: each lives near a city of Ghana or South Africa,
 * comes back many times a day (a skewed pick), and a few travel between the two countries. Every
 * optional field is dirty with probability {@code nullRatio} (missing, null, empty, wrong type,
 * odd case and spaces) and a line is not a JSON object with probability {@code malformedRatio}.
 * The same seed and file index always give the same bytes.
 */
final class EventGenerator
{
    private static final double[] HOUR_WEIGHTS = {
            1, 0.6, 0.4, 0.3, 0.4, 0.8, 1.6, 2.6, 3.2, 3.4, 3.5, 3.6,
            3.8, 3.7, 3.5, 3.4, 3.5, 3.8, 4.2, 4.6, 4.4, 3.6, 2.6, 1.6};
    private static final String[] ACTIONS = {"view_item", "view_listing", "search", "reply_chat", "favourite", "home", "post_ad"};
    private static final String[] CATEGORIES = {"101", "203", "362", "415", "508", "611", "777"};
    private static final String[] GARBAGE = {
            "<html><body>502 Bad Gateway</body></html>",
            "#### tracker restarted ####",
            "null",
            "\"just a string\"",
            "42"};

    private final SplittableRandom random;
    private final long seed;
    private final long devicePool;
    private final double nullRatio;
    private final double malformedRatio;
    private final long dayStartEpochSecond;
    private final String[] deviceIds;
    private final double[] hourCumulative = cumulative(HOUR_WEIGHTS);
    private final List<City> ghana = Cities.of("GH");
    private final List<City> southAfrica = Cities.of("ZA");

    EventGenerator(SampleSpec spec, SplittableRandom random)
    {
        this.random = requireNonNull(random, "random is null");
        this.seed = spec.seed();
        // about twenty events a device on average, skewed so that some devices send hundreds
        this.devicePool = Math.max(50, spec.events() / 20);
        this.deviceIds = new String[(int) Math.min(Integer.MAX_VALUE - 8, devicePool)];
        this.nullRatio = spec.nullRatio();
        this.malformedRatio = spec.malformedRatio();
        this.dayStartEpochSecond = spec.partition().day().atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }

    /** Appends one line, ending in a newline: an event, or now and then a malformed or blank line. */
    void appendLine(AsciiBuffer out)
    {
        if (malformedRatio > 0 && random.nextDouble() < malformedRatio) {
            appendMalformed(out);
        }
        else {
            appendEvent(out);
        }
        out.append('\n');
        if (malformedRatio > 0 && random.nextDouble() < malformedRatio / 4) {
            out.append(random.nextBoolean() ? "\n" : "   \n");
        }
    }

    private void appendMalformed(AsciiBuffer out)
    {
        switch (random.nextInt(3)) {
            case 0 -> {
                // a line cut short, as a crashed writer leaves it
                int start = out.length();
                appendEvent(out);
                out.truncate(start + 10 + random.nextInt(Math.max(1, (out.length() - start) / 2)));
            }
            case 1 -> out.append(GARBAGE[random.nextInt(GARBAGE.length)]);
            default -> out.append("[{\"meta\":{\"session_long\":\"").append(deviceId(random.nextLong(devicePool))).append("\"}}]");
        }
    }

    private void appendEvent(AsciiBuffer out)
    {
        long device = pickDevice();
        long hash = mix(seed ^ (device * 0x9E3779B97F4A7C15L));
        boolean homeInGhana = (hash & 0xFFFF) < 0.38 * 0x10000;
        boolean travels = ((hash >>> 16) & 0xFF) < 5;
        boolean inGhana = travels && random.nextDouble() < 0.3 ? !homeInGhana : homeInGhana;
        City city = inGhana == homeInGhana ? homeCity(hash, inGhana) : (inGhana ? ghana.get(0) : southAfrica.get(0));

        long second = pickSecondOfDay();
        out.append("{\"meta\":{\"session_long\":");
        appendDirtyString(out, deviceId(device), false);
        out.append(",\"session\":\"").append(Long.toHexString(mix(hash + second / 1800))).append('"');
        out.append(",\"date\":");
        appendDate(out, second, inGhana);
        out.append(",\"event_type\":\"").append(random.nextInt(10) == 0 ? "session_start" : "action").append('"');
        out.append(",\"version\":\"5.").append(hash >>> 60).append('.').append((hash >>> 56) & 7).append("\"}");

        out.append(",\"params\":{\"cc\":");
        appendCountry(out, inGhana ? "gh" : "za");
        if (!dirty()) {
            double jitter = 0.02 + 0.2 * unit(hash >>> 24);
            double latitude = city.latitude() + gaussian(hash >>> 8) * jitter * 2 + random.nextGaussian() * 0.004;
            double longitude = city.longitude() + gaussian(hash >>> 20) * jitter * 2 + random.nextGaussian() * 0.004;
            out.append(",\"long\":");
            appendDirtyNumber(out, longitude);
            out.append(",\"lat\":");
            appendDirtyNumber(out, latitude);
        }
        boolean loggedIn = (hash >>> 40 & 0xFF) < 150;
        if (loggedIn) {
            out.append(",\"user_id\":");
            appendDirtyString(out, Long.toString(1_000_000 + (mix(hash) & 0xFFFFFFL)), true);
        }
        out.append(",\"action_type\":\"").append(ACTIONS[random.nextInt(ACTIONS.length)]).append('"');
        out.append(",\"category_id\":\"").append(CATEGORIES[random.nextInt(CATEGORIES.length)]).append('"');
        out.append(",\"ad_id\":\"").append(200_000_000 + random.nextInt(50_000_000)).append('"');
        out.append(",\"extra\":{\"user_type\":");
        appendDirtyString(out, loggedIn ? "registered" : "guest", false);
        out.append(",\"language\":");
        appendDirtyString(out, inGhana ? "en" : ((hash >>> 48) % 5 == 0 ? "af" : "en"), false);
        out.append("}}}");
    }

    /** Skewed towards low indices: a few devices send most events, as real apps do. */
    private long pickDevice()
    {
        double u = random.nextDouble();
        return Math.min(devicePool - 1, (long) (devicePool * u * u));
    }

    private long pickSecondOfDay()
    {
        double u = random.nextDouble() * hourCumulative[23];
        int hour = 0;
        while (hourCumulative[hour] < u) {
            hour++;
        }
        return hour * 3600L + random.nextInt(3600);
    }

    private void appendDate(AsciiBuffer out, long secondOfDay, boolean inGhana)
    {
        if (dirty()) {
            switch (random.nextInt(4)) {
                case 0 -> out.append("null");
                case 1 -> out.append("\"yesterday\"");
                case 2 -> out.append(dayStartEpochSecond + secondOfDay);
                default -> out.append("\"\"");
            }
            return;
        }
        // South African apps often stamp local time with its offset; the instant is the same
        boolean local = !inGhana && random.nextInt(5) == 0;
        long epochSecond = dayStartEpochSecond + secondOfDay + (local ? 2 * 3600 : 0);
        long daysSinceEpoch = Math.floorDiv(epochSecond, 86_400);
        long secondOfLocalDay = Math.floorMod(epochSecond, 86_400);
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(daysSinceEpoch);
        out.append('"').appendPadded(date.getYear(), 4).append('-').appendPadded(date.getMonthValue(), 2)
                .append('-').appendPadded(date.getDayOfMonth(), 2).append('T')
                .appendPadded(secondOfLocalDay / 3600, 2).append(':').appendPadded(secondOfLocalDay / 60 % 60, 2)
                .append(':').appendPadded(secondOfLocalDay % 60, 2).append('.').appendPadded(random.nextInt(1000), 3)
                .append(local ? "+02:00\"" : "Z\"");
    }

    private void appendCountry(AsciiBuffer out, String code)
    {
        if (dirty()) {
            switch (random.nextInt(5)) {
                case 0 -> out.append("null");
                case 1 -> out.append("\"\"");
                case 2 -> out.append("\"  \"");
                case 3 -> out.append(233);
                default -> out.append(" \"").append(code.toUpperCase()).append(" \"");
            }
            return;
        }
        switch (random.nextInt(10)) {
            case 0 -> out.append('"').append(code.toUpperCase()).append('"');
            case 1 -> out.append("\" ").append(code).append(" \"");
            case 2 -> out.append('"').append(Character.toUpperCase(code.charAt(0))).append(code.charAt(1)).append('"');
            default -> out.append('"').append(code).append('"');
        }
    }

    private void appendDirtyString(AsciiBuffer out, String value, boolean numberIsPlausible)
    {
        if (!dirty()) {
            out.append('"').append(value).append('"');
            return;
        }
        switch (random.nextInt(4)) {
            case 0 -> out.append("null");
            case 1 -> out.append("\"\"");
            case 2 -> out.append(numberIsPlausible ? value : "{\"id\":1}");
            default -> out.append("true");
        }
    }

    private void appendDirtyNumber(AsciiBuffer out, double value)
    {
        if (!dirty()) {
            out.appendFixed(value, 5);
            return;
        }
        switch (random.nextInt(3)) {
            case 0 -> out.append("null");
            case 1 -> out.append("\"n/a\"");
            default -> out.append("false");
        }
    }

    private boolean dirty()
    {
        return nullRatio > 0 && random.nextDouble() < nullRatio;
    }

    private City homeCity(long hash, boolean inGhana)
    {
        List<City> cities = inGhana ? ghana : southAfrica;
        double u = unit(hash >>> 32);
        double total = 0;
        for (City city : cities) {
            total += city.sampleWeight();
            if (u < total) {
                return city;
            }
        }
        return cities.get(cities.size() - 1);
    }

    /** A stable, UUID-shaped device id for a pool index. */
    private String deviceId(long device)
    {
        String id = deviceIds[(int) device];
        if (id == null) {
            long high = mix(seed * 31 + device);
            long low = mix(high ^ device);
            char[] chars = new char[36];
            int at = 0;
            for (int nibble = 0; nibble < 32; nibble++) {
                if (nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20) {
                    chars[at++] = '-';
                }
                long word = nibble < 16 ? high : low;
                chars[at++] = Character.forDigit((int) (word >>> (60 - 4 * (nibble % 16))) & 0xF, 16);
            }
            id = new String(chars);
            deviceIds[(int) device] = id;
        }
        return id;
    }

    private static double unit(long bits)
    {
        return (bits & 0xFFFFFF) / (double) 0x1000000;
    }

    /** A cheap, repeatable normal-ish value from hash bits (sum of three uniforms, centred). */
    private static double gaussian(long bits)
    {
        return (unit(bits) + unit(bits >>> 8) + unit(mix(bits)) - 1.5) * 2;
    }

    private static double[] cumulative(double[] weights)
    {
        double[] sums = new double[weights.length];
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            total += weights[i];
            sums[i] = total;
        }
        return sums;
    }

    /** SplitMix64's finaliser: spreads a counter into well-mixed bits. */
    static long mix(long z)
    {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
