package org.eventetl.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eventetl.cli.Console;
import org.eventetl.cli.Etl;

/** Runs {@code etl} in-process, as a user would from a terminal, and keeps what it printed. */
public final class Cli
{
    private Cli() {}

    /** What a run printed on stdout and stderr, and its exit code. */
    public record Result(int code, String out, String err) {}

    /** The last line of a command's output: where its one-line failure is, after its progress and warnings. */
    public static String lastLine(String text)
    {
        return text.strip().lines().reduce((first, second) -> second).orElse("");
    }

    /** Runs with the project's own sql/ and templates/. */
    public static Result run(String... args)
    {
        return runIn(Loads.home(), args);
    }

    /**
     * The command that runs {@code etl args…} in a process of its own, with this JVM and class path:
     * for what only a real process shows (a signal, the rights of another user).
     */
    public static List<String> processCommand(String... args)
    {
        return processCommandIn(Loads.home(), args);
    }

    /** {@link #processCommand}, for the project at {@code home} (a copy of it with a step or callback added). */
    public static List<String> processCommandIn(Path home, String... args)
    {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "-Detl.home=" + home, "org.eventetl.cli.Etl"));
        command.addAll(List.of(args));
        return command;
    }

    /** The arguments of {@code etl <command> <arguments…>}: a command before flags that several commands share. */
    public static String[] args(String command, String... arguments)
    {
        String[] all = new String[arguments.length + 1];
        all[0] = command;
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        return all;
    }

    /** Runs with the sql/ and templates/ under {@code home} (a copy a test may edit). */
    public static Result runIn(Path home, String... args)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Etl(new Console(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), home, false)).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
