package org.eventetl.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import org.eventetl.storage.LocalFolders;

/**
 * A real Trino cluster on loopback, a coordinator that schedules no work and one worker, started by
 * {@code bin/trino-stack start-trino} (the same script and configuration as {@code make trino-up})
 * against an S3Proxy that the test runs in-process.
 * Where no JDK 24+ exists for Trino 476, the test is skipped with one {@code SKIPPED: …} line.
 */
public final class TrinoServer
        implements AutoCloseable
{
    private final Path work;
    private final List<Long> pids;
    private final int port;

    private TrinoServer(Path work, List<Long> pids, int port)
    {
        this.work = work;
        this.pids = List.copyOf(pids);
        this.port = port;
    }

    public static TrinoServer start(S3ProxyServer s3)
            throws IOException, InterruptedException
    {
        Path script = Loads.home().resolve("bin/trino-stack");
        Process java = new ProcessBuilder(script.toString(), "java").redirectErrorStream(true).start();
        String found = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (java.waitFor() != 0) {
            System.out.println(found.lines().filter(line -> line.startsWith("SKIPPED")).findFirst().orElse("SKIPPED: no JDK for Trino: " + found));
            Assumptions.abort(found);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path work = Files.createTempDirectory("trino");
        Process start = new ProcessBuilder(List.of(script.toString(), "start-trino", "--s3-endpoint", s3.endpoint().toString(),
                "--port", Integer.toString(port), "--work", work.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!start.waitFor(300, TimeUnit.SECONDS) || start.exitValue() != 0) {
            throw new IllegalStateException("Trino did not start (exit " + start.exitValue() + "): " + output);
        }
        String pids = output.lines().reduce((first, second) -> second).orElseThrow().strip();
        return new TrinoServer(work, Arrays.stream(pids.split(" ")).map(Long::parseLong).toList(), port);
    }

    public String url()
    {
        return "jdbc:trino://127.0.0.1:" + port;
    }

    @Override
    public void close()
            throws InterruptedException, IOException
    {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(process -> {
                process.destroy();
                process.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(failure -> {
                    process.destroyForcibly();
                    return process;
                }).join();
            });
        }
        // the coordinator's and the worker's data, logs and catalogs: ~10 MB per test run otherwise left in the temp folder
        LocalFolders.deleteTree(work);
    }

    public Path work()
    {
        return work;
    }
}
