package org.eventetl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.partition.Partition;
import org.eventetl.sample.SampleSpec;
import org.eventetl.sample.SampleWriter;
import org.eventetl.testing.Loads;
import org.eventetl.testing.OutputReader;

import static org.assertj.core.api.Assertions.assertThat;

/** One writer per partition, between real processes: the runner started twice as `java … Etl load`. */
final class TestConcurrentLoads
{
    private static final Partition DAY = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09");

    @TempDir
    Path work;

    private final Map<Process, Path> logs = new HashMap<>();

    @Test
    void twoProcessesOnOnePartitionOneWritesTheOtherIsRefused()
            throws Exception
    {
        Path source = work.resolve("source");
        new SampleWriter(new SampleSpec(DAY, source, 300_000, 4, 3, 0.02, 0.001, false)).write(bytes -> {});
        Path output = work.resolve("output");

        Process first = start(source, output, "120");
        Process second = start(source, output, "120");
        int firstCode = await(first);
        int secondCode = await(second);

        assertThat(List.of(firstCode, secondCode)).containsExactlyInAnyOrder(ExitCode.DONE, ExitCode.REFUSED);
        String refusal = firstCode == ExitCode.REFUSED ? stderr(first) : stderr(second);
        assertThat(refusal).contains("is being loaded by run").contains("pid");

        Path single = work.resolve("single");
        Loads.load(DAY, source, single, 0.01);
        assertThat(new OutputReader(output, DAY).dau()).isNotEmpty().isEqualTo(new OutputReader(single, DAY).dau());
        assertThat(new OutputReader(output, DAY).events()).isEqualTo(new OutputReader(single, DAY).events());
    }

    /**
     * A killed run's lease: on the host where its process is gone, the next load takes it over at
     * once; one that says another host (whose processes this host cannot see) holds until it expires.
     */
    @Test
    void aLeaseLeftByAKilledProcessIsTakenOverAtOnceHereAndOnceItExpiresFromElsewhere()
            throws Exception
    {
        Path source = work.resolve("source");
        new SampleWriter(new SampleSpec(DAY, source, 600_000, 4, 5, 0.02, 0.001, false)).write(bytes -> {});
        Path output = work.resolve("output");
        Path lock = output.resolve("_etl/locks/" + DAY.hivePath() + ".lock");

        // a lease of 10 minutes: only the dead process lets the next run in
        killWhileHolding(start(source, output, "600"), lock);
        Process atOnce = start(source, output, "600");
        assertThat(await(atOnce)).as(stderr(atOnce)).isEqualTo(ExitCode.DONE);
        assertThat(lock).doesNotExist();

        // the same, but the lease says another host: 8 s, long enough that the refused run surely
        // starts (a JVM) before the lease expires on a busy machine, short enough to wait for
        killWhileHolding(start(source, output, "8"), lock);
        ObjectNode lease = (ObjectNode) new ObjectMapper().readTree(lock.toFile());
        lease.put("host", "another-host");
        Files.write(lock, new ObjectMapper().writeValueAsBytes(lease));
        long killedAt = System.nanoTime();

        Process tooEarly = start(source, output, "8");
        assertThat(await(tooEarly)).isEqualTo(ExitCode.REFUSED);
        assertThat(stderr(tooEarly)).contains("another-host");
        assertThat(System.nanoTime() - killedAt).isLessThan(Duration.ofSeconds(8).toNanos());

        Thread.sleep(Math.max(0, Duration.ofSeconds(9).toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt)));
        Process takeover = start(source, output, "8");
        assertThat(await(takeover)).as(stderr(takeover)).isEqualTo(ExitCode.DONE);
        assertThat(lock).doesNotExist();
        assertThat(new OutputReader(output, DAY).dau()).isNotEmpty();
    }

    /** Waits until the run holds its lease, then kills it (kill -9) and waits until it is gone. */
    private static void killWhileHolding(Process run, Path lock)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(lock) && run.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(lock).exists();
        run.destroyForcibly().waitFor();
    }

    private Process start(Path source, Path output, String leaseSeconds)
            throws IOException
    {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Detl.home=" + Loads.home(), "org.eventetl.cli.Etl", "load", "--partition", DAY.hivePath(),
                "--source", source.toString(), "--output", output.toString(), "--lease-seconds", leaseSeconds));
        Path log = Files.createTempFile(work, "process", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
        logs.put(process, log);
        return process;
    }

    private static int await(Process process)
            throws InterruptedException
    {
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private String stderr(Process process)
            throws IOException
    {
        return Files.readString(logs.get(process));
    }
}
