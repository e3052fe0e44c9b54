package org.eventetl.plan;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eventetl.model.UserException;

import static java.util.Objects.requireNonNull;

/**
 * What a load's summary shows of a step's dataset, as its header says: {@code -- summary: rows}
 * (the rows themselves, for a small dataset such as a daily count) or {@code -- summary: count by
 * <column>} (how many rows per value of a column, such as rejects per reason).
 */
public record SummaryView(Optional<String> countBy)
{
    private static final Pattern COUNT_BY = Pattern.compile("count by ([a-z][a-z0-9_]*)");

    public SummaryView
    {
        requireNonNull(countBy, "countBy is null");
    }

    public static SummaryView parse(String text, String file)
    {
        if (text.equals("rows")) {
            return new SummaryView(Optional.empty());
        }
        Matcher matcher = COUNT_BY.matcher(text);
        if (matcher.matches()) {
            return new SummaryView(Optional.of(matcher.group(1)));
        }
        throw new UserException(file + ": summary '" + text + "' is not 'rows' or 'count by <column>'");
    }

    @Override
    public String toString()
    {
        return countBy.map(column -> "count by " + column).orElse("rows");
    }
}
