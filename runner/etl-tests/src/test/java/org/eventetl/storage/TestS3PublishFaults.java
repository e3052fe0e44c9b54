package org.eventetl.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.eventetl.cli.ExitCode;
import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.plan.ScriptResolver;
import org.eventetl.testing.Cli;
import org.eventetl.testing.EtlProcess;
import org.eventetl.testing.FaultyS3Proxy;
import org.eventetl.testing.FaultyS3Proxy.Fault;
import org.eventetl.testing.FaultyS3Proxy.Injection;
import org.eventetl.testing.FaultyS3Proxy.Operation;
import org.eventetl.testing.FaultyS3Proxy.Rule;
import org.eventetl.testing.Loads;
import org.eventetl.testing.RawFiles;
import org.eventetl.testing.S3ProxyServer;
import org.eventetl.testing.Samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A publish to S3 (delete the published objects, then server-side copies, markers last) under the
 * faults S3 really has: 500 InternalError, and connections that drop before or after S3 did the
 * request. Every command runs through the real command line with the embedded engine, against
 * S3Proxy behind {@link FaultyS3Proxy}; what readers see is listed straight from S3Proxy.
 * <p>
 * After each command returns, every published prefix of the partition is checked: its data files
 * all came from one run, by the marker (when there is one) and by content (each file's ETag is that
 * of the file as that run staged it; each run loads a source of another size, so runs differ).
 * A reader can see a prefix empty or partly filled at these moments only:
 * <ul>
 * <li>while a publish runs, in the dataset being published: from its DeleteObjects until its
 * marker's copy lands (the old files going, then the new ones arriving, the marker last);
 * <li>after a publish failed, in the dataset it failed in: none of the old files are left when it
 * failed after S3 deleted them (the answer to DeleteObjects lost or refused after the delete, the
 * listing that proves the prefix empty refused, every copy refused), some of the new run's files
 * without a marker when only some copies landed, and the old run whole when it failed before S3
 * deleted anything (the first listing or DeleteObjects refused). The datasets published before it
 * hold the new run whole, those after it the old run whole, until the next load of the partition
 * or {@code etl repair} finishes the publish from its manifest; {@code etl status} says so.
 * </ul>
 * Never is a prefix a mix of two runs' files.
 */
final class TestS3PublishFaults
{
    private static final Partition DAY = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=01");
    /** The run marker's name (RunMarker.FILE_NAME), written by the runner as the last object of a published prefix. */
    private static final String MARKER = "_etl_run";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "bucket";
    private static final int RERUNS = 5;
    private static final long POLL_MILLIS = 20;
    /**
     * S3Proxy's file system store writes an object as {@code <name>-<uuid>} and then renames it, and
     * lists the file meanwhile; S3 never lists an object before it is whole.
     */
    private static final Pattern JCLOUDS_TEMPORARY = Pattern.compile(".+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** How the runner's message gives the cause when S3 answered 500, and when the connection dropped. */
    private static final String REFUSED = "S3 said InternalError";
    private static final String DROPPED = "Unable to execute HTTP request";
    /** The heap of a load that reads a larger source file. */
    private static final long HEAP_MB = 48;
    private static final Pattern RUN_IN_PROGRESS = Pattern.compile("_staging/(\\d{8}_\\d{6}_[0-9a-f]{8})/");

    private static S3ProxyServer s3;
    private static FaultyS3Proxy proxy;
    private static S3Storage direct;
    /** The datasets in the order a publish replaces them. */
    private static List<String> datasets;

    @TempDir
    Path work;

    /** The output's key prefix in the bucket, new for each test (and for each run of the suite: the workspace of a load is named after it). */
    private String root;
    private int events = 1_000;
    /** What each run staged: by run id, dataset and file name, the file's ETag. */
    private final Map<String, Map<String, Map<String, String>>> staged = new ConcurrentHashMap<>();

    @BeforeAll
    static void start()
            throws Exception
    {
        s3 = new S3ProxyServer(BUCKET);
        proxy = new FaultyS3Proxy(s3.endpoint());
        direct = s3.storage();
        datasets = new ScriptResolver(Loads.home().resolve("sql")).resolve().datasets();
        assertThat(datasets).startsWith("event_details", "rejects", "events", "dau");
    }

    @AfterAll
    static void stop()
            throws Exception
    {
        direct.close();
        proxy.close();
        s3.close();
    }

    @BeforeEach
    void watchPublishes(TestInfo test)
    {
        root = test.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
        proxy.reset();
        // a run writes its manifest once its staged outputs are all on S3: what it will publish
        proxy.observe(Operation.PUT_OBJECT, "/_publish.json", request -> recordStaged(request.keys().get(0)));
    }

    /**
     * A conditional put (how a lease is taken) whose every answer is lost: what is there decides.
     * Another writer's bytes mean the key is held (false, as a 412 says); our own bytes mean our
     * put landed (true); nothing there means nothing is known, and that is an error.
     */
    @Test
    void aConditionalPutWithoutAnAnswerIsDecidedByWhatIsThere()
            throws Exception
    {
        String held = root + "/_etl/locks/held.lock";
        String ours = root + "/_etl/locks/ours.lock";
        String none = root + "/_etl/locks/none.lock";
        direct.write(new Location("s3://" + BUCKET + "/" + held), new byte[] {1});
        proxy.inject(Rule.every(Operation.PUT_OBJECT, held, Fault.DROP));
        proxy.inject(Rule.every(Operation.PUT_OBJECT, ours, Fault.DROP_AFTER));
        proxy.inject(Rule.every(Operation.PUT_OBJECT, none, Fault.DROP));

        try (S3Storage throughProxy = throughProxy()) {
            assertThat(throughProxy.writeIfAbsent(new Location("s3://" + BUCKET + "/" + held), new byte[] {2})).isFalse();
            assertThat(throughProxy.writeIfAbsent(new Location("s3://" + BUCKET + "/" + ours), new byte[] {3})).isTrue();
            assertThatThrownBy(() -> throughProxy.writeIfAbsent(new Location("s3://" + BUCKET + "/" + none), new byte[] {4}))
                    .isInstanceOf(IOException.class).hasMessageContaining(DROPPED);
        }
        assertThat(direct.read(new Location("s3://" + BUCKET + "/" + held))).hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(1));
        assertThat(direct.read(new Location("s3://" + BUCKET + "/" + none))).isEmpty();
    }

    /**
     * A copy still under way when another copy of the same publish fails lands before publish
     * returns, never after (it would land in a prefix the next run may have refilled): two data
     * files staged, every copy of one refused while the other is slow.
     */
    @Test
    void aCopyUnderWayLandsBeforeAFailedPublishReturns()
            throws Exception
    {
        StagedPrefix staged = new StagedPrefix(new RunStaging(new Location(output()), RunId.startingAt(Instant.now())), "events", DAY);
        for (String name : List.of("a.parquet", "b.parquet", MARKER)) {
            direct.write(staged.location().resolve(name), name.getBytes(StandardCharsets.UTF_8));
        }
        proxy.inject(Rule.every(Operation.COPY_OBJECT, prefix("events") + "a.parquet", Fault.INTERNAL_ERROR));
        proxy.inject(Rule.every(Operation.COPY_OBJECT, prefix("events") + "b.parquet", Fault.SLOW));

        try (S3Storage throughProxy = throughProxy()) {
            assertThatThrownBy(() -> throughProxy.publish(staged)).isInstanceOf(IOException.class).hasMessageContaining(REFUSED);
        }
        Location published = staged.published().location();
        assertThat(direct.listRecursively(published)).containsExactly(published.resolve("b.parquet"));
        Thread.sleep(FaultyS3Proxy.SLOW_REQUEST.toMillis() + 500);
        assertThat(direct.listRecursively(published)).containsExactly(published.resolve("b.parquet"));
    }

    @Test
    void copyObjectAnswering500()
            throws Exception
    {
        String first = loaded();

        // one 500 before S3 copied, one after: the SDK's retries copy each object again
        Injection before = proxy.inject(Rule.nth(1, Operation.COPY_OBJECT, prefix("events"), Fault.INTERNAL_ERROR));
        Injection after = proxy.inject(Rule.nth(1, Operation.COPY_OBJECT, prefix("dau"), Fault.INTERNAL_ERROR_AFTER));
        String second = loaded();
        assertThat(before.fired()).isEqualTo(1);
        assertThat(after.fired()).isEqualTo(1);
        assertThat(second).isNotEqualTo(first);
        assertThat(status().code()).isEqualTo(ExitCode.DONE);

        // event_details' data copied slowly, then every copy of its marker refused: the SDK gives
        // up, and the prefix holds the new run's data without a marker
        proxy.inject(Rule.every(Operation.COPY_OBJECT, prefix("event_details") + "data.parquet", Fault.SLOW));
        proxy.inject(Rule.every(Operation.COPY_OBJECT, prefix("event_details") + MARKER, Fault.INTERNAL_ERROR));
        Cli.Result failed = load();
        String third = runOf(failed);
        assertPublishFailed(failed, third, REFUSED);
        Map<String, Published> right = publishedNow();
        assertThat(right).containsEntry("event_details", Published.partial(third));
        assertThat(right).containsEntry("rejects", Published.whole(second)).containsEntry("location_grid", Published.whole(second));
        Thread.sleep(FaultyS3Proxy.SLOW_REQUEST.toMillis() + 500);
        assertThat(publishedNow()).isEqualTo(right);
        assertPublishFailedMidway(third);

        // a load while S3 still refuses cannot finish that publish: it says so and publishes nothing
        Cli.Result blocked = load();
        assertThat(blocked.code()).as(blocked.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(blocked.err())).startsWith("etl: tidying what earlier runs of " + DAY.hivePath() + " left").contains(REFUSED)
                .contains("this run published nothing");
        assertThat(publishedNow()).isEqualTo(right);
        assertPublishFailedMidway(third);

        proxy.heal();
        // the blocked load wrote a source of its own size: the source is again the one the cut run
        // read, or status would rightly call the repaired day outdated by its source
        LocalFolders.deleteTree(source());
        Samples.day(source(), DAY, events - 200);
        assertRepairFinishes(third);
    }

    @Test
    void droppedConnections()
            throws Exception
    {
        loaded();

        // a copy dropped before S3 saw it, one dropped after S3 copied, a DeleteObjects whose
        // answer was lost after S3 deleted: each retried, none duplicated, none refused
        List<Injection> retried = List.of(
                proxy.inject(Rule.nth(1, Operation.COPY_OBJECT, prefix("event_details"), Fault.DROP)),
                proxy.inject(Rule.nth(1, Operation.COPY_OBJECT, prefix("events"), Fault.DROP_AFTER)),
                proxy.inject(Rule.nth(1, Operation.DELETE_OBJECTS, prefix("dau"), Fault.DROP_AFTER)));
        String second = loaded();
        assertThat(retried).allSatisfy(injection -> assertThat(injection.fired()).as(injection.toString()).isEqualTo(1));

        // every copy into dau dropped: dau is left empty, the datasets before it are the new run's
        String third = failedPublish(Rule.every(Operation.COPY_OBJECT, prefix("dau"), Fault.DROP), DROPPED).run();
        assertThat(publishedNow()).containsEntry("events", Published.whole(third)).containsEntry("dau", Published.empty())
                .containsEntry("hourly_activity", Published.whole(second));

        // the next run finishes that publish first (rejects is already the third run's, so it is
        // skipped), then every DeleteObjects of rejects is dropped before S3 saw it: the old files stay
        FailedPublish deleteDropped = failedPublish(Rule.every(Operation.DELETE_OBJECTS, prefix("rejects"), Fault.DROP), DROPPED);
        String fourth = deleteDropped.run();
        assertThat(deleteDropped.injection().fired()).isGreaterThan(1);
        assertThat(publishedNow()).containsEntry("event_details", Published.whole(fourth)).containsEntry("rejects", Published.whole(third))
                .containsEntry("dau", Published.whole(third)).containsEntry("location_grid", Published.whole(third));

        // and the next: its DeleteObjects of event_details answered by a dropped connection after S3 deleted
        String fifth = failedPublish(Rule.every(Operation.DELETE_OBJECTS, prefix("event_details"), Fault.DROP_AFTER), DROPPED).run();
        assertThat(publishedNow()).containsEntry("event_details", Published.empty()).containsEntry("rejects", Published.whole(fourth))
                .containsEntry("location_grid", Published.whole(fourth));

        completes();
    }

    /** A day's first publish cut by S3: its line says the datasets not replaced are not published yet, not that the day mixes two runs. */
    @Test
    void aFirstPublishThatFailsSaysTheDayIsIncomplete()
    {
        FailedPublish failed = failedPublish(Rule.every(Operation.COPY_OBJECT, prefix("dau"), Fault.DROP), DROPPED);
        assertThat(publishedNow()).containsEntry("events", Published.whole(failed.run())).containsEntry("dau", Published.empty())
                .containsEntry("hourly_activity", Published.empty());
        assertThat(failed.line()).contains("), the others are not published yet: the day is incomplete, and on S3 the dataset it was replacing may be empty or partly filled");
        completes();
    }

    @Test
    void failuresWhileListingOrDeletingThePublishedObjects()
            throws Exception
    {
        String first = loaded();

        // every listing of events refused once the load has begun (its first, before the lease, looks
        // for files that the published run's marker does not list): nothing of it was deleted
        String second = failedPublish(Rule.from(2, Operation.LIST_OBJECTS_V2, prefix("events"), Fault.INTERNAL_ERROR), REFUSED).run();
        assertThat(publishedNow()).containsEntry("rejects", Published.whole(second)).containsEntry("events", Published.whole(first))
                .containsEntry("dau", Published.whole(first));

        // the next run finishes that publish, then the listing that proves rejects empty is refused
        // (the third of rejects: after the one before the lease and the one that deletes): S3 deleted
        // all of it, and nothing is copied in
        String third = failedPublish(Rule.from(3, Operation.LIST_OBJECTS_V2, prefix("rejects"), Fault.INTERNAL_ERROR), REFUSED).run();
        assertThat(publishedNow()).containsEntry("event_details", Published.whole(third)).containsEntry("rejects", Published.empty())
                .containsEntry("events", Published.whole(second)).containsEntry("location_grid", Published.whole(second));

        // and the next: S3 deletes event_details, then answers 500 every time
        String fourth = failedPublish(Rule.every(Operation.DELETE_OBJECTS, prefix("event_details"), Fault.INTERNAL_ERROR_AFTER), REFUSED).run();
        assertThat(publishedNow()).containsEntry("event_details", Published.empty()).containsEntry("rejects", Published.whole(third))
                .containsEntry("location_grid", Published.whole(third));

        completes();
    }

    /**
     * Objects in a dataset's prefix that no run published (no marker, no publish of a dead run to
     * finish) are not replaced: the load is refused before its lease, and they stay. A cut-short
     * publish leaves a prefix without a marker too; the tests above load over those.
     */
    @Test
    void objectsNoRunPublished()
            throws Exception
    {
        Location events = new PublishedPrefix(new Location(output()), "events", DAY).location();
        direct.write(events.resolve("by-hand.parquet"), new byte[] {1});

        Cli.Result refused = load();
        assertThat(refused.code()).as(refused.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(refused.err()).contains(events + " holds 1 file that no run of etl published (e.g. by-hand.parquet;");
        assertThat(direct.listRecursively(new Location(output()))).containsExactly(events.resolve("by-hand.parquet"));
    }

    @Test
    void stagingAreaLeftAfterAPublish()
            throws Exception
    {
        loaded();

        // the run published and recorded it; S3 then refuses to delete its staging area: the run
        // still succeeded, and status says so
        Injection refused = proxy.inject(Rule.every(Operation.DELETE_OBJECTS, root + "/_staging/", Fault.INTERNAL_ERROR));
        String published = loaded();
        assertThat(refused.fired()).isGreaterThan(1);
        assertThat(list(root + "/_staging/" + published + "/")).isNotEmpty();
        Cli.Result status = status();
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.DONE);
        // on S3 the publish copies: what is left is the published files' copy (locally, the swap
        // moves the replaced files there)
        assertThat(status.out()).contains("the staging of published run " + published + " is left (a copy of the data it published)");

        // the next run removes what was left; that run's publish is recorded as finished, so it is
        // not finished again (which would record its end a second time)
        proxy.heal();
        String next = loaded();
        assertCurrent(next);
        assertThat(list(root + "/_etl/history/" + DAY.hivePath() + "/")).filteredOn(object -> object.key().endsWith("__" + published + "__run.json"))
                .hasSize(1);
    }

    /**
     * An endpoint whose host is not known, or https:// to an endpoint that speaks http, was said in
     * the SDK's words ("Received an UnknownHostException … See cause for the exact endpoint",
     * "Unsupported or unrecognized SSL message"), naming neither the host nor the setting.
     */
    @Test
    void anEndpointThatCannotBeReachedIsNamed()
    {
        Cli.Result unknown = Cli.run("status", "--partition", DAY.hivePath(), "--output", output(), "--s3-endpoint", "http://no-such-host.invalid:9000");
        assertThat(unknown.code()).as(unknown.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(Cli.lastLine(unknown.err())).contains("the S3 endpoint's host no-such-host.invalid", "is not known", "check s3.endpoint or --s3-endpoint")
                .doesNotContain("See cause");
        // (S3Proxy itself: the faulty proxy in front of it waits for an HTTP request that never comes)
        String https = s3.endpoint().toString().replace("http://", "https://");
        Cli.Result tls = Cli.run("status", "--partition", DAY.hivePath(), "--output", output(), "--s3-endpoint", https);
        assertThat(tls.code()).as(tls.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(Cli.lastLine(tls.err())).contains("TLS with the S3 endpoint failed", "an https:// endpoint that speaks plain http");
    }

    /** S3 failing the lease's put is said once with the lock's name (it was named twice: "cannot take the lease s3://…lock: s3://…lock: S3 said …"). */
    @Test
    void aLeaseThatCannotBeTakenNamesItsLockOnce()
    {
        proxy.inject(Rule.every(Operation.PUT_OBJECT, "_etl/locks/", Fault.INTERNAL_ERROR));
        Cli.Result load = load();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.STEP_FAILED);
        String lock = new Location(output()).resolve("_etl/locks/" + DAY.hivePath() + ".lock").toString();
        assertThat(Cli.lastLine(load.err())).contains("cannot take the lease " + lock + ": S3 said InternalError").endsWith(StorageOutage.ADVICE);
        assertThat(load.err().split(Pattern.quote(lock), -1)).as(load.err()).hasSize(2);
    }

    @Test
    void leaseSurvivesADroppedConditionalPut()
            throws Exception
    {
        // S3 wrote the lock, the answer was lost; the SDK's retry meets the run's own lock (412)
        Injection dropped = proxy.inject(Rule.nth(1, Operation.PUT_OBJECT, "_etl/locks/", Fault.DROP_AFTER));
        String run = loaded();
        assertThat(dropped.fired()).isEqualTo(1);
        assertThat(direct.read(new Location(output()).resolve("_etl/locks/" + DAY.hivePath() + ".lock"))).isEmpty();
        assertCurrent(run);
    }

    /**
     * The fence before each swap reads the day's lease. S3 failing that read stops the publish part
     * way, as any S3 failure does, and is said as S3's failure: no other run took the day over, so
     * a rerun or repair finishes the publish.
     */
    @Test
    void aLeaseUnreadableAtThePublishFenceIsSaidAsS3sFailure()
            throws Exception
    {
        String first = loaded();
        // once event_details is swapped in (its marker is copied last), every read of the day's lock fails
        AtomicBoolean once = new AtomicBoolean();
        proxy.observe(Operation.COPY_OBJECT, prefix("event_details") + MARKER, request -> {
            if (once.compareAndSet(false, true)) {
                proxy.inject(Rule.every(Operation.OTHER, lock(), Fault.INTERNAL_ERROR));
            }
        });
        // a process of its own: the lease it cannot give back is then a gone process's, as in production
        EtlProcess.Finished ended = loadProcess(Map.of()).await();
        Cli.Result failed = new Cli.Result(ended.code(), "", ended.err());
        String second = runOf(failed);
        assertPublishFailed(failed, second, "cannot read the lease on " + DAY.hivePath());
        assertThat(Cli.lastLine(failed.err())).contains(REFUSED).doesNotContain("took the day over").doesNotContain("lease lost")
                .contains("it had replaced 1 of its " + datasets.size() + " datasets (event_details), the others are the earlier run's: the day mixes two runs");

        proxy.heal();
        // stopped at the fence of its second dataset: event_details is the new run's, the rest the first's
        Map<String, Published> now = publishedNow();
        assertThat(now).containsEntry("event_details", Published.whole(second)).containsEntry("rejects", Published.whole(first))
                .containsEntry("dau", Published.whole(first));
        assertPublishFailedMidway(second);
        // the lease the run could not give back, as status on another host sees it (held until it
        // expires): the run's end is recorded, so it is not running, and the cut publish is still said
        Location lease = new Location(output()).resolve("_etl/locks/" + DAY.hivePath() + ".lock");
        byte[] left = direct.read(lease).orElseThrow();
        ObjectNode elsewhere = (ObjectNode) readTree(left);
        direct.write(lease, JSON.writeValueAsBytes(elsewhere.put("host", "another-host")));
        assertPublishFailedMidway(second);
        direct.write(lease, left);

        assertRepairFinishes(second);
    }

    /**
     * S3 failing the lease's background renewal while a step runs stops the run (it cannot prove it
     * holds the day), and says so as S3's failure: no holder is named, since nobody took the day.
     */
    @Test
    void aLeaseThatCannotBeRenewedStopsTheRunAsS3sFailure()
            throws Exception
    {
        String first = loaded();
        Path resume = work.resolve("resume");
        EtlProcess paused = loadProcess(Map.of("ETL_TEST_PAUSE_AT", "step V4__events", "ETL_TEST_RESUME_FILE", resume.toString()), "--lease-seconds", "3");
        paused.awaitErr("etl: paused at step V4__events");
        // a renewal runs each second: the first one after this fails, its retries included
        Injection refused = proxy.inject(Rule.every(Operation.OTHER, lock(), Fault.INTERNAL_ERROR));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (refused.fired() < 4) {
            assertThat(System.nanoTime()).as("no renewal of the lease failed within 30 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        Thread.sleep(1_000);
        Files.writeString(resume, "go");
        EtlProcess.Finished stopped = paused.await();

        assertThat(stopped.code()).as(stopped.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(stopped.err())).contains("could not renew its lease on " + DAY.hivePath()).contains(REFUSED)
                .contains("published data is unchanged").doesNotContain("holder").doesNotContain("lease lost");
        proxy.heal();
        assertAllWhole(first);
        Cli.Result status = status();
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(status.out()).contains("could not renew its lease").contains("the published data (run " + first + ") is intact");
        assertCurrent(loaded());
    }

    /**
     * S3 failing the upload of a DuckDB run's staged outputs, after its audits: the line says that
     * the upload failed and where to, not the SDK's words alone ("Unable to execute HTTP request",
     * found so by a fault probe); nothing is published, and the next load completes.
     */
    @Test
    void aFailedUploadOfTheStagedOutputsIsSaidAsOne()
            throws Exception
    {
        String first = loaded();
        Injection dropped = proxy.inject(Rule.every(Operation.PUT_OBJECT, "/event_details/", Fault.DROP));
        Cli.Result failed = load();
        assertThat(failed.code()).as(failed.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(dropped.fired()).isPositive();
        assertThat(Cli.lastLine(failed.err())).contains("cannot upload the run's staged outputs to s3://" + BUCKET + "/" + root + "/_staging/")
                .contains(DROPPED).contains("published data is unchanged").endsWith("the storage failed, not the command: rerun it");
        proxy.heal();
        assertAllWhole(first);
        assertCurrent(loaded());
    }

    /**
     * A full local disk while a DuckDB run copies its S3 source: the line names the copy and the
     * disk, and asks the user to fix it, where it said the SDK's "Failed to read response into file"
     * (found by a probe) and, read as S3's failure, would have said to rerun. Needs root, to mount a
     * small tmpfs as the run's temporary folder.
     */
    @Test
    void aFullDiskUnderTheLocalCopyIsSaidAsTheDisks()
            throws Exception
    {
        String first = loaded();
        Path small = work.resolve("small-tmp");
        Files.createDirectories(small);
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                && new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString()).inheritIO().start().waitFor() == 0,
                "needs root to mount a small tmpfs");
        try {
            // a day on S3, of ~7 MB
            String sourceRoot = s3Source(20_000);
            EtlProcess.Finished failed = s3Process(Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + small),
                    List.of("load", "--partition", DAY.hivePath(), "--source", sourceRoot, "--output", output(), "--s3-endpoint", proxy.endpoint().toString())).await();
            assertThat(failed.code()).as(failed.err()).isEqualTo(ExitCode.STEP_FAILED);
            assertThat(Cli.lastLine(failed.err())).contains("no space left on its disk").contains(small.toString())
                    .endsWith("fix the cause and rerun").doesNotContain("SDK Attempt");
        }
        finally {
            new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor();
        }
        assertAllWhole(first);
    }

    /**
     * An S3 source file rewritten between the run's listing and its copy (the run waits at its
     * lease): the run fails naming the file, as a writer still at work, where it loaded the new
     * bytes and recorded the listed size, so that status then called the day outdated (found by a
     * probe). Nothing is published; the next load completes and is current.
     */
    @Test
    void aSourceFileRewrittenBeforeItsCopyFailsTheRun()
            throws Exception
    {
        String first = loaded();
        String sourceRoot = s3Source(1_000);
        Map<String, String> environment = new HashMap<>(Map.of("ETL_TEST_PAUSE_AT", "lease", "ETL_TEST_RESUME_FILE", work.resolve("resume").toString()));
        List<String> load = List.of("load", "--partition", DAY.hivePath(), "--source", sourceRoot, "--output", output(), "--s3-endpoint", proxy.endpoint().toString());
        EtlProcess paused = s3Process(environment, load);
        paused.awaitErr("etl: paused at lease");
        Location rewritten = Location.of(sourceRoot).resolve(DAY.sourcePath() + "/part-00000.json");
        direct.write(rewritten, "{\"meta\":{\"session_long\":\"late\"},\"params\":{\"cc\":\"gh\"}}\n".getBytes(StandardCharsets.UTF_8));
        Files.writeString(work.resolve("resume"), "go");
        EtlProcess.Finished failed = paused.await();

        assertThat(failed.code()).as(failed.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(failed.err())).contains(rewritten + " changed while the run copied the day").contains("published data is unchanged");
        assertAllWhole(first);
        environment.remove("ETL_TEST_PAUSE_AT");
        EtlProcess.Finished rerun = s3Process(environment, load).await();
        assertThat(rerun.code()).as(rerun.err()).isEqualTo(ExitCode.DONE);
        Cli.Result status = Cli.run("status", "--partition", DAY.hivePath(), "--source", sourceRoot, "--output", output(), "--s3-endpoint", proxy.endpoint().toString());
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.DONE);
    }

    /**
     * DuckDB copies an S3 day to local disk before its first step, several objects at once: one at a
     * time, each object waits a round trip, and a day of 100,000 small objects took about an hour
     * on S3 before its first step. Every GET of the source is held here (as a far endpoint would):
     * the second arrives while the first is held. A SIGTERM during the copy ends it where it is
     * (fewer objects fetched than the day has), says so, and publishes nothing; the next load
     * completes and is current.
     */
    @Test
    void theSourceIsCopiedSeveralObjectsAtOnceAndAStopEndsTheCopyWhereItIs()
            throws Exception
    {
        String first = loaded();
        int files = 40;
        String sourceRoot = s3SourceOfSmallFiles(files);
        List<Long> gets = new CopyOnWriteArrayList<>();
        proxy.observe(Operation.OTHER, root + "-source/", request -> {
            if (request.method().equals("GET")) {
                gets.add(System.nanoTime());
            }
        });
        proxy.inject(Rule.every(Operation.OTHER, root + "-source/", Fault.SLOW));
        List<String> load = List.of("load", "--partition", DAY.hivePath(), "--source", sourceRoot, "--output", output(), "--s3-endpoint", proxy.endpoint().toString());
        EtlProcess copying = s3Process(Map.of(), load);
        copying.awaitErr("> copy the day's " + files + " source files");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (gets.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(gets).as("GETs of the source while each is held").hasSizeGreaterThanOrEqualTo(2);
        // one at a time, the second would wait for the first's answer
        assertThat(gets.get(1) - gets.get(0)).isLessThan(FaultyS3Proxy.SLOW_REQUEST.toNanos());
        copying.signal("TERM");
        EtlProcess.Finished stopped = copying.await();

        assertThat(stopped.code()).as(stopped.err()).isEqualTo(ExitCode.TERMINATED);
        assertThat(stopped.err()).contains("etl: interrupted (SIGTERM); stopping the run\n");
        assertThat(Cli.lastLine(stopped.err())).contains("load interrupted (SIGTERM) before its first step").contains("nothing was published");
        assertThat(gets).as("objects fetched before the copy ended").hasSizeLessThan(files);
        assertAllWhole(first);

        proxy.heal();
        EtlProcess.Finished rerun = s3Process(Map.of(), load).await();
        assertThat(rerun.code()).as(rerun.err()).isEqualTo(ExitCode.DONE);
        Cli.Result status = Cli.run("status", "--partition", DAY.hivePath(), "--source", sourceRoot, "--output", output(), "--s3-endpoint", proxy.endpoint().toString());
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.DONE);
    }

    /**
     * One source object that S3 keeps refusing (500, through the SDK's retries) while the others
     * copy beside it: the run fails naming that object in S3's words, not as the thread pool that
     * copied it, and publishes nothing.
     */
    @Test
    void aSourceObjectThatCannotBeCopiedFailsTheRunNamingIt()
            throws Exception
    {
        String first = loaded();
        String sourceRoot = s3SourceOfSmallFiles(40);
        proxy.inject(Rule.every(Operation.OTHER, root + "-source/" + DAY.sourcePath() + "/part-00017.json", Fault.INTERNAL_ERROR));
        EtlProcess.Finished failed = s3Process(Map.of(), List.of("load", "--partition", DAY.hivePath(), "--source", sourceRoot, "--output", output(), "--s3-endpoint",
                proxy.endpoint().toString())).await();

        assertThat(failed.code()).as(failed.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(failed.err())).contains("part-00017.json").contains(REFUSED).endsWith("the storage failed, not the command: rerun it")
                .doesNotContain("Exception");
        assertAllWhole(first);
    }

    /**
     * A source object whose body S3 cuts short on the way (a connection closed mid-object): the SDK
     * takes the short body for the whole object, and the run blamed a writer at work on the day
     * ("changed while the run copied the day") and failed (found by a fault probe). The object is
     * fetched again, and the day loads whole.
     */
    @Test
    void aSourceObjectCutShortOnTheWayIsFetchedAgain()
            throws Exception
    {
        String sourceRoot = s3SourceOfSmallFiles(5);
        Injection cut = proxy.inject(Rule.nth(1, Operation.OTHER, root + "-source/" + DAY.sourcePath() + "/part-00002.json", Fault.CUT_SHORT));
        String[] where = {"--partition", DAY.hivePath(), "--source", sourceRoot, "--output", output(), "--s3-endpoint", proxy.endpoint().toString()};
        Cli.Result load = Cli.run(Cli.args("load", where));

        assertThat(cut.fired()).isEqualTo(1);
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        Cli.Result details = Cli.run("show", "event_details", "--partition", DAY.hivePath(), "--output", output(), "--s3-endpoint", proxy.endpoint().toString());
        assertThat(details.out().lines().filter(line -> line.startsWith("d2\t") || line.startsWith("e2\t"))).as(details.out()).hasSize(2);
        assertThat(Cli.run(Cli.args("status", where)).code()).isEqualTo(ExitCode.DONE);
    }

    /**
     * A body cut short twice is the storage's failure, as a dropped connection is: a load ended
     * "fix the cause and rerun", and show refused it (exit 2, "check that it is there and
     * readable"), which a scheduler does not retry. Both now fail (exit 1) saying to rerun.
     */
    @Test
    void anObjectCutShortTwiceIsTheStoragesFailure()
            throws Exception
    {
        String sourceRoot = s3SourceOfSmallFiles(5);
        String[] where = {"--partition", DAY.hivePath(), "--source", sourceRoot, "--output", output(), "--s3-endpoint", proxy.endpoint().toString()};
        proxy.inject(Rule.every(Operation.OTHER, root + "-source/" + DAY.sourcePath() + "/part-00002.json", Fault.CUT_SHORT));
        Cli.Result load = Cli.run(Cli.args("load", where));
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(load.err())).contains("part-00002.json", "twice").endsWith(StorageOutage.ADVICE);

        proxy.heal();
        assertThat(Cli.run(Cli.args("load", where)).code()).isEqualTo(ExitCode.DONE);
        proxy.inject(Rule.every(Operation.OTHER, "/events/" + DAY.hivePath() + "/", Fault.CUT_SHORT));
        Cli.Result show = Cli.run("show", "events", "--partition", DAY.hivePath(), "--output", output(), "--s3-endpoint", proxy.endpoint().toString());
        assertThat(show.code()).as(show.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(show.err())).contains("twice").endsWith(StorageOutage.ADVICE);
    }

    /**
     * S3 failing the listing of one source day stopped backfill --continue-on-error as a whole,
     * exit 1 with one line and no table, before any day ran. That day now fails on its own line,
     * and the other days load.
     */
    @Test
    void aBackfillGoesOnPastADayWhoseSourceCannotBeListed()
            throws Exception
    {
        String sourceRoot = s3SourceOfSmallFiles(2);
        Partition next = new Partition(DAY.brand(), DAY.tracker(), DAY.channel(), DAY.day().plusDays(1));
        direct.write(Location.of(sourceRoot).resolve(next.sourcePath() + "/part-00000.json"),
                "{\"meta\":{\"session_long\":\"n1\",\"date\":\"2017-08-02T10:00:00Z\"},\"params\":{\"cc\":\"gh\"}}\n".getBytes(StandardCharsets.UTF_8));
        proxy.inject(Rule.every(Operation.LIST_OBJECTS_V2, root + "-source/" + DAY.sourcePath() + "/", Fault.INTERNAL_ERROR));

        String channel = DAY.hivePath().substring(0, DAY.hivePath().indexOf("/year="));
        Cli.Result backfill = Cli.run("backfill", "--partition", channel, "--from", DAY.day().toString(), "--to", next.day().toString(), "--continue-on-error",
                "--source", sourceRoot, "--output", output(), "--s3-endpoint", proxy.endpoint().toString());
        assertThat(backfill.code()).as(backfill.out() + backfill.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(backfill.out()).containsPattern("(?m)^" + DAY.day() + " +failed .*InternalError.*; " + Pattern.quote(StorageOutage.ADVICE) + "$")
                .containsPattern("(?m)^" + next.day() + " +loaded ")
                .contains("2 days: 1 loaded, 0 current, 0 without source, 1 failed, 0 not run");

        // status of the two days says the same: the day S3 failed has its line, the other is current
        Cli.Result status = Cli.run("status", "--partition", channel, "--from", DAY.day().toString(), "--to", next.day().toString(),
                "--source", sourceRoot, "--output", output(), "--s3-endpoint", proxy.endpoint().toString());
        assertThat(status.code()).as(status.out() + status.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(status.out()).containsPattern("(?m)^" + DAY.day() + " +partition +unreadable +cannot read source partition .*InternalError.*; " + Pattern.quote(StorageOutage.ADVICE) + "$")
                .containsPattern("(?m)^" + next.day() + " +partition +current ");
        assertThat(Cli.lastLine(status.err())).isEqualTo("etl: 1 of the 2 days could not be read: their lines say why; " + StorageOutage.ADVICE);
    }

    /**
     * A source object that S3's policy denies, found only when the run copies it: the user's to fix,
     * as a local file that may not be read is (exit 2), not a failure that a scheduler retries; the
     * published day is as it was.
     */
    @Test
    void aSourceObjectThatS3DeniesIsTheUsersToFix()
            throws Exception
    {
        String first = loaded();
        Map<String, Published> before = publishedNow();
        String sourceRoot = s3SourceOfSmallFiles(2);
        Injection denied = proxy.inject(Rule.every(Operation.OTHER, root + "-source/" + DAY.sourcePath() + "/part-00001.json", Fault.ACCESS_DENIED));

        Cli.Result load = Cli.run("load", "--partition", DAY.hivePath(), "--source", sourceRoot, "--output", output(), "--s3-endpoint", proxy.endpoint().toString());
        assertThat(denied.fired()).isGreaterThan(0);
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(Cli.lastLine(load.err())).contains("part-00001.json").contains("S3 said AccessDenied: Access Denied").contains("published data is unchanged")
                .doesNotContain(StorageOutage.ADVICE);
        assertThat(publishedNow()).isEqualTo(before);
        assertThat(publishedNow()).containsEntry("dau", Published.whole(first));
    }

    /**
     * A body cut short on the way (a connection closed mid-object), which the SDK takes for the
     * whole object, is fetched again wherever the runner reads S3, not only where it copies the
     * source: an earlier day's published dau that an audit compares with (DuckDB read a corrupt
     * Parquet copy, and the audit failed the run), and a run record of the history that status
     * reads (it read as damaged, and status said to move it away by hand).
     */
    @Test
    void objectsCutShortOnTheWayAreFetchedAgainWhereverTheyAreRead()
            throws Exception
    {
        Partition previous = loadPreviousDay();
        loaded();

        Injection dau = proxy.inject(Rule.nth(1, Operation.OTHER, "/dau/" + previous.hivePath() + "/data.parquet", Fault.CUT_SHORT));
        String run = loaded();
        assertThat(dau.fired()).isEqualTo(1);

        Injection record = proxy.inject(Rule.nth(1, Operation.OTHER, "/_etl/history/" + DAY.hivePath() + "/", Fault.CUT_SHORT));
        assertCurrent(run);
        assertThat(record.fired()).isEqualTo(1);
    }

    /**
     * Names the local copy of an S3 day cannot hold: one longer than a disk's file names (255 bytes)
     * is refused before the run, naming the object (it failed the copy, naming the local path, with
     * exit 1). Two names that differ only in case load both on a disk that tells them apart, as this
     * one does; where one does not (macOS's), they are refused, which no disk here can show.
     */
    @Test
    void sourceNamesTheLocalCopyCannotHoldAreRefusedBeforeTheRun()
            throws Exception
    {
        // the filesystem store behind the other tests cannot hold such a key either: an in-memory one
        try (S3ProxyServer memory = S3ProxyServer.inMemory(BUCKET); S3Storage store = memory.storage()) {
            String sourceRoot = "s3://" + BUCKET + "/names";
            Location folder = Location.of(sourceRoot).resolve(DAY.sourcePath());
            byte[] event = "{\"meta\":{\"session_long\":\"d1\"},\"params\":{\"cc\":\"gh\"}}\n".getBytes(StandardCharsets.UTF_8);
            store.write(folder.resolve("part-a.json"), event);
            store.write(folder.resolve("PART-A.json"), event);
            String output = work.resolve("out").toString();
            String[] load = {"load", "--partition", DAY.hivePath(), "--source", sourceRoot, "--output", output, "--s3-endpoint", memory.endpoint().toString()};

            Cli.Result twins = Cli.run(load);
            assertThat(twins.code()).as(twins.err()).isEqualTo(ExitCode.DONE);
            Cli.Result details = Cli.run("show", "event_details", "--partition", DAY.hivePath(), "--output", output);
            assertThat(details.out().lines().filter(line -> line.contains("d1"))).as(details.out()).hasSize(2);

            String longName = "e".repeat(251) + ".json";
            store.write(folder.resolve(longName), event);
            Cli.Result refused = Cli.run(load);
            assertThat(refused.code()).as(refused.err()).isEqualTo(ExitCode.REFUSED);
            assertThat(refused.err()).contains(longName + " is a name of 256 bytes").contains("load the day on trino or athena");
            assertThat(refused.err().strip().lines()).hasSize(1);
        }
    }

    /**
     * An S3 source file written again after the publish with as many bytes as before (a corrected
     * export): status calls the day outdated by the file's ETag, where it compared sizes alone and
     * kept calling it current. The same bytes put again (the same ETag) change nothing.
     */
    @Test
    void anS3SourceFileWrittenAgainWithAsManyBytesMakesTheDayOutdated()
            throws Exception
    {
        String sourceRoot = s3SourceOfSmallFiles(3);
        String[] where = {"--partition", DAY.hivePath(), "--source", sourceRoot, "--output", output(), "--s3-endpoint", proxy.endpoint().toString()};
        Cli.Result load = Cli.run(Cli.args("load", where));
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        Location file = Location.of(sourceRoot).resolve(DAY.sourcePath() + "/part-00001.json");
        byte[] published = direct.readStart(file, 1 << 20);
        direct.write(file, published);
        Cli.Result same = Cli.run(Cli.args("status", where));
        assertThat(same.code()).as(same.out()).isEqualTo(ExitCode.DONE);

        // the same length: a device id's last character changed
        byte[] corrected = new String(published, StandardCharsets.UTF_8).replace("\"d1\"", "\"d7\"").getBytes(StandardCharsets.UTF_8);
        assertThat(corrected).hasSameSizeAs(published).isNotEqualTo(published);
        direct.write(file, corrected);
        Cli.Result outdated = Cli.run(Cli.args("status", where));
        assertThat(outdated.code()).as(outdated.out()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(outdated.out()).contains("outdated").contains("written again since, with as many bytes").contains("their ETags differ");

        Cli.Result reload = Cli.run(Cli.args("load", where));
        assertThat(reload.code()).as(reload.err()).isEqualTo(ExitCode.DONE);
        Cli.Result current = Cli.run(Cli.args("status", where));
        assertThat(current.code()).as(current.out()).isEqualTo(ExitCode.DONE);
    }

    /** A day of {@code count} small files put on S3, two events each; the source root that holds it. */
    private String s3SourceOfSmallFiles(int count)
            throws IOException
    {
        String sourceRoot = "s3://" + BUCKET + "/" + root + "-source";
        for (int i = 0; i < count; i++) {
            String events = "{\"meta\":{\"session_long\":\"d" + i + "\",\"date\":\"2017-08-01T10:00:00Z\"},\"params\":{\"cc\":\"gh\"}}\n"
                    + "{\"meta\":{\"session_long\":\"e" + i + "\",\"date\":\"2017-08-01T11:00:00Z\"},\"params\":{\"cc\":\"za\"}}\n";
            direct.write(Location.of(sourceRoot).resolve(DAY.sourcePath() + String.format("/part-%05d.json", i)), events.getBytes(StandardCharsets.UTF_8));
        }
        return sourceRoot;
    }

    /** A day of {@code events} generated events put on S3; the source root that holds it. */
    private String s3Source(int events)
            throws IOException
    {
        Path day = work.resolve("s3-source");
        LocalFolders.deleteTree(day);
        Samples.day(day, DAY, events);
        String sourceRoot = "s3://" + BUCKET + "/" + root + "-source";
        try (Stream<Path> files = Files.list(RawFiles.folder(day, DAY))) {
            for (Path file : files.toList()) {
                direct.upload(file, Location.of(sourceRoot).resolve(DAY.sourcePath() + "/" + file.getFileName()));
            }
        }
        return sourceRoot;
    }

    /**
     * A run stalled past its lease after it recorded its publish, while another run of the day on
     * the same host takes the day over: woken, it removes its own local copy (DuckDB works on one
     * over S3) and leaves the taker's. It removed the day's whole folder, the taker's copy with it,
     * whose upload then found nothing staged and whose publish swapped in six empty datasets while
     * status said current (found by a fault probe).
     */
    @Test
    void aRunStalledAfterItsRecordLeavesTheLocalCopyOfTheRunThatTookTheDayOver()
            throws Exception
    {
        Path resumeFirst = work.resolve("resume-first");
        EtlProcess first = loadProcess(Map.of("ETL_TEST_PAUSE_AT", "recorded", "ETL_TEST_RESUME_FILE", resumeFirst.toString()), "--lease-seconds", "3");
        first.awaitErr("etl: paused at recorded");
        first.signal("STOP");
        Thread.sleep(4_500);
        Path resumeTaker = work.resolve("resume-taker");
        EtlProcess taker = loadProcess(Map.of("ETL_TEST_PAUSE_AT", "audited", "ETL_TEST_RESUME_FILE", resumeTaker.toString()), "--lease-seconds", "3");
        taker.awaitErr("etl: paused at audited");

        first.signal("CONT");
        Files.writeString(resumeFirst, "go");
        EtlProcess.Finished firstEnded = first.await();
        assertThat(firstEnded.code()).as("its own publish stands: " + firstEnded.err()).isZero();
        Files.writeString(resumeTaker, "go");
        EtlProcess.Finished takerEnded = taker.await();
        assertThat(takerEnded.code()).as(takerEnded.err()).isEqualTo(ExitCode.DONE);

        Matcher run = RUN_IN_PROGRESS.matcher(takerEnded.err());
        assertThat(run.find()).as(takerEnded.err()).isTrue();
        assertAllWhole(run.group(1));
        for (String dataset : List.of("event_details", "events", "dau")) {
            assertThat(list(prefix(dataset))).as(dataset + ": the taker's files, not its marker alone").hasSizeGreaterThan(1);
        }
        assertCurrent(run.group(1));
    }

    /**
     * A failed run removes its local copy of the source (DuckDB works on one over S3), as large as
     * the day, and keeps only the staged outputs that its message points at: a probe's failed runs
     * left 1.6 GB in the temporary folder until the next run of each day. A killed run's copy stays
     * whole until the next run of the day, or until etl repair, which removes it now.
     */
    @Test
    void aFailedRunKeepsOnlyItsStagedOutputsLocallyAndRepairRemovesWhatRunsLeft()
            throws Exception
    {
        // an earlier day, whose dau the run's audits compare with: its copy is part of the local copy
        loadPreviousDay();
        String first = loaded();
        Path temporary = Files.createDirectories(work.resolve("tmp"));
        Map<String, String> inTemporary = Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + temporary);
        proxy.inject(Rule.every(Operation.PUT_OBJECT, "/event_details/", Fault.DROP));
        EtlProcess.Finished failed = loadProcess(inTemporary).await();
        proxy.heal();
        assertThat(failed.code()).as(failed.err()).isEqualTo(ExitCode.STEP_FAILED);
        Matcher failedRun = RUN_IN_PROGRESS.matcher(Cli.lastLine(failed.err()));
        assertThat(failedRun.find()).as(failed.err()).isTrue();
        Path day = onlyFolderIn(temporary.resolve("etl-work"));
        Path failedCopy = day.resolve(failedRun.group(1));
        assertThat(failedCopy.resolve("source")).doesNotExist();
        Path staged = failedCopy.resolve("output/_staging/" + failedRun.group(1));
        assertThat(Cli.lastLine(failed.err())).contains("staged outputs are kept under " + staged);
        assertThat(staged.resolve("event_details")).isDirectoryRecursivelyContaining("glob:**.parquet");
        try (Stream<Path> left = Files.list(failedCopy.resolve("output"))) {
            assertThat(left).as("the copy of the earlier day's dau went").containsExactly(failedCopy.resolve("output/_staging"));
        }

        Path resume = work.resolve("resume");
        Map<String, String> paused = new HashMap<>(inTemporary);
        paused.putAll(Map.of("ETL_TEST_PAUSE_AT", "source ready", "ETL_TEST_RESUME_FILE", resume.toString()));
        EtlProcess killed = loadProcess(paused);
        killed.awaitErr("etl: paused at source ready");
        killed.signal("KILL");
        killed.await();
        // the next run of the day removed what the failed run kept; the killed run's copy is whole
        assertThat(failedCopy).doesNotExist();
        Path killedCopy = onlyFolderIn(day);
        assertThat(killedCopy.resolve("source/" + DAY.sourcePath())).isDirectoryContaining("glob:**.json");
        assertThat(killedCopy.resolve("output/dau")).isDirectoryRecursivelyContaining("glob:**.parquet");

        // without --source, as operations.md's repair goes (it rendered the default source, whose
        // copies are in another folder, and left this one without a word)
        EtlProcess.Finished repair = s3Process(inTemporary, List.of("repair", "--partition", DAY.hivePath(), "--output", output(),
                "--s3-endpoint", proxy.endpoint().toString())).await();
        assertThat(repair.code()).as(repair.err()).isEqualTo(ExitCode.DONE);
        assertThat(repair.out()).contains("removed the local copy that run " + killedCopy.getFileName() + " left in " + day);
        assertThat(Cli.run("status", "--partition", DAY.hivePath(), "--source", source().toString(), "--output", output(),
                "--s3-endpoint", proxy.endpoint().toString()).out()).contains("published by run " + first);
        assertThat(day).doesNotExist();
        assertAllWhole(first);
    }

    /** Loads the day before {@link #DAY}, which DAY's audits compare with, and returns it. */
    private Partition loadPreviousDay()
            throws IOException
    {
        Partition previous = DAY.withDay(DAY.day().minusDays(1));
        Samples.day(source(), previous, 500);
        Cli.Result load = Cli.run("load", "--partition", previous.hivePath(), "--source", source().toString(), "--output", output(),
                "--s3-endpoint", proxy.endpoint().toString());
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        return previous;
    }

    private static Path onlyFolderIn(Path folder)
            throws IOException
    {
        try (Stream<Path> paths = Files.list(folder)) {
            List<Path> all = paths.filter(Files::isDirectory).toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    /** {@link #load()} in a process of its own, with {@code environment} and {@code flags} added. */
    private EtlProcess loadProcess(Map<String, String> environment, String... flags)
            throws IOException
    {
        LocalFolders.deleteTree(source());
        Samples.day(source(), DAY, events);
        events += 100;
        List<String> args = new ArrayList<>(List.of("load", "--partition", DAY.hivePath(), "--source", source().toString(), "--output", output(),
                "--s3-endpoint", proxy.endpoint().toString()));
        args.addAll(List.of(flags));
        return s3Process(environment, args);
    }

    /** The command line in a process of its own, with S3Proxy's credentials and {@code environment}. */
    private static EtlProcess s3Process(Map<String, String> environment, List<String> args)
            throws IOException
    {
        Map<String, String> withCredentials = new HashMap<>(environment);
        withCredentials.putAll(Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY, "AWS_REGION", "us-east-1"));
        return EtlProcess.start(withCredentials, args);
    }

    /** etl repair finishes the cut publish of {@code run}, which is then current, every dataset whole. */
    private void assertRepairFinishes(String run)
    {
        Cli.Result repair = Cli.run("repair", "--partition", DAY.hivePath(), "--source", source().toString(), "--output", output(),
                "--s3-endpoint", proxy.endpoint().toString());
        assertThat(repair.code()).as(repair.err()).isEqualTo(ExitCode.DONE);
        assertThat(repair.out()).contains("finished the publish of run " + run);
        assertAllWhole(run);
        assertCurrent(run);
    }

    /** The day's lease object, as a key in the bucket. */
    private String lock()
    {
        return root + "/_etl/locks/" + DAY.hivePath() + ".lock";
    }

    /**
     * Measures how long a reader polling ListObjectsV2 of each published prefix sees one empty or
     * partly filled during ordinary reruns (S3 has no rename), and asserts what is guaranteed: each
     * listing is a subset of the old run's files or of the new run's (never a mix), a prefix goes
     * from old to new once, and ends whole.
     */
    @Test
    void readersDuringReruns()
            throws Exception
    {
        loaded();
        List<Long> windows = new ArrayList<>();
        for (int rerun = 0; rerun < RERUNS; rerun++) {
            Map<String, Map<String, String>> before = listings();
            List<Observation> observations = new CopyOnWriteArrayList<>();
            AtomicBoolean done = new AtomicBoolean();
            Thread reader = new Thread(() -> poll(observations, done), "published-reader");
            reader.start();
            String run;
            try {
                run = loaded();
            }
            finally {
                done.set(true);
                reader.join();
            }
            Map<String, Map<String, String>> after = listings();
            long longest = 0;
            for (String dataset : datasets) {
                longest = Math.max(longest, window(dataset, before.get(dataset), after.get(dataset), observations));
            }
            assertThat(observations).hasSizeGreaterThan(datasets.size());
            assertAllWhole(run);
            windows.add(longest);
        }
        List<Long> sorted = windows.stream().sorted().toList();
        System.out.printf("S3 publish window (longest per rerun, polled every %d ms): %s ms; min %d, median %d, max %d ms%n",
                POLL_MILLIS, windows, sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }

    /** What a reader listed of one published prefix, and when. */
    private record Observation(String dataset, long nanos, Map<String, String> files) {}

    private void poll(List<Observation> observations, AtomicBoolean done)
    {
        while (!done.get()) {
            for (String dataset : datasets) {
                observations.add(new Observation(dataset, System.nanoTime(), listing(dataset)));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Checks one prefix's listings during a rerun and returns the longest time it was seen neither
     * the old run whole nor the new run whole: from the first such listing to the first whole new
     * one (0 when the reader never caught it).
     */
    private static long window(String dataset, Map<String, String> before, Map<String, String> after, List<Observation> observations)
    {
        assertThat(after).as(dataset).isNotEqualTo(before);
        long start = -1;
        long end = -1;
        boolean left = false;
        for (Observation observation : observations) {
            if (!observation.dataset().equals(dataset)) {
                continue;
            }
            Map<String, String> files = observation.files();
            assertThat(subsetOf(files, before) || subsetOf(files, after)).as("%s listed %s: old %s, new %s", dataset, files, before, after).isTrue();
            if (files.equals(after)) {
                end = end < 0 ? observation.nanos() : end;
                continue;
            }
            assertThat(end).as("%s left the new run's files: %s", dataset, files).isNegative();
            if (files.equals(before)) {
                assertThat(left).as("%s went back to the old run's files", dataset).isFalse();
                continue;
            }
            left = true;
            start = start < 0 ? observation.nanos() : start;
        }
        assertThat(end).as("%s never seen whole after the rerun", dataset).isPositive();
        return start < 0 ? 0 : (end - start) / 1_000_000;
    }

    private static boolean subsetOf(Map<String, String> files, Map<String, String> whole)
    {
        return files.entrySet().stream().allMatch(file -> file.getValue().equals(whole.get(file.getKey())));
    }

    private Map<String, Map<String, String>> listings()
    {
        Map<String, Map<String, String>> listings = new LinkedHashMap<>();
        for (String dataset : datasets) {
            listings.put(dataset, listing(dataset));
        }
        return listings;
    }

    /** Every object of the dataset's published prefix (the marker too), by name, with its ETag. */
    private Map<String, String> listing(String dataset)
    {
        Map<String, String> files = new TreeMap<>();
        for (S3Object object : list(prefix(dataset))) {
            String name = object.key().substring(prefix(dataset).length());
            if (!name.isEmpty() && !JCLOUDS_TEMPORARY.matcher(name).matches()) {
                files.put(name, object.eTag());
            }
        }
        return files;
    }

    /** A load run with the proxy healed but for {@code rule}, whose publish failed, and status says so. */
    private record FailedPublish(String run, Injection injection, String line) {}

    private FailedPublish failedPublish(Rule rule, String cause)
    {
        proxy.heal();
        Injection injection = proxy.inject(rule);
        Cli.Result load = load();
        String run = runOf(load);
        assertPublishFailed(load, run, cause);
        assertPublishFailedMidway(run);
        return new FailedPublish(run, injection, Cli.lastLine(load.err()));
    }

    /** The load's line says what status says of the datasets: those the run had replaced, as their markers show. */
    private void assertPublishFailed(Cli.Result load, String run, String cause)
    {
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(load.err())).startsWith("etl: publish of run " + run + " for " + DAY.hivePath() + " failed: ").contains(cause)
                .contains("; " + replacedBy(run)).contains(" (etl status says which are whose)")
                .doesNotContain("may mix").endsWith("rerun the load or run etl repair to finish it from its manifest");
    }

    /** How status and the load say the datasets a run replaced: those whose files are its own, whole, marker and all. */
    private String replacedBy(String run)
    {
        List<String> replaced = publishedNow().entrySet().stream().filter(entry -> entry.getValue().equals(Published.whole(run))).map(Map.Entry::getKey).toList();
        return replaced.isEmpty() ? "it had replaced no dataset yet"
                : replaced.size() == datasets.size() ? "it had replaced every dataset (" + String.join(", ", replaced) + ")"
                : "it had replaced " + replaced.size() + " of its " + datasets.size() + " datasets (" + String.join(", ", replaced) + ")";
    }

    /** A run whose publish failed (it recorded why) is failed, not interrupted, and its datasets are not said to be intact. */
    private void assertPublishFailedMidway(String run)
    {
        Cli.Result status = status();
        assertThat(status.code()).as(status.out() + status.err()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(status.out()).containsPattern("partition +failed +the publish of run " + run + " failed midway: " + Pattern.quote(replacedBy(run)))
                .contains("on S3 the dataset it was replacing may be empty or partly filled").doesNotContain("is intact");
    }

    /**
     * A load whose output is on S3 works on a local copy of its day, which is gone after the run:
     * its summary reads what it published, and its rejects name the real source file.
     */
    @Test
    void aLoadToS3SummarizesWhatItPublishedAndItsRejectsNameTheRealFiles()
    {
        RawFiles.write(source(), DAY, "a.json",
                "{\"meta\":{\"session_long\":\"d1\"},\"params\":{\"cc\":\"gh\"}}",
                "[1]",
                "{\"meta\":{\"session_long\":\"d2\"},\"params\":{\"cc\":\"za\"}}");
        String endpoint = proxy.endpoint().toString();
        Cli.Result load = Cli.run("load", "--partition", DAY.hivePath(), "--source", source().toString(), "--output", output(), "--s3-endpoint", endpoint,
                "--max-reject-ratio", "0.5");
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(load.out()).doesNotContain("(none)").containsPattern("(?m)^not_object +1$").containsPattern("(?m)^GH +1$").containsPattern("(?m)^ZA +1$");
        // DuckDB works on a local copy of the day: a line says so before the copy, which a large day takes a while to make
        assertThat(load.err()).containsPattern("(?m)^> copy the day's 1 source file \\(0\\.0 MB\\) to the local copy under \\S+etl-work/\\S+$");

        Cli.Result rejects = Cli.run("show", "rejects", "--partition", DAY.hivePath(), "--output", output(), "--s3-endpoint", endpoint);
        assertThat(rejects.code()).as(rejects.err()).isEqualTo(ExitCode.DONE);
        assertThat(rejects.out().lines().skip(1)).singleElement().asString().startsWith(RawFiles.folder(source(), DAY).resolve("a.json") + "\t2\tnot_object\t");
    }

    /**
     * An S3 source root that holds nothing (a misspelled prefix) would make every day "no source",
     * and status and backfill would stay green: it is refused, as a missing local folder is.
     */
    @Test
    void anS3SourceThatHoldsNothingIsRefused()
            throws Exception
    {
        String endpoint = proxy.endpoint().toString();
        String typo = "s3://" + BUCKET + "/" + root + "-raw";
        String said = "--source " + typo + " holds no objects, so no day has source data there";
        Cli.Result status = Cli.run("status", "--partition", DAY.hivePath(), "--source", typo, "--output", output(), "--s3-endpoint", endpoint);
        assertThat(status.code()).as(status.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(status.err()).startsWith("etl: " + said);
        String channel = DAY.hivePath().substring(0, DAY.hivePath().indexOf("/year="));
        Cli.Result backfill = Cli.run("backfill", "--partition", channel, "--from", "2017-08-01", "--to", "2017-08-02", "--source", typo, "--output", output(),
                "--s3-endpoint", endpoint);
        assertThat(backfill.code()).as(backfill.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(backfill.err()).startsWith("etl: " + said);
        assertThat(list(root + "/")).as("nothing written by a refused command").isEmpty();

        // one object under it is enough: a day of it without source is then what status says
        direct.write(new Location(typo + "/" + DAY.sourcePath() + "/part-0.json"), "{}\n".getBytes(StandardCharsets.UTF_8));
        Cli.Result other = Cli.run("status", "--partition", channel, "--from", "2017-08-02", "--to", "2017-08-02", "--source", typo, "--output", output(),
                "--s3-endpoint", endpoint);
        assertThat(other.code()).as(other.err()).isEqualTo(ExitCode.DONE);
        assertThat(other.out()).containsPattern("2017-08-02 +partition +no source");
    }

    /**
     * S3 that fails when a load or status first reads the output (500 for the day's publication
     * pointer, or the connection dropped) is a failure, exit 1, which a scheduler retries: the same
     * command may well succeed a minute later. Only what the user must fix is a refusal (exit 2),
     * such as a bucket that is not there. Nothing is written either way, and once S3 answers the
     * day loads.
     */
    @Test
    void anS3FailureBeforeTheLoadIsAFailureAndNoRefusal()
            throws IOException
    {
        String pointer = root + "/_etl/published/";
        for (Fault fault : List.of(Fault.INTERNAL_ERROR, Fault.DROP)) {
            proxy.heal();
            Injection failing = proxy.inject(Rule.every(Operation.OTHER, pointer, fault));
            String cause = fault == Fault.DROP ? DROPPED : REFUSED;
            Cli.Result load = load();
            assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.STEP_FAILED);
            assertThat(load.err().strip()).as("one line").doesNotContain("\n")
                    .startsWith("etl: cannot read what " + output() + " has published: " + output() + "/_etl/published/").contains(cause)
                    .endsWith("; the storage failed, not the command: rerun it");
            Cli.Result status = status();
            assertThat(status.code()).as(status.err()).isEqualTo(ExitCode.STEP_FAILED);
            assertThat(status.err().strip()).doesNotContain("\n").contains(cause).endsWith("; the storage failed, not the command: rerun it");
            assertThat(failing.fired()).as("the SDK's retries reached the proxy").isGreaterThan(2);
            assertThat(list(root + "/")).as("nothing written by a command that could not read the output").isEmpty();
        }

        // the same for a day of an S3 source whose listing S3 fails
        String raw = root + "-raw";
        direct.write(new Location("s3://" + BUCKET + "/" + raw + "/" + DAY.sourcePath() + "/part-0.json"),
                "{\"meta\":{\"session_long\":\"d1\"},\"params\":{\"cc\":\"gh\"}}\n".getBytes(StandardCharsets.UTF_8));
        proxy.heal();
        Injection listing = proxy.inject(Rule.every(Operation.LIST_OBJECTS_V2, raw + "/" + DAY.sourcePath(), Fault.INTERNAL_ERROR));
        for (String command : List.of("load", "status")) {
            Cli.Result fromS3 = Cli.run(command, "--partition", DAY.hivePath(), "--source", "s3://" + BUCKET + "/" + raw, "--output", output(),
                    "--s3-endpoint", proxy.endpoint().toString());
            assertThat(fromS3.code()).as(command + ": " + fromS3.err()).isEqualTo(ExitCode.STEP_FAILED);
            assertThat(fromS3.err().strip()).as(command).doesNotContain("\n")
                    .startsWith("etl: cannot read source partition s3://" + BUCKET + "/" + raw + "/" + DAY.sourcePath()).contains(REFUSED)
                    .endsWith("; the storage failed, not the command: rerun it");
        }
        assertThat(listing.fired()).isGreaterThan(2);
        assertThat(list(root + "/")).as("nothing written").isEmpty();

        // what the user must fix stays a refusal: a bucket that is not there (S3's 404 NoSuchBucket)
        proxy.heal();
        String missing = "s3://no-such-bucket-" + System.nanoTime() + "/out";
        Cli.Result noBucket = Cli.run("load", "--partition", DAY.hivePath(), "--source", source().toString(), "--output", missing,
                "--s3-endpoint", proxy.endpoint().toString());
        assertThat(noBucket.code()).as(noBucket.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(noBucket.err()).contains("NoSuchBucket").endsWith("check that location and your access to it, then rerun\n");

        completes();
    }

    /**
     * A load whose output is on S3 works on a local copy of its day and uploads what it staged,
     * both streamed: a source file larger than the JVM's whole heap loads (each file was read into
     * the heap whole, and a 69 MB file failed a JVM of 256 MB with OutOfMemoryError).
     */
    @Test
    void aSourceFileLargerThanTheHeapLoads()
            throws Exception
    {
        int before = events;
        events = 300_000;
        EtlProcess.Finished load;
        try {
            load = loadProcess(Map.of("JAVA_TOOL_OPTIONS", "-Xmx" + HEAP_MB + "m")).await();
        }
        finally {
            events = before;
        }
        try (Stream<Path> files = Files.list(RawFiles.folder(source(), DAY))) {
            assertThat(files.mapToLong(file -> file.toFile().length()).max().orElseThrow()).as("a source file larger than the heap")
                    .isGreaterThan(HEAP_MB * 1024 * 1024);
        }
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        String run = runOf(new Cli.Result(load.code(), "", load.err()));
        assertAllWhole(run);
        assertCurrent(run);
    }

    /**
     * A load to S3 works on a local copy under Java's temporary folder, which the docs tell how to
     * move (a full /tmp): a status run with it moved still calls the day current. The copy's path is
     * in the rendered SQL, and status took every day loaded before the move for changed SQL.
     */
    @Test
    void aDayLoadedWithTheTemporaryFolderElsewhereIsCurrent()
            throws Exception
    {
        String run = loaded();
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        EtlProcess.Finished status = s3Process(Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + elsewhere),
                List.of("status", "--partition", DAY.hivePath(), "--source", source().toString(), "--output", output(), "--s3-endpoint", proxy.endpoint().toString()))
                .await();
        assertThat(status.code()).as(status.err()).isEqualTo(ExitCode.DONE);
        assertCurrent(run);
    }

    /**
     * A report on S3 whose page S3 refused to take deleted the earlier page and left the folder
     * without one: its publish cleared the folder before it copied the new files in. The files are
     * now written over their names, the page after its images: the earlier page stays until the new
     * one is written, and the next report, healed, replaces the mix. load --report said the storage's
     * line alone, as if the day had failed to load; it now says the day is published and only its
     * report is left to write.
     */
    @Test
    void aReportThatCannotBeWrittenKeepsTheEarlierPage()
            throws Exception
    {
        loaded();
        String[] report = {"report", "--partition", DAY.hivePath(), "--output", output(), "--s3-endpoint", proxy.endpoint().toString()};
        assertThat(Cli.run(report).code()).isZero();
        Location page = new Location(output()).resolve("_reports/" + DAY.hivePath() + "/index.html");
        byte[] earlier = direct.read(page).orElseThrow();

        // the published page's key, however it is written there (a put, or a copy from a staging area)
        String pageKey = root + "/_reports/" + DAY.hivePath() + "/index.html";
        proxy.inject(Rule.every(Operation.PUT_OBJECT, pageKey, Fault.INTERNAL_ERROR));
        proxy.inject(Rule.every(Operation.COPY_OBJECT, pageKey, Fault.INTERNAL_ERROR));
        Cli.Result failed = Cli.run(report);
        assertThat(failed.code()).as(failed.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(direct.read(page)).as("the earlier page").hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(earlier));

        Cli.Result load = Cli.run("load", "--partition", DAY.hivePath(), "--source", source().toString(), "--output", output(), "--s3-endpoint",
                proxy.endpoint().toString(), "--report");
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(load.err()).containsPattern("etl: " + Pattern.quote(DAY.toString()) + " is published by run \\S+, but its report was not written: .*InternalError")
                .contains("; etl report writes it once the storage answers again");
        assertThat(direct.read(page)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(earlier));

        proxy.heal();
        Cli.Result healed = Cli.run(report);
        assertThat(healed.code()).as(healed.err()).isZero();
        assertThat(direct.read(page)).hasValueSatisfying(bytes -> assertThat(bytes).isNotEqualTo(earlier));
        // the folder holds what its list names, nothing more
        String folder = root + "/_reports/" + DAY.hivePath() + "/";
        List<String> listed = new String(direct.read(new Location("s3://" + BUCKET + "/" + folder + "_etl_report")).orElseThrow(), StandardCharsets.UTF_8).lines().toList();
        assertThat(list(folder).stream().map(object -> object.key().substring(folder.length())).filter(name -> !name.equals("_etl_report")).sorted().toList())
                .isEqualTo(listed.stream().sorted().toList()).contains("index.html", "dau.png");
    }

    /** With the proxy healed, the next load finishes what was cut short and publishes, and status says current. */
    private void completes()
    {
        proxy.heal();
        assertCurrent(loaded());
    }

    private void assertCurrent(String run)
    {
        Cli.Result status = status();
        assertThat(status.code()).as(status.out() + status.err()).isEqualTo(ExitCode.DONE);
        assertThat(status.out()).containsPattern("partition +current +published by run " + run);
        assertThat(list(root + "/_staging/")).isEmpty();
    }

    private Cli.Result status()
    {
        return Cli.run("status", "--partition", DAY.hivePath(), "--source", source().toString(), "--output", output(), "--s3-endpoint", proxy.endpoint().toString());
    }

    /** A load that must succeed; its run id, after checking that every dataset is that run's, whole. */
    private String loaded()
    {
        Cli.Result load = load();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        String run = runOf(load);
        assertThat(publication()).contains(run);
        assertAllWhole(run);
        return run;
    }

    private Cli.Result load()
    {
        try {
            LocalFolders.deleteTree(source());
            // each run loads a day of another size, so that its files differ from every other run's
            Samples.day(source(), DAY, events);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        events += 100;
        return Cli.run("load", "--partition", DAY.hivePath(), "--source", source().toString(), "--output", output(), "--s3-endpoint", proxy.endpoint().toString());
    }

    /** The run a load's output names: the staging area it wrote (a load prints it as it goes). */
    private static String runOf(Cli.Result load)
    {
        Matcher matcher = RUN_IN_PROGRESS.matcher(load.err() + load.out());
        assertThat(matcher.find()).as(load.err()).isTrue();
        return matcher.group(1);
    }

    private Path source()
    {
        return work.resolve("source");
    }

    private String output()
    {
        return "s3://" + BUCKET + "/" + root;
    }

    /** The runner's S3 storage as the command line makes it, reaching S3Proxy through the faulty proxy. */
    private static S3Storage throughProxy()
    {
        return S3Storage.create(new S3Settings(Optional.of(proxy.endpoint()), true, Optional.of("us-east-1")));
    }

    /** A dataset's published prefix, as a key prefix in the bucket. */
    private String prefix(String dataset)
    {
        return root + "/" + dataset + "/" + DAY.hivePath() + "/";
    }

    /** The run the publication pointer names. */
    private Optional<String> publication()
    {
        try {
            return direct.read(new Location(output()).resolve("_etl/published/" + DAY.hivePath() + ".json")).map(bytes -> readTree(bytes).get("run_id").asText());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void assertAllWhole(String run)
    {
        for (String dataset : datasets) {
            assertThat(published(dataset)).as(() -> describe(dataset)).isEqualTo(Published.whole(run));
        }
    }

    private Map<String, Published> publishedNow()
    {
        Map<String, Published> published = new LinkedHashMap<>();
        for (String dataset : datasets) {
            Published now = published(dataset);
            assertThat(now.state()).as(() -> describe(dataset)).isNotEqualTo(Published.State.MIXED);
            published.put(dataset, now);
        }
        return published;
    }

    /** What a published prefix holds, by its marker and by its files' content. */
    record Published(State state, Optional<String> run)
    {
        enum State
        {
            /** A run's files, every one, and its marker. */
            WHOLE,
            /** Nothing. */
            EMPTY,
            /** Some or all of one run's files, without a marker. */
            PARTIAL,
            /** Anything else: files of two runs, or a marker that does not describe the files. */
            MIXED,
        }

        Published
        {
            if ((state == State.WHOLE || state == State.PARTIAL) && run.isEmpty()) {
                throw new IllegalArgumentException(state + " names its run");
            }
        }

        static Published whole(String run)
        {
            return new Published(State.WHOLE, Optional.of(run));
        }

        static Published partial(String run)
        {
            return new Published(State.PARTIAL, Optional.of(run));
        }

        static Published empty()
        {
            return new Published(State.EMPTY, Optional.empty());
        }
    }

    private Published published(String dataset)
    {
        Map<String, String> files = new TreeMap<>();
        Optional<String> marker = Optional.empty();
        for (S3Object object : list(prefix(dataset))) {
            String name = object.key().substring(prefix(dataset).length());
            if (name.equals(MARKER)) {
                marker = Optional.of(readTree(read(object.key())).get("run_id").asText());
            }
            else if (dataFile(name)) {
                files.put(name, object.eTag());
            }
        }
        if (marker.isPresent()) {
            // a dataset without rows stages no file: published, it is its marker alone
            boolean describes = files.equals(staged.getOrDefault(marker.get(), Map.of()).getOrDefault(dataset, Map.of()));
            return describes ? Published.whole(marker.get()) : new Published(Published.State.MIXED, marker);
        }
        if (files.isEmpty()) {
            return Published.empty();
        }
        // runs may stage a file alike (byte for byte): a partial prefix is the newest run's that staged all its files
        Optional<String> newest = staged.entrySet().stream()
                .filter(run -> subsetOf(files, run.getValue().getOrDefault(dataset, Map.of())))
                .map(Map.Entry::getKey)
                .max(Comparator.naturalOrder());
        return newest.map(Published::partial).orElseGet(() -> new Published(Published.State.MIXED, Optional.empty()));
    }

    /** The published prefix's objects and every run's staged files of the dataset, for a failure's message. */
    private String describe(String dataset)
    {
        StringBuilder description = new StringBuilder(dataset).append(": published ").append(listing(dataset));
        staged.forEach((run, files) -> description.append("; ").append(run).append(" staged ").append(files.getOrDefault(dataset, Map.of())));
        return description.toString();
    }

    private void recordStaged(String manifestKey)
    {
        String runPrefix = manifestKey.substring(0, manifestKey.length() - "_publish.json".length());
        String run = runPrefix.substring(runPrefix.lastIndexOf('/', runPrefix.length() - 2) + 1, runPrefix.length() - 1);
        Map<String, Map<String, String>> files = new LinkedHashMap<>();
        for (S3Object object : list(runPrefix)) {
            String relative = object.key().substring(runPrefix.length());
            String name = relative.substring(relative.lastIndexOf('/') + 1);
            if (relative.contains("/") && dataFile(name)) {
                files.computeIfAbsent(relative.substring(0, relative.indexOf('/')), ignored -> new TreeMap<>()).put(name, object.eTag());
            }
        }
        staged.put(run, files);
    }

    /** What readers read: not a marker, nor a folder marker (a key ending in {@code /}, which S3Proxy's file system store lists). */
    private static boolean dataFile(String name)
    {
        return !name.isEmpty() && !name.startsWith("_") && !name.startsWith(".");
    }

    private static List<S3Object> list(String prefix)
    {
        List<S3Object> objects = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = direct.client().listObjectsV2(request -> request.bucket(BUCKET).prefix(prefix).continuationToken(continuation));
            objects.addAll(page.contents());
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        }
        while (token != null);
        return objects;
    }

    private static byte[] read(String key)
    {
        return direct.client().getObjectAsBytes(request -> request.bucket(BUCKET).key(key)).asByteArray();
    }

    private static JsonNode readTree(byte[] bytes)
    {
        try {
            return JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
