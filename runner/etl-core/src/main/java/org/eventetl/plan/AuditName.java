package org.eventetl.plan;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eventetl.model.UserException;

/**
 * The file-name grammar of an audit, {@code A<number>__<name>.sql}: a query over a run's staged
 * outputs that returns the rows breaking an expectation. Numbers order the audits and compare as
 * numbers, as step versions do.
 */
public record AuditName(int number, String name)
{
    public static final String EXAMPLE = "A1__orders_not_empty.sql";
    private static final Pattern GRAMMAR = Pattern.compile("A([1-9][0-9]{0,8})__([a-z][a-z0-9_]*)\\.sql");

    public AuditName
    {
        if (number < 1) {
            throw new IllegalArgumentException("number must be positive: " + number);
        }
    }

    public static boolean looksLikeAudit(String fileName)
    {
        return fileName.startsWith("A") && fileName.endsWith(".sql");
    }

    public static AuditName parse(String fileName)
    {
        Matcher matcher = GRAMMAR.matcher(fileName);
        if (!matcher.matches()) {
            throw new UserException("audit file '" + fileName + "' does not follow A<number>__<name>.sql (a number of digits without a leading zero; a name of a-z, 0-9 and _ that starts with a letter), e.g. " + EXAMPLE);
        }
        return new AuditName(Integer.parseInt(matcher.group(1)), matcher.group(2));
    }

    /** {@code A1__events_match_event_details}, the name used in summaries, history and errors. */
    public String id()
    {
        return "A" + number + "__" + name;
    }

    public String fileName()
    {
        return id() + ".sql";
    }
}
