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

    int run(CommandLine line, Console console)
            throws Exception;
}
