package org.eventetl.plan;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eventetl.model.UserException;

/**
 * The file-name grammar of a step, {@code V<version>__<name>.sql}: the one place that knows it.
 * Versions compare as numbers, so V10 runs after V9.
 */
public record StepName(int version, String name)
{
    public static final String EXAMPLE = "V1__orders.sql";
    private static final Pattern GRAMMAR = Pattern.compile("V([1-9][0-9]{0,8})__([a-z][a-z0-9_]*)\\.sql");

    public StepName
    {
        if (version < 1) {
            throw new IllegalArgumentException("version must be positive: " + version);
        }
    }

    public static StepName parse(String fileName)
    {
        Matcher matcher = GRAMMAR.matcher(fileName);
        if (!matcher.matches()) {
            throw new UserException("step file '" + fileName + "' does not follow V<version>__<name>.sql (a version of digits without a leading zero; a name of a-z, 0-9 and _ that starts with a letter), e.g. " + EXAMPLE);
        }
        return new StepName(Integer.parseInt(matcher.group(1)), matcher.group(2));
    }

    public String fileName()
    {
        return "V" + version + "__" + name + ".sql";
    }
}
