package org.eventetl.testing;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import org.gaul.s3proxy.PutOptions2;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.http.HttpResponse;
import org.jclouds.http.HttpResponseException;

/**
 * Makes S3Proxy decide a conditional put ({@code If-None-Match: *}, {@code If-Match: <ETag>}) the
 * way S3 does: atomically. S3Proxy emulates the conditions for stores without their own (the
 * filesystem store among them) with a HEAD and then a PUT, so writers that race at an absent key
 * can all be told they created it, and two runs could both hold one lease. Here the check and the
 * write happen under a lock per key that every put and delete of that key takes, and a key that
 * exists (If-None-Match) or has another ETag (If-Match) answers 412 Precondition Failed, as S3
 * does. A key that is gone answers 412 to If-Match as well, where S3 answers 404; the client
 * reads either as a refusal.
 */
final class AtomicConditionalPuts
        extends ForwardingBlobStore
{
    private final ConcurrentMap<String, Object> keyLocks = new ConcurrentHashMap<>();

    AtomicConditionalPuts(BlobStore store)
    {
        super(store);
    }

    @Override
    public String putBlob(String container, Blob blob)
    {
        return putBlob(container, blob, PutOptions.NONE);
    }

    @Override
    public String putBlob(String container, Blob blob, PutOptions options)
    {
        String name = blob.getMetadata().getName();
        return underKeyLock(container, name, () -> {
            if (options instanceof PutOptions2 conditional) {
                if ("*".equals(conditional.getIfNoneMatch()) && delegate().blobExists(container, name)) {
                    throw preconditionFailed(container + "/" + name + " exists");
                }
                if (conditional.getIfMatch() != null) {
                    BlobMetadata current = delegate().blobMetadata(container, name);
                    if (current == null || !unquoted(conditional.getIfMatch()).equals(unquoted(current.getETag()))) {
                        throw preconditionFailed(container + "/" + name + " is not " + conditional.getIfMatch());
                    }
                }
            }
            return delegate().putBlob(container, blob, options);
        });
    }

    @Override
    public void removeBlob(String container, String name)
    {
        underKeyLock(container, name, () -> {
            delegate().removeBlob(container, name);
            return null;
        });
    }

    @Override
    public void removeBlobs(String container, Iterable<String> names)
    {
        for (String name : names) {
            removeBlob(container, name);
        }
    }

    private static HttpResponseException preconditionFailed(String why)
    {
        return new HttpResponseException("precondition failed: " + why, null,
                HttpResponse.builder().statusCode(412).message("Precondition Failed").build());
    }

    private static String unquoted(String eTag)
    {
        return eTag == null ? "" : eTag.replace("\"", "");
    }

    private <T> T underKeyLock(String container, String name, Supplier<T> action)
    {
        synchronized (keyLocks.computeIfAbsent(container + "/" + name, key -> new Object())) {
            return action.get();
        }
    }
}
