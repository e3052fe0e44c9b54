package org.eventetl.cli;

import org.eventetl.model.UserException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

import org.eventetl.model.LoadFailedException;
import org.eventetl.model.StepFailedException;

import static java.util.Objects.requireNonNull;

/**
 * {@code etl <command> [flags]}: parses the command line, runs the command, and turns every
 * failure into one line and an exit code (design section 6). Stack traces only with --verbose.
 */
public final class Etl
{
    private final Console console;
    private final Map<String, Command> commands = new LinkedHashMap<>();

    public Etl(Console console)
    {
        this.console = requireNonNull(console, "console is null");
        for (Command command : List.of(new LintCommand(), new LoadCommand(), new RenderCommand(), new ReportCommand(), new SampleCommand(), new ShowCommand(),
                new StatusCommand(), new ValidateCommand(), new BackfillCommand(), new RepairCommand())) {
            commands.put(command.name(), command);
        }
    }

    public static void main(String[] args)
    {
        System.exit(new Etl(new Console(System.out, System.err, home(), System.console() != null)).run(args));
    }

    public int run(String... args)
    {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            printOverview(args.length == 0 ? console.err() : console.out());
            return args.length == 0 ? ExitCode.REFUSED : ExitCode.DONE;
        }
        Command command = commands.get(args[0]);
        if (command == null) {
            console.err().println("etl: unknown command '" + args[0] + "'; commands: " + String.join(", ", commands.keySet()) + " (etl --help)");
            return ExitCode.REFUSED;
        }
        Options options = command.options()
                .addOption(Option.builder("h").longOpt("help").desc("show this help").get())
                .addOption(Option.builder().longOpt("verbose").desc("print stack traces of failures").get());
        boolean verbose = Arrays.asList(args).contains("--verbose");
        try {
            CommandLine line = new DefaultParser().parse(options, Arrays.copyOfRange(args, 1, args.length));
            if (line.hasOption("help")) {
                printHelp(command, options);
                return ExitCode.DONE;
            }
            if (!line.getArgList().isEmpty() && !command.name().equals("show")) {
                throw new UserException("unexpected argument '" + line.getArgList().get(0) + "' (etl " + command.name() + " --help)");
            }
            return command.run(line, console);
        }
        catch (ParseException e) {
            return fail(ExitCode.REFUSED, e.getMessage() + " (etl " + command.name() + " --help)", e, verbose);
        }
        catch (UserException e) {
            return fail(ExitCode.REFUSED, e.getMessage(), e, verbose);
        }
        catch (LoadFailedException | StepFailedException e) {
            return fail(ExitCode.STEP_FAILED, e.getMessage(), e, verbose);
        }
        catch (Exception e) {
            return fail(ExitCode.STEP_FAILED, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage() + " (rerun with --verbose for details)", e, verbose);
        }
    }

    private int fail(int code, String message, Exception e, boolean verbose)
    {
        console.err().println("etl: " + message);
        if (verbose) {
            e.printStackTrace(console.err());
        }
        return code;
    }

    private void printOverview(PrintStream stream)
    {
        stream.println("usage: etl <command> [flags]      (etl <command> --help for its flags)");
        stream.println();
        for (Command command : commands.values()) {
            stream.printf("  %-8s %s%n", command.name(), command.summary());
        }
        stream.println();
        stream.println("exit codes: 0 done, 1 a step failed, 2 refused (bad usage or input; nothing ran)");
    }

    private void printHelp(Command command, Options options)
    {
        PrintWriter writer = new PrintWriter(console.out(), true);
        HelpFormatter formatter = HelpFormatter.builder().get();
        writer.println("usage: etl " + command.name() + " " + command.usage());
        writer.println(command.summary());
        writer.println();
        formatter.printOptions(writer, 100, options, 2, 2);
        writer.flush();
    }

    /** The project folder holding sql/ and templates/: -Detl.home (set by bin/etl), else ETL_HOME, else here. */
    static Path home()
    {
        String home = System.getProperty("etl.home", System.getenv("ETL_HOME"));
        return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
    }
}
