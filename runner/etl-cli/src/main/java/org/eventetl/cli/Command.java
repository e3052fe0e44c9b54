package org.eventetl.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** One sub-command of {@code etl}: its flags and what it does with them. */
interface Command
{
    String name();

    /** One line for {@code etl --help}. */
    String summary();

    /** The usage line after {@code etl <name>}, e.g. {@code --partition P [--output DIR]}. */
    String usage();

    Options options();

    /** Whether words other than flags follow the command ({@code etl show <dataset>}); the others refuse any. */
    default boolean takesArguments()
    {
        return false;
    }

    int run(CommandLine line, Console console)
            throws Exception;
}
