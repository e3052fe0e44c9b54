package org.eventetl.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Races: tasks that wait on one latch, so that they start as nearly together as threads can. */
public final class StartedTogether
{
    private StartedTogether() {}

    /** Runs the tasks on the pool, released at one moment, and returns their results in order. */
    public static <T> List<T> run(ExecutorService pool, int count, IntFunction<Callable<T>> task)
            throws Exception
    {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> running = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            Callable<T> work = task.apply(index);
            running.add(pool.submit(() -> {
                start.await();
                return work.call();
            }));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> result : running) {
            results.add(result.get());
        }
        return results;
    }
}
