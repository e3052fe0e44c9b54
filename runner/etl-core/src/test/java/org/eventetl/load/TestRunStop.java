package org.eventetl.load;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.eventetl.engine.Engine;
import org.eventetl.engine.ProgressListener;
import org.eventetl.engine.QueryRows;
import org.eventetl.engine.StepStatistics;
import org.eventetl.model.EngineKind;
import org.eventetl.render.RenderedScript;
import org.eventetl.render.RenderedStep;

import static org.assertj.core.api.Assertions.assertThat;

class TestRunStop
{
    @Test
    void aStopBeforeThePublishCancelsTheRunningStatementAndIsSeenAtThePublish()
    {
        CountingCancels engine = new CountingCancels();
        RunStop stop = new RunStop(engine);

        assertThat(stop.requested()).isEmpty();
        assertThat(stop.request("Ctrl-C")).isTrue();
        assertThat(engine.cancels.get()).isEqualTo(1);
        // a second signal is a second cancel, but the first cause is the one the history names
        assertThat(stop.request("SIGTERM")).isTrue();
        assertThat(engine.cancels.get()).isEqualTo(2);
        assertThat(stop.requested()).contains("Ctrl-C");

        assertThat(stop.beginPublish()).contains("Ctrl-C");
        // the publish did not begin, so a lost lease still cancels
        stop.abandon();
        assertThat(engine.cancels.get()).isEqualTo(3);
    }

    @Test
    void onceThePublishHasBegunNoStopCancelsTheEngine()
    {
        CountingCancels engine = new CountingCancels();
        RunStop stop = new RunStop(engine);

        assertThat(stop.beginPublish()).isEmpty();
        assertThat(stop.request("SIGTERM")).isFalse();
        stop.abandon();

        assertThat(engine.cancels.get()).isZero();
        // the stop is still known, for what the command says at its end
        assertThat(stop.requested()).contains("SIGTERM");
    }

    @Test
    void aStopWhileADeadRunsPublishIsFinishedCancelsNothingAndIsSeenAtThePublish()
            throws Exception
    {
        CountingCancels engine = new CountingCancels();
        RunStop stop = new RunStop(engine);

        stop.finishing(() -> {
            assertThat(stop.request("Ctrl-C")).isFalse();
            stop.abandon();
        });
        assertThat(engine.cancels.get()).isZero();
        assertThat(stop.beginPublish()).contains("Ctrl-C");
        // done finishing, a stop cancels again
        assertThat(stop.request("Ctrl-C")).isTrue();
        assertThat(engine.cancels.get()).isEqualTo(1);
    }

    @Test
    void aLostLeaseCancelsWithoutBeingAStop()
    {
        CountingCancels engine = new CountingCancels();
        RunStop stop = new RunStop(engine);

        stop.abandon();

        assertThat(engine.cancels.get()).isEqualTo(1);
        assertThat(stop.requested()).isEmpty();
        assertThat(stop.isFor(engine)).isTrue();
        assertThat(stop.isFor(new CountingCancels())).isFalse();
    }

    /** Only cancel() is asked of a stop's engine; the rest would be a mistake in RunStop. */
    private static final class CountingCancels
            implements Engine
    {
        private final AtomicInteger cancels = new AtomicInteger();

        @Override
        public void cancel()
        {
            cancels.incrementAndGet();
        }

        @Override
        public EngineKind kind()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public StepStatistics execute(RenderedStep step, ProgressListener progress)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public QueryRows query(RenderedScript audit, int maxRows)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void run(RenderedScript callback)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<String> persistentDatabase()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close()
        {
            throw new UnsupportedOperationException();
        }
    }
}
