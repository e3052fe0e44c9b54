package org.eventetl.engine.duckdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every DuckDB instance of every load on a host spills into one folder ({@link DuckDbSettings#defaults()}):
 * the days of {@code backfill --parallel}, and loads of other days running beside them. That is safe
 * only because DuckDB 2.0 names each spill file after its process and instance, and removes the files
 * of a process that is gone (one killed with kill -9) when it next spills there; DuckDB 1.x used the
 * same names in every instance, so two that spilled at once read each other's blocks. This pins that
 * behaviour of the driver the runner ships with.
 */
final class TestDuckDbSpillFolder
{
    /** A sort that spills at DuckDB's smallest memory limit the runner allows (64 MB), on one thread. */
    private static final String SPILLING_SORT = "SELECT count(*), sum(hash(s)) FROM (SELECT md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS s"
            + " FROM range(3000000) AS r(i) ORDER BY s)";

    @TempDir
    Path temporary;

    @Test
    void twoInstancesSpillingIntoOneFolderAtOnceEachReadTheirOwnBlocks()
            throws Exception
    {
        Path spill = temporary.resolve("spill");
        // the spill files a process killed while it spilled leaves behind (the process is gone: it ran and ended)
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Files.createDirectories(spill);
        List<Path> killedOnes = List.of(spill.resolve("duckdb_temp_" + ended.pid() + "_0_owner"),
                spill.resolve("duckdb_temp_" + ended.pid() + "_0_storage_DEFAULT-0.tmp"));
        for (Path file : killedOnes) {
            Files.write(file, new byte[4096]);
        }

        Set<String> seen = ConcurrentHashMap.newKeySet();
        boolean removedWhileSorting = false;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> sorts = List.of(pool.submit(() -> sort(spill)), pool.submit(() -> sort(spill)));
            while (!sorts.stream().allMatch(Future::isDone)) {
                List<String> now = names(spill);
                seen.addAll(now);
                // (not only as the instances close, which would remove any file of the folder)
                removedWhileSorting |= now.stream().anyMatch(name -> name.endsWith(".tmp")) && killedOnes.stream().noneMatch(Files::exists);
                Thread.sleep(20);
            }
            String alone = sort(temporary.resolve("alone"));
            for (Future<String> sort : sorts) {
                assertThat(sort.get()).as("the same rows as a sort with a folder of its own").isEqualTo(alone);
            }
        }
        finally {
            pool.shutdownNow();
        }
        // the instance number counts the instances this process opened before (other tests in this JVM)
        String ours = "duckdb_temp_" + ProcessHandle.current().pid() + "_";
        Set<String> instances = seen.stream().filter(name -> name.startsWith(ours))
                .map(name -> name.substring(ours.length(), name.indexOf('_', ours.length())))
                .collect(Collectors.toSet());
        assertThat(instances).as("each instance's files carry its process and instance, in " + seen).hasSize(2);
        assertThat(removedWhileSorting).as("a gone process's spill files are removed by the next instance that spills").isTrue();
        assertThat(names(spill)).as("and each instance removes its own as it closes").noneMatch(name -> name.endsWith(".tmp") || name.endsWith(".block"));
    }

    private static String sort(Path spill)
            throws Exception
    {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = connection.createStatement()) {
            statement.execute("SET threads = 1");
            statement.execute("SET memory_limit = '64MB'");
            statement.execute("SET temp_directory = '" + spill + "'");
            try (ResultSet result = statement.executeQuery(SPILLING_SORT)) {
                result.next();
                return result.getLong(1) + " rows, hash " + result.getString(2);
            }
        }
    }

    private static List<String> names(Path folder)
            throws IOException
    {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
        catch (NoSuchFileException e) {
            // made by the first instance that spills, and removed by the last as it closes
            return List.of();
        }
    }
}
