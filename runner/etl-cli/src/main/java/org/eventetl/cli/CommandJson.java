package org.eventetl.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.eventetl.model.Json;

/**
 * The one style of every {@code --json} (load, status, backfill, validate), for schedulers and
 * scripts: one JSON object on stdout whose first fields are {@code "format_version"} (raised when a
 * field changes meaning or goes away; fields may be added within a version) and {@code "command"},
 * with snake_case keys at every depth (records such as a history entry included) and times as
 * ISO-8601 text in UTC. The fields of each command are listed where it builds its document.
 */
final class CommandJson
{
    static final int FORMAT_VERSION = 1;

    private CommandJson() {}

    /** A command's document, to which it adds its own fields in the order they should print. */
    static Map<String, Object> document(String command)
    {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("format_version", FORMAT_VERSION);
        document.put("command", command);
        return document;
    }

    static void print(PrintStream out, Map<String, Object> document)
    {
        try {
            out.println(Json.MAPPER.writeValueAsString(document));
        }
        catch (JsonProcessingException e) {
            // every value is a map, a list, a record, text, a number or a time: this is a bug
            throw new IllegalStateException("cannot write the --json document", e);
        }
    }
}
