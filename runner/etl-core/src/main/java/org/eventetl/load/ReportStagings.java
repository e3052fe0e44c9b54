package org.eventetl.load;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.eventetl.lease.Lease;
import org.eventetl.lease.LeaseStore;
import org.eventetl.model.Json;
import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.Location;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.RunStaging;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * The staging areas of {@code etl report}. On a local disk a report writes its page whole under
 * {@code _staging/<id>/_reports/<partition path>/}, then swaps it in, as a load publishes; a report
 * killed meanwhile leaves that area behind. (On S3 it writes over the published names and stages
 * nothing; an area found there is an earlier version's.) Its first file is its claim, {@value #CLAIM}: the
 * process that writes it, as a lease names its holder, so that a later report, {@code etl repair}
 * and {@code status} tell a report still being written from one whose process is gone (on this
 * host at once; from another host once the claim has expired, after {@link #ABANDONED_AFTER}).
 * A report takes no lease, so nothing else tells them apart. A load's staging begins with its run
 * record and is the load's to tidy.
 */
public final class ReportStagings
{
    /** The folder of the output that holds the reports, named like a dataset's; the runner's own folders start with _. */
    public static final String FOLDER = "_reports";

    /** How long a report's claim lasts: a report takes a second or two, so one this old is no report still being written. */
    public static final Duration ABANDONED_AFTER = Duration.ofHours(1);

    static final String CLAIM = "_report.json";

    private final Storage storage;
    private final Location output;
    private final Clock clock;

    public ReportStagings(Storage storage, Location output, Clock clock)
    {
        this.storage = requireNonNull(storage, "storage is null");
        this.output = requireNonNull(output, "output is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A staging area for a report of {@code partition}, claimed by this process before anything else is written to it. */
    public RunStaging begin(Partition partition)
            throws IOException
    {
        Instant now = clock.instant();
        RunStaging staging = new RunStaging(output, RunId.startingAt(now));
        Lease claim = Lease.ofThisProcess(partition.hivePath(), staging.runId().value(), Lease.Purpose.REPORT, now, now.plus(ABANDONED_AFTER));
        try {
            storage.write(claim(staging), Json.MAPPER.writeValueAsBytes(claim));
        }
        catch (IOException | RuntimeException e) {
            // (a full disk): nothing else is written yet, and a claim cut short would be judged by time
            try {
                storage.clear(staging);
            }
            catch (IOException | RuntimeException cleared) {
                e.addSuppressed(cleared);
            }
            throw e;
        }
        return staging;
    }

    /** The staging areas that reports of {@code partition} left and whose process is gone: a report killed while it wrote. */
    public List<RunStaging> abandoned(Partition partition)
            throws IOException
    {
        List<RunStaging> abandoned = new ArrayList<>();
        for (String name : storage.listFolders(output.resolve(RunStaging.FOLDER))) {
            if (!RunId.isRunId(name)) {
                continue;
            }
            RunStaging staging = new RunStaging(output, new RunId(name));
            if (ofALoad(staging)) {
                continue;
            }
            Optional<Lease> claim = readClaim(staging);
            boolean ofThisPartition = claim.isPresent() ? claim.get().partition().equals(partition.hivePath())
                    : storage.folderExists(new PublishedPrefix(output, FOLDER, partition).staged(staging.runId()).location());
            if (!ofThisPartition) {
                continue;
            }
            // without a claim (an earlier version's report, or one killed before its claim was
            // written, or a claim cut short): by the time its id says it began
            boolean gone = claim.map(held -> LeaseStore.gone(held, clock))
                    .orElseGet(() -> staging.runId().startedAt().plus(ABANDONED_AFTER).isBefore(clock.instant()));
            if (gone) {
                abandoned.add(staging);
            }
        }
        return abandoned;
    }

    /** Removes a report's staging area. */
    public void remove(RunStaging staging)
            throws IOException
    {
        storage.clear(staging);
    }

    /** Whether a load's run record is there (damaged or not: a report writes none), so the area is the load's to tidy. */
    private boolean ofALoad(RunStaging staging)
            throws IOException
    {
        try {
            return storage.read(staging.runRecord()).isPresent();
        }
        catch (DamagedFileException e) {
            return true;
        }
    }

    private Optional<Lease> readClaim(RunStaging staging)
            throws IOException
    {
        try {
            Optional<byte[]> content = storage.read(claim(staging));
            return content.isEmpty() ? Optional.empty() : Optional.of(Json.read(content.get(), Lease.class));
        }
        catch (JsonProcessingException | DamagedFileException e) {
            // cut short (a full disk), or something else in its place: judged as an area without a claim
            return Optional.empty();
        }
    }

    private static Location claim(RunStaging staging)
    {
        return staging.location().resolve(CLAIM);
    }
}
