package org.eventetl.testing;

import org.eventetl.storage.S3Storage;

/**
 * The Trino suites' one stack per test run: an S3Proxy with the metastore's and the data's buckets,
 * and a Trino cluster over it, started by the first suite that asks and stopped when the test JVM
 * exits, so that a run of every Trino suite pays for one cluster start.
 */
public final class TrinoStack
{
    private static TrinoStack shared;

    private final S3ProxyServer s3;
    private final TrinoServer trino;

    private TrinoStack(S3ProxyServer s3, TrinoServer trino)
    {
        this.s3 = s3;
        this.trino = trino;
    }

    /** The stack, started on first use; the test is skipped (one SKIPPED line) where Trino cannot run. */
    public static synchronized TrinoStack shared()
            throws Exception
    {
        if (shared == null) {
            S3ProxyServer s3 = new S3ProxyServer("etl-metastore", "etl");
            TrinoServer trino;
            try {
                trino = TrinoServer.start(s3);
            }
            catch (Exception | Error e) {
                s3.close();
                throw e;
            }
            shared = new TrinoStack(s3, trino);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::closeQuietly, "trino-stack-stop"));
        }
        return shared;
    }

    public S3ProxyServer s3()
    {
        return s3;
    }

    public TrinoServer trino()
    {
        return trino;
    }

    /** A storage over the stack's S3 API; the caller closes it. */
    public S3Storage storage()
    {
        return s3.storage();
    }

    private void closeQuietly()
    {
        try {
            trino.close();
        }
        catch (Exception ignored) {
            // the JVM is exiting: the processes are being stopped anyway
        }
        try {
            s3.close();
        }
        catch (Exception ignored) {
            // as above
        }
    }
}
