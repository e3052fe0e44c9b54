package org.eventetl.engine;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.eventetl.model.TerminalText;

import static java.util.Objects.requireNonNull;

/**
 * The first rows a query returned, as text (an audit's violations), and whether there were more
 * than were kept.
 */
public record QueryRows(List<String> columns, List<List<String>> rows, boolean more)
{
    public QueryRows
    {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        rows = rows.stream().map(List::copyOf).toList();
    }

    /** The first {@code maxRows} rows of a JDBC result, as text, and whether there were more. */
    public static QueryRows of(ResultSet result, int maxRows)
            throws SQLException
    {
        ResultSetMetaData metadata = result.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= metadata.getColumnCount(); i++) {
            columns.add(metadata.getColumnName(i));
        }
        List<List<String>> rows = new ArrayList<>();
        boolean more = false;
        while (result.next()) {
            if (rows.size() == maxRows) {
                more = true;
                break;
            }
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= columns.size(); i++) {
                row.add(String.valueOf(result.getObject(i)));
            }
            rows.add(row);
        }
        return new QueryRows(columns, rows, more);
    }

    public boolean isEmpty()
    {
        return rows.isEmpty();
    }

    /**
     * A row as {@code column=value, …}, which reads well in a one-line message; a row of one column is
     * its value. Each value is {@link TerminalText#shortened}.
     */
    public String describe(int row)
    {
        if (columns.size() == 1) {
            return TerminalText.shortened(rows.get(row).get(0));
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                text.append(", ");
            }
            // a value is the data's (a country, say): printed, and kept in the history, as one short line
            text.append(columns.get(i)).append('=').append(TerminalText.shortened(rows.get(row).get(i)));
        }
        return text.toString();
    }
}
