package org.eventetl.model;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Named moments of a run where a test can stop it, to kill it there (kill -9) or to stall it past
 * its lease: with {@code ETL_TEST_PAUSE_AT=<point>} set in the environment, a run that reaches the
 * point says {@code etl: paused at <point>} on stderr and waits, until {@code ETL_TEST_RESUME_FILE}
 * exists if that is set (an interrupt does not end that wait), else until it is killed or interrupted. Unset, a point costs one comparison. The points
 * are listed where a run reaches them: {@code lease} (a load or repair about to take the
 * partition's lease), {@code source ready} (the source copied where the engine reads it and its
 * gzip files checked, no step begun), {@code step <id>}, {@code statement <id> <n>} (after a
 * step's n-th statement, from 1), {@code audit <id>}, {@code audited} (the audits passed, the publish not begun), {@code publish <dataset>} (staged, marked,
 * not yet swapped in), {@code published <dataset>}, {@code pointer}, {@code afterPublish} (every dataset swapped in and the pointer written, the callbacks not yet run), {@code recorded}; and for repair, {@code repaired} (all done and recorded, its lease not yet given back); for a report,
 * {@code report staged} (its page and images written to its staging area, not yet swapped in);
 * on a local output, {@code lease renewal} and {@code lease release} (inside the change of the lock,
 * its guard held: read, not yet written or deleted).
 */
public final class PausePoints
{
    private static final String POINT = System.getenv("ETL_TEST_PAUSE_AT");
    private static final String RESUME = System.getenv("ETL_TEST_RESUME_FILE");

    private PausePoints() {}

    public static void reach(String point)
    {
        if (POINT == null || !POINT.equals(point)) {
            return;
        }
        System.err.println("etl: paused at " + point);
        System.err.flush();
        // With a resume file, only the file ends the pause: an interrupt is kept for when the run
        // goes on. A lease renewal paused on the lease keeper's thread is interrupted when the run's
        // main thread finishes and closes the keeper, which would let the run end before the test
        // had stopped it (SIGSTOP) where it paused.
        boolean interrupted = false;
        while (RESUME == null || !Files.exists(Path.of(RESUME))) {
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException e) {
                interrupted = true;
                if (RESUME == null) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
