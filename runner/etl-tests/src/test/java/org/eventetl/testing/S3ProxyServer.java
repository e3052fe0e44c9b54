package org.eventetl.testing;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

import org.eventetl.storage.LocalFolders;
import org.eventetl.storage.S3Settings;
import org.eventetl.storage.S3Storage;

/**
 * A real S3 API in-process: S3Proxy on loopback over jclouds' filesystem store (its in-memory
 * store answers every conditional put with 412, so leases could not be tested on it), its
 * conditional puts made atomic as S3's are ({@link AtomicConditionalPuts}), with the same
 * access keys the local Trino stack uses. Unknown headers are ignored, as newer AWS SDKs send
 * some (x-amz-optional-object-attributes) that S3Proxy may not know.
 */
public final class S3ProxyServer
        implements AutoCloseable
{
    public static final String ACCESS_KEY = "local-identity";
    public static final String SECRET_KEY = "local-credential";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final URI endpoint;
    private final Path folder;

    public S3ProxyServer(String... buckets)
            throws Exception
    {
        this(false, buckets);
    }

    /**
     * Over jclouds' in-memory store, whose keys are no file names: for objects whose names a disk
     * cannot hold (over 255 bytes). Its conditional puts are refused (see above): no leases on it.
     */
    public static S3ProxyServer inMemory(String... buckets)
            throws Exception
    {
        return new S3ProxyServer(true, buckets);
    }

    private S3ProxyServer(boolean inMemory, String... buckets)
            throws Exception
    {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        this.folder = Files.createTempDirectory("s3proxy");
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", folder.toString());
        this.context = ContextBuilder.newBuilder(inMemory ? "transient" : "filesystem").credentials(ACCESS_KEY, SECRET_KEY).overrides(properties).build(BlobStoreContext.class);
        BlobStore store = context.getBlobStore();
        for (String bucket : buckets) {
            store.createContainerInLocation(null, bucket);
        }
        this.proxy = S3Proxy.builder()
                .blobStore(new AtomicConditionalPuts(store))
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
        // the AWS default chain reads these, as it would read a real user's credentials
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
    }

    public URI endpoint()
    {
        return endpoint;
    }

    public S3Settings settings()
    {
        return new S3Settings(Optional.of(endpoint), true, Optional.of("us-east-1"));
    }

    public S3Storage storage()
    {
        return S3Storage.create(settings());
    }

    @Override
    public void close()
            throws Exception
    {
        proxy.stop();
        context.close();
        LocalFolders.deleteTree(folder);
    }
}
