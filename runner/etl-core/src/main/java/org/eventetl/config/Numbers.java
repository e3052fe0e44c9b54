package org.eventetl.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a number is read from a flag or a setting, the same for every one: decimal digits only, an
 * optional sign, fraction and exponent for a number, and {@code _} between digits to group them
 * ({@code 1_800}). Java's own parsers would also take {@code 5d}, {@code 0x1p3} or {@code NaN}.
 */
public final class Numbers
{
    private static final Pattern WHOLE = Pattern.compile("[-+]?[0-9](_?[0-9])*");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9](_?[0-9])*)?(\\.([0-9](_?[0-9])*)?)?([eE][-+]?[0-9]+)?");

    private Numbers() {}

    /** The whole number {@code text} writes; empty when it is none, or does not fit in a long. */
    public static Optional<Long> whole(String text)
    {
        if (!WHOLE.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(text.replace("_", "")));
        }
        catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The finite number {@code text} writes; empty when it is none. */
    public static Optional<Double> decimal(String text)
    {
        if (!DECIMAL.matcher(text).matches() || !text.matches(".*[0-9].*")) {
            return Optional.empty();
        }
        double value = Double.parseDouble(text.replace("_", ""));
        return Double.isFinite(value) ? Optional.of(value) : Optional.empty();
    }
}
