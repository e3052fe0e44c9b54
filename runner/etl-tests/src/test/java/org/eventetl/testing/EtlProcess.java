package org.eventetl.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code etl} as a real process, for what only a process can show: a kill -9, a SIGSTOP past a
 * lease. It can be stopped at a pause point (ETL_TEST_PAUSE_AT, see PausePoints) and waits for a
 * text on its stderr before the test acts.
 */
public final class EtlProcess
{
    /**
     * Every process started, killed when the test JVM exits: one a failed test left paused or
     * stopped (SIGSTOP) would otherwise outlive the build, holding its lease and its pause point.
     */
    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly), "etl-process-reaper"));
    }

    private final Process process;
    /** Where its stdout goes: a file, which a process that prints much cannot fill as it fills a pipe. */
    private final Path out;
    private final BufferedReader err;
    private final StringBuilder seen = new StringBuilder();

    private EtlProcess(Process process, Path out)
    {
        this.process = process;
        this.out = out;
        this.err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code etl args…} with {@code environment} added to this one's (e.g. a pause point, AWS credentials). */
    public static EtlProcess start(Map<String, String> environment, List<String> args)
            throws IOException
    {
        return startIn(Loads.home(), environment, args);
    }

    /** {@link #start}, for the project at {@code home}. */
    public static EtlProcess startIn(Path home, Map<String, String> environment, List<String> args)
            throws IOException
    {
        ProcessBuilder builder = new ProcessBuilder(Cli.processCommandIn(home, args.toArray(String[]::new)));
        builder.environment().putAll(environment);
        Path out = Files.createTempFile("etl-process-", ".out");
        out.toFile().deleteOnExit();
        builder.redirectOutput(out.toFile());
        Process process = builder.start();
        STARTED.add(process);
        process.onExit().thenRun(() -> STARTED.remove(process));
        return new EtlProcess(process, out);
    }

    /** Reads stderr until it shows {@code text}; fails when the process ends first or after two minutes. */
    public void awaitErr(String text)
            throws Exception
    {
        CompletableFuture<Boolean> found = CompletableFuture.supplyAsync(() -> {
            try {
                int next;
                while ((next = err.read()) >= 0) {
                    seen.append((char) next);
                    if (seen.indexOf(text) >= 0) {
                        return true;
                    }
                }
                return false;
            }
            catch (IOException e) {
                return false;
            }
        });
        if (!found.get(2, TimeUnit.MINUTES)) {
            throw new AssertionError("etl ended before it showed '" + text + "'; it showed: " + seen);
        }
    }

    /** kill -9, and waits for the process to be gone. */
    public void kill()
            throws InterruptedException
    {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends a signal (STOP, CONT) with kill(1). */
    public void signal(String signal)
            throws Exception
    {
        if (new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor() != 0) {
            throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Waits for the exit; returns the exit code, stdout and the rest of stderr. */
    public Finished await()
            throws Exception
    {
        String rest = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("etl did not exit within a minute");
        }
        String printed = Files.readString(out);
        Files.deleteIfExists(out);
        return new Finished(process.exitValue(), printed, seen + rest);
    }

    public record Finished(int code, String out, String err) {}
}
