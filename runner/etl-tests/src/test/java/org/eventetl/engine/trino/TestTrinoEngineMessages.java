package org.eventetl.engine.trino;

import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import org.eventetl.model.StepFailedException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where the Trino driver itself fails (no coordinator, one that went away mid-query), its message
 * is a generic "Error executing query" or "Error fetching results": the network's reason under it
 * is what tells the user that the coordinator is down. No Trino server is needed.
 */
final class TestTrinoEngineMessages
{
    @Test
    void aCoordinatorThatIsNotThereIsSaidWithTheNetworksReason()
            throws Exception
    {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            // a port nothing listens on once this closes
            port = free.getLocalPort();
        }
        String url = "jdbc:trino://127.0.0.1:" + port;

        assertThatThrownBy(() -> new TrinoEngine(new TrinoSettings(url, "etl", "hive", "etl")))
                .isInstanceOf(StepFailedException.class)
                .hasMessageStartingWith("cannot reach Trino at " + url + ": ")
                .hasMessageContaining("Connection refused")
                .hasMessageEndingWith("; check trino.url and that the cluster is up");
    }
}
