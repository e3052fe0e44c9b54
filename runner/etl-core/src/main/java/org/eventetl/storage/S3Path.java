package org.eventetl.storage;

import static java.util.Objects.requireNonNull;

/** The bucket and key of an {@code s3://bucket/key} location. */
record S3Path(String bucket, String key)
{
    S3Path
    {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("no bucket in the location");
        }
    }

    static S3Path of(Location location)
    {
        if (!location.isS3()) {
            throw new IllegalArgumentException("not an s3:// location: " + location);
        }
        String rest = location.uri().substring("s3://".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? new S3Path(rest, "") : new S3Path(rest.substring(0, slash), rest.substring(slash + 1));
    }

    /** The key as a folder prefix, with its trailing slash (empty for the bucket itself). */
    String keyPrefix()
    {
        return key.isEmpty() ? "" : key + "/";
    }
}
