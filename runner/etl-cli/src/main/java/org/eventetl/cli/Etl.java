package org.eventetl.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

import org.eventetl.model.TerminalText;
import org.eventetl.model.UserException;

import static java.util.Objects.requireNonNull;

/**
 * {@code etl <command> [flags]}: parses the command line, runs the command, and turns every
 * failure into one line and an exit code (docs/operations.md, "Exit codes"). Stack traces only with --verbose.
 * How a failure maps to its exit code and line is {@link Failure}'s.
 */
public final class Etl
{
    /** The argument names of the flags that take a number (N a count, R a ratio, S seconds or a seed, F files), as each command's options declare them. */
    private static final Set<String> NUMBER_ARGUMENTS = Set.of("N", "R", "S", "F");

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
        if (args.length >= 2 && List.of("help", "--help", "-h").contains(args[0])) {
            // "etl help load" (or "etl --help load") as "etl load --help", which refuses a misspelt command as "etl laod" does
            if (args.length > 2) {
                console.err().println("etl: unexpected argument '" + args[2] + "' (etl " + args[0] + " " + args[1] + ")");
                return ExitCode.REFUSED;
            }
            return run(args[1], "--help");
        }
        if (args.length >= 1 && args[0].equals("--version")) {
            if (args.length > 1) {
                console.err().println("etl: unexpected argument '" + args[1] + "' (etl --version takes none)");
                return ExitCode.REFUSED;
            }
            console.out().println(version());
            return ExitCode.DONE;
        }
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
        // watched: a command that printed its document before it failed gets no second one (see fail)
        WatchedStream stdout = new WatchedStream(console.out());
        // a scheduler that reads --json on stdout gets a document on a failure too, not an empty stdout
        boolean json = options.hasLongOption("json") && Arrays.asList(args).contains("--json");
        Supplier<Optional<String>> errorDocument = () -> json && !stdout.written() ? Optional.of(command.name()) : Optional.empty();
        try {
            // no prefixes of flags: commons-cli takes --out for load's --output by default, and a load
            // given render's --out then published into that folder
            CommandLine line = DefaultParser.builder().setAllowPartialMatching(false).get().parse(options, Arrays.copyOfRange(args, 1, args.length));
            // a stray word is refused before the help too: "etl load --help partiton" was a misspelt flag, not a request to ignore
            if (!line.getArgList().isEmpty() && !command.takesArguments()) {
                throw new UserException("unexpected argument '" + line.getArgList().get(0) + "' (etl " + command.name() + " --help)");
            }
            if (line.hasOption("help")) {
                printHelp(command, options);
                return ExitCode.DONE;
            }
            refuseRepeatedFlags(line, command);
            refuseFlagLikeValues(line, command);
            return command.run(line, new Console(new PrintStream(stdout, true, StandardCharsets.UTF_8), console.err(), console.home(), console.interactive()));
        }
        catch (MissingArgumentException e) {
            // the parser's "Missing argument for option: partition" names the flag without its dashes
            return fail(errorDocument.get(), ExitCode.REFUSED, "--" + e.getOption().getLongOpt() + " needs a value (etl " + command.name() + " --help)", e, false);
        }
        catch (ParseException e) {
            // a usage mistake: the parser's stack trace would only bury the one line, --verbose or not
            return fail(errorDocument.get(), ExitCode.REFUSED, e.getMessage() + " (etl " + command.name() + " --help)", e, false);
        }
        catch (Exception | OutOfMemoryError e) {
            Failure failure = Failure.of(e);
            return fail(errorDocument.get(), failure.exitCode(), failure.line(), e, verbose && failure.traceSays());
        }
    }

    /**
     * A flag that takes one value and is given twice is refused: the parser would keep the first
     * silently, and a scheduler's command line that says --partition twice is a mistake either way.
     */
    private static void refuseRepeatedFlags(CommandLine line, Command command)
    {
        Set<String> seen = new HashSet<>();
        for (Option option : line.getOptions()) {
            if (option.hasArg() && !seen.add(option.getLongOpt())) {
                throw new UserException("--" + option.getLongOpt() + " is given more than once (" + String.join(", ", line.getOptionValues(option.getLongOpt()))
                        + "); give it once (etl " + command.name() + " --help)");
            }
        }
    }

    /**
     * A value that starts with a dash is a flag that the parser did not know (a typo such as
     * {@code --output -x}), taken as the value of the flag before it: a load would write into a
     * folder named {@code -x}. Negative numbers pass on to the check of their flag, if it takes a
     * number ({@code --output -1} is refused too).
     */
    private static void refuseFlagLikeValues(CommandLine line, Command command)
    {
        for (Option option : line.getOptions()) {
            String value = option.getValue();
            boolean number = value != null && option.getArgName() != null && NUMBER_ARGUMENTS.contains(option.getArgName()) && value.matches("-[0-9.].*");
            if (value != null && value.startsWith("-") && !number) {
                throw new UserException("--" + option.getLongOpt() + " " + value + ": a value may not start with '-' (a misspelled flag?);"
                        + " for a file or folder so named, write ./" + value + " (etl " + command.name() + " --help)");
            }
        }
    }

    /**
     * Says a failure in one line on stderr (a message of several lines, an engine's say, is joined);
     * with {@code --json} ({@code json} names the command, unless it printed its own document before it
     * failed: a load whose report failed after its summary, say; stdout stays one document), also as
     * a document on stdout: {@code error} (that line, without "etl: ") and {@code exit_code}.
     */
    private int fail(Optional<String> json, int code, String message, Throwable e, boolean verbose)
    {
        String line = TerminalText.oneLine(String.valueOf(message));
        console.err().println("etl: " + line);
        if (json.isPresent()) {
            Map<String, Object> document = CommandJson.document(json.get());
            document.put("error", line);
            document.put("exit_code", code);
            CommandJson.print(console.out(), document);
        }
        if (verbose) {
            e.printStackTrace(console.err());
        }
        return code;
    }

    /**
     * The runner's version and its engines' drivers, as Maven built them ({@code version.properties},
     * filtered by runner/etl-cli/pom.xml), and the Java that runs it: what a bug report needs.
     */
    static String version()
    {
        Properties versions = new Properties();
        try (InputStream in = Etl.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                versions.load(in);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "etl " + versions.getProperty("etl", "(unknown version)") + " (duckdb_jdbc " + versions.getProperty("duckdb_jdbc", "?") + ", trino-jdbc "
                + versions.getProperty("trino_jdbc", "?") + ", Java " + Runtime.version() + ")";
    }

    private void printOverview(PrintStream stream)
    {
        stream.println("usage: etl <command> [flags]      (etl <command> --help for its flags; etl --version)");
        stream.println();
        for (Command command : commands.values()) {
            stream.printf("  %-8s %s%n", command.name(), command.summary());
        }
        stream.println();
        stream.printf("exit codes: %d done, %d a step, an audit or the publish failed, %d refused (bad usage or input; nothing ran), %d status: not all current,%n",
                ExitCode.DONE, ExitCode.STEP_FAILED, ExitCode.REFUSED, ExitCode.NOT_CURRENT);
        stream.printf("            %d a bug in etl (rerun with --verbose and report it), %d hung up (SIGHUP), %d interrupted (Ctrl-C), %d stopped (SIGTERM)%n",
                ExitCode.INTERNAL_ERROR, ExitCode.HUNG_UP, ExitCode.INTERRUPTED, ExitCode.TERMINATED);
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

    /** Passes bytes through, and remembers whether any went. */
    private static final class WatchedStream
            extends FilterOutputStream
    {
        private boolean written;

        WatchedStream(OutputStream out)
        {
            super(out);
        }

        @Override
        public void write(int b)
                throws IOException
        {
            written = true;
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length)
                throws IOException
        {
            written |= length > 0;
            out.write(bytes, offset, length);
        }

        boolean written()
        {
            return written;
        }
    }
}
