package org.eventetl.plan;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eventetl.model.UserException;

import static java.util.Objects.requireNonNull;

/**
 * SQL that runs at a moment of a run rather than as a step, named after that moment as Flyway's
 * callbacks are: {@code afterPublish.sql} or {@code afterPublish__<description>.sql}. A callback
 * without a section for the engine has nothing to do there (unlike a step, which must have one).
 */
public record Callback(Event event, String file, String template, String checksum)
{
    private static final Pattern GRAMMAR = Pattern.compile("(after[A-Za-z]+)(?:__([a-z][a-z0-9_]*))?\\.sql");

    public Callback
    {
        requireNonNull(event, "event is null");
        requireNonNull(file, "file is null");
        requireNonNull(template, "template is null");
        requireNonNull(checksum, "checksum is null");
    }

    /** The moments a callback can run at. */
    public enum Event
    {
        /** Once the partition's datasets are published: for example, to register the partition in a catalog. */
        AFTER_PUBLISH("afterPublish"),
        /** At the end of every run whose steps started, published or failed: for example, to drop the run's staged tables. */
        AFTER_RUN("afterRun");

        private final String prefix;

        Event(String prefix)
        {
            this.prefix = prefix;
        }

        public String prefix()
        {
            return prefix;
        }
    }

    public static boolean looksLikeCallback(String fileName)
    {
        return fileName.startsWith("after") && fileName.endsWith(".sql");
    }

    /** The event a callback's file name names; a name like a callback's that names no event is refused. */
    public static Event event(String fileName)
    {
        Matcher matcher = GRAMMAR.matcher(fileName);
        if (matcher.matches()) {
            for (Event event : Event.values()) {
                if (event.prefix().equals(matcher.group(1))) {
                    return event;
                }
            }
        }
        throw new UserException("callback file '" + fileName + "' does not follow <event>.sql or <event>__<description>.sql with an event of "
                + String.join(", ", Arrays.stream(Event.values()).map(Event::prefix).toList()) + ", e.g. afterPublish__register_partitions.sql");
    }

    /** The name used in summaries and errors: the file name without {@code .sql}. */
    public String id()
    {
        String name = file.substring(file.lastIndexOf('/') + 1);
        return name.substring(0, name.length() - ".sql".length());
    }
}
