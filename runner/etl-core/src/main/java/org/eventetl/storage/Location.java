package org.eventetl.storage;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Where data lives: an absolute local path or an {@code s3://bucket/key} URI, always written
 * without a trailing slash (folders get theirs from {@link #asPrefix()}).
 */
public record Location(String uri)
{
    /** A scheme and a colon before a slash: what a URI starts with, and no local folder a user means. */
    private static final Pattern URI_LIKE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:/.*");
    /** The schemes of object stores and file systems, with a colon but no slash (s3:bucket/out): a URI mistyped, not a folder named "s3:bucket". */
    private static final Pattern SCHEME_WITHOUT_SLASHES = Pattern.compile("(?i)(s3|s3a|s3n|gs|gcs|hdfs|abfss?|wasbs?|az|file|https?):.*");

    public Location
    {
        requireNonNull(uri, "uri is null");
        if (uri.isEmpty()) {
            throw new IllegalArgumentException("location is empty");
        }
        while (uri.length() > 1 && uri.endsWith("/") && !uri.endsWith("://")) {
            uri = uri.substring(0, uri.length() - 1);
        }
    }

    /**
     * A local path (made absolute) or an s3:// URI, as a user types it. Anything else that looks
     * like a URI ({@code s3:/bucket}, {@code gs://…}) is refused, rather than taken for a local
     * folder of that name.
     */
    public static Location of(String text)
    {
        if (text.startsWith("s3://")) {
            if (text.length() == "s3://".length() || text.charAt("s3://".length()) == '/') {
                throw new IllegalArgumentException("'" + text + "' names no bucket: give s3://bucket/prefix");
            }
            // a key is no path: s3://bucket//out and s3://bucket/a/../out are prefixes of their own,
            // which no other command spelling the same folder would find
            String key = text.substring("s3://".length()).replaceFirst("^[^/]*/?", "").replaceFirst("/+$", "");
            if (!key.isEmpty() && Arrays.stream(key.split("/", -1)).anyMatch(part -> part.isEmpty() || part.equals(".") || part.equals(".."))) {
                throw new IllegalArgumentException("'" + text + "' holds an empty, '.' or '..' part: an S3 key is no path, so give the prefix as its objects are named (s3://bucket/a/b)");
            }
            return new Location(text);
        }
        if (SCHEME_WITHOUT_SLASHES.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is neither a local folder nor s3://bucket/prefix (a local folder whose name holds a colon: give it as ./" + text + ")");
        }
        if (URI_LIKE.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is neither a local folder nor s3://bucket/prefix");
        }
        return local(Path.of(text));
    }

    public static Location local(Path path)
    {
        return new Location(path.toAbsolutePath().normalize().toString());
    }

    public boolean isS3()
    {
        return uri.startsWith("s3://");
    }

    public Path toPath()
    {
        if (isS3()) {
            throw new IllegalStateException("not a local path: " + uri);
        }
        return Path.of(uri);
    }

    public Location resolve(String relative)
    {
        if (relative.startsWith("/") || relative.contains("..")) {
            throw new IllegalArgumentException("not a relative path: " + relative);
        }
        return new Location(asPrefix() + relative);
    }

    /**
     * The location with its trailing slash, as a prefix is always compared and cleared; the root
     * folder {@code /} is the one location that has it already.
     */
    public String asPrefix()
    {
        return uri.endsWith("/") ? uri : uri + "/";
    }

    /** The path of {@code descendant} below this location, e.g. {@code a/b.parquet}. */
    public String toRelative(Location descendant)
    {
        if (!descendant.uri().startsWith(asPrefix())) {
            throw new IllegalArgumentException(descendant + " is not under " + this);
        }
        return descendant.uri().substring(asPrefix().length());
    }

    public String fileName()
    {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    @Override
    public String toString()
    {
        return uri;
    }
}
