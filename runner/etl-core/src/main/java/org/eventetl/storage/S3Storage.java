package org.eventetl.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLException;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

import org.eventetl.model.Causes;

import static java.util.Objects.requireNonNull;

/**
 * Objects in S3 (or an S3-compatible store) through AWS SDK v2. Clearing is the classic failure
 * point of clear-then-write tools, so it is strict: list the prefix page by page, delete in
 * batches of 1000, fail on any key that DeleteObjects reports as not deleted (it does so inside a
 * successful response), then list again and fail if anything is left, before a byte is written.
 */
public final class S3Storage
        implements Storage, AutoCloseable
{
    static final int DELETE_BATCH = 1000;
    /** CopyObject copies objects of up to 5 GB; larger ones are copied in parts. */
    static final long MULTIPART_COPY_THRESHOLD = 5L * 1024 * 1024 * 1024;
    private static final long MINIMUM_PART = 5L * 1024 * 1024;
    /** How many server-side copies a publish runs at once. */
    private static final int COPIES_AT_ONCE = 8;

    private final S3Client client;
    private final long multipartCopyThreshold;

    public S3Storage(S3Client client)
    {
        this(client, MULTIPART_COPY_THRESHOLD);
    }

    S3Storage(S3Client client, long multipartCopyThreshold)
    {
        this.client = requireNonNull(client, "client is null");
        this.multipartCopyThreshold = multipartCopyThreshold;
    }

    public static S3Storage create(S3Settings settings)
    {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .forcePathStyle(settings.pathStyle());
        settings.endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint)
                // S3-compatible stores often reject the SDK's default streamed trailing checksums
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
        Optional<Region> region = region(settings, System::getenv);
        builder.region(region.orElse(Region.US_EAST_1));
        if (region.isEmpty() && settings.endpoint().isEmpty()) {
            // no region anywhere: AWS's own S3 then answers a bucket of another region with a
            // redirect, which the SDK follows, rather than failing every request
            builder.crossRegionAccessEnabled(true);
        }
        return new S3Storage(builder.build());
    }

    /**
     * The region to sign for, as the AWS command line finds it: s3.region, else AWS_REGION, else
     * AWS_DEFAULT_REGION (which the SDK alone does not read), else the profile's (AWS_PROFILE in
     * AWS_CONFIG_FILE, ~/.aws/config by default). The SDK's own chain would end by asking the
     * instance metadata service, which off EC2 costs seconds before it fails; with no region at
     * all, us-east-1 signs (an S3-compatible endpoint takes any).
     */
    static Optional<Region> region(S3Settings settings, UnaryOperator<String> environment)
    {
        // a variable set to blanks is taken as unset, as the one after it is then asked
        Optional<String> named = settings.region()
                .or(() -> Optional.ofNullable(environment.apply("AWS_REGION")).filter(text -> !text.isBlank()))
                .or(() -> Optional.ofNullable(environment.apply("AWS_DEFAULT_REGION")).filter(text -> !text.isBlank()))
                .filter(text -> !text.isBlank());
        if (named.isPresent()) {
            return named.map(String::strip).map(Region::of);
        }
        try {
            return Optional.ofNullable(new AwsProfileRegionProvider().getRegion());
        }
        catch (RuntimeException e) {
            // no profile, or none with a region
            return Optional.empty();
        }
    }

    public S3Client client()
    {
        return client;
    }

    @Override
    public boolean folderExists(Location folder)
            throws IOException
    {
        S3Path path = S3Path.of(folder);
        return call(() -> client.listObjectsV2(request -> request.bucket(path.bucket()).prefix(path.keyPrefix()).maxKeys(1)).keyCount() > 0);
    }

    @Override
    public List<SourceFile> listFiles(Location folder)
            throws IOException
    {
        S3Path path = S3Path.of(folder);
        List<SourceFile> files = new ArrayList<>();
        for (S3Object object : list(path.bucket(), path.keyPrefix(), "/")) {
            String name = object.key().substring(path.keyPrefix().length());
            if (name.isEmpty() || name.startsWith("_") || name.startsWith(".")) {
                continue;
            }
            files.add(new SourceFile(new Location("s3://" + path.bucket() + "/" + object.key()), object.size(), Objects.requireNonNullElse(object.eTag(), "")));
        }
        files.sort((left, right) -> left.location().uri().compareTo(right.location().uri()));
        return List.copyOf(files);
    }

    @Override
    public List<Location> listRecursively(Location folder)
            throws IOException
    {
        S3Path path = S3Path.of(folder);
        List<Location> locations = new ArrayList<>();
        for (S3Object object : list(path.bucket(), path.keyPrefix(), null)) {
            locations.add(new Location("s3://" + path.bucket() + "/" + object.key()));
        }
        return List.copyOf(locations);
    }

    @Override
    public List<String> listFolders(Location folder)
            throws IOException
    {
        S3Path path = S3Path.of(folder);
        List<String> names = new ArrayList<>();
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(path.bucket()).prefix(path.keyPrefix()).delimiter("/");
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = call(() -> client.listObjectsV2(request.continuationToken(continuation).build()));
            for (CommonPrefix common : page.commonPrefixes()) {
                String name = common.prefix().substring(path.keyPrefix().length());
                names.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        }
        while (token != null);
        return names.stream().sorted().toList();
    }

    @Override
    public int clear(OwnedPrefix target)
            throws IOException
    {
        S3Path path = S3Path.of(target.location());
        // folder markers go too, so that the prefix is gone, not merely empty; they go last, the
        // deepest first, as a store that models folders (S3Proxy's file system, in the tests) will
        // not delete a folder before what is in it (and waits before it gives up)
        List<S3Object> objects = listWithMarkers(path.bucket(), path.keyPrefix(), null).stream()
                .sorted(Comparator.comparing((S3Object object) -> object.key().endsWith("/"))
                        .thenComparing(object -> object.key().endsWith("/") ? -object.key().length() : 0))
                .toList();
        deleteKeys(path.bucket(), objects.stream().map(S3Object::key).toList(), (count, first) -> "could not clear " + target + ": " + count
                + " objects were not deleted, e.g. " + first.key() + " (" + first.code() + ": " + first.message() + "); nothing was written");
        List<S3Object> left = list(path.bucket(), path.keyPrefix(), null);
        if (!left.isEmpty()) {
            throw new IOException("could not clear " + target + ": " + left.size() + " objects are still there after deleting, e.g. "
                    + left.get(0).key() + "; nothing was written");
        }
        return (int) objects.stream().filter(object -> !object.key().endsWith("/")).count();
    }

    /**
     * Deletes the published objects (as {@link #clear} does: failing on any key not deleted, then
     * listing again to prove the prefix empty), then copies the staged objects in, server side, a
     * few at a time, so no byte passes through the runner. Objects whose names start with {@code _}
     * (markers that describe the data, which readers skip) are copied last, so a marker is only
     * there once the data it describes is. Between the delete and the last copy a reader sees the
     * prefix empty or partly filled: S3 has no rename (TestS3PublishFaults measures how long).
     */
    @Override
    public int publish(StagedPrefix staged)
            throws IOException
    {
        S3Path from = S3Path.of(staged.location());
        List<S3Object> objects = list(from.bucket(), from.keyPrefix(), null);
        if (objects.isEmpty()) {
            throw new IOException("nothing is staged at " + staged.prefix());
        }
        PublishedPrefix published = staged.published();
        S3Path to = S3Path.of(published.location());
        List<S3Object> data = objects.stream().filter(object -> !marker(object.key())).toList();
        List<S3Object> markers = objects.stream().filter(object -> marker(object.key())).toList();
        clear(published);
        copyAll(from, to, data);
        copyAll(from, to, markers);
        return objects.size();
    }

    private static boolean marker(String key)
    {
        return key.substring(key.lastIndexOf('/') + 1).startsWith("_");
    }

    /**
     * Copies {@link #COPIES_AT_ONCE} at a time. After a copy fails, the ones not yet started are
     * skipped and the ones under way are waited for before the failure is thrown: a copy still in
     * flight when publish returns would land later, in a prefix that the next run (or repair) may
     * have cleared and refilled by then, among that run's files.
     */
    private void copyAll(S3Path from, S3Path to, List<S3Object> objects)
            throws IOException
    {
        List<Transfers.Transfer> copies = new ArrayList<>();
        for (S3Object object : objects) {
            String key = to.keyPrefix() + object.key().substring(from.keyPrefix().length());
            copies.add(() -> {
                try {
                    copy(from.bucket(), object, to.bucket(), key);
                }
                catch (RuntimeException e) {
                    throw new IOException(e.getMessage(), e);
                }
            });
        }
        try {
            Transfers.run(copies, COPIES_AT_ONCE, Transfers.Ending.TO_THE_END, () -> false, done -> {});
        }
        catch (InterruptedIOException e) {
            // Ctrl-C: the process ends, so there is no one to wait for
            throw new IOException("interrupted while copying into " + to.bucket() + "/" + to.keyPrefix(), e);
        }
    }

    /** CopyObject, or a multipart copy for an object above its 5 GB limit. */
    private void copy(String sourceBucket, S3Object object, String bucket, String key)
            throws IOException
    {
        if (object.size() <= multipartCopyThreshold) {
            call(() -> client.copyObject(request -> request.sourceBucket(sourceBucket).sourceKey(object.key()).destinationBucket(bucket).destinationKey(key)));
            return;
        }
        String uploadId = call(() -> client.createMultipartUpload(request -> request.bucket(bucket).key(key))).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long partSize = Math.max(MINIMUM_PART, multipartCopyThreshold);
            for (long start = 0, number = 1; start < object.size(); start += partSize, number++) {
                String range = "bytes=" + start + "-" + (Math.min(object.size(), start + partSize) - 1);
                int partNumber = (int) number;
                UploadPartCopyResponse part = call(() -> client.uploadPartCopy(request -> request.sourceBucket(sourceBucket).sourceKey(object.key())
                        .destinationBucket(bucket).destinationKey(key).uploadId(uploadId).partNumber(partNumber).copySourceRange(range)));
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(part.copyPartResult().eTag()).build());
            }
            call(() -> client.completeMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts))));
        }
        catch (IOException | RuntimeException e) {
            try {
                call(() -> client.abortMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(uploadId)));
            }
            catch (IOException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    @Override
    public void write(Location file, byte[] content)
            throws IOException
    {
        S3Path path = S3Path.of(file);
        call(() -> client.putObject(request -> request.bucket(path.bucket()).key(path.key()), RequestBody.fromBytes(content)));
    }

    /**
     * Writes only if no object has the key yet (a conditional put): what a lease needs. Returns
     * false when another writer holds the key.
     * <p>
     * The SDK retries a put whose response was lost (a reset connection); when the lost attempt
     * had landed, the retry meets our own object and gets 412. So a 412 is only a refusal when the
     * object there is not byte for byte what we wrote: callers put something unique in it (a lease
     * holds its run id and time), so equal bytes can only be our own write.
     */
    @Override
    public boolean writeIfAbsent(Location file, byte[] content)
            throws IOException
    {
        S3Path path = S3Path.of(file);
        try {
            client.putObject(request -> request.bucket(path.bucket()).key(path.key()).ifNoneMatch("*"), RequestBody.fromBytes(content));
            return true;
        }
        catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return holds(file, content);
            }
            throw new IOException(file + ": " + message(e), e);
        }
        catch (SdkException e) {
            // A server that refuses a conditional put may answer before it has read the body and
            // close the connection; the client then reports the write of the body, not the 412
            // (seen with S3Proxy under load). What is there decides, as for a 412: our bytes mean
            // our put landed, other bytes mean another writer holds the key.
            Optional<byte[]> there = read(file);
            if (there.isPresent()) {
                return Arrays.equals(there.get(), content);
            }
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A put conditional on the ETag of the object read ({@code If-Match}): S3 refuses it with 412
     * when the object changed since, 404 when it is gone, and may answer 409 to a put that raced
     * another. Whatever the refusal, what is there decides, as for {@link #writeIfAbsent}: a
     * retried put whose first attempt landed meets our own bytes, which count as written; anything
     * else is false, and the caller reads again. A store that cannot put on that condition fails
     * the call rather than getting a plain put, which would promise what it does not keep.
     */
    @Override
    public boolean replaceIfUnchanged(Location file, byte[] expected, byte[] content)
            throws IOException
    {
        S3Path path = S3Path.of(file);
        Optional<String> holding = eTagIfHolding(file, expected);
        if (holding.isEmpty()) {
            return false;
        }
        String eTag = holding.get();
        try {
            client.putObject(request -> request.bucket(path.bucket()).key(path.key()).ifMatch(eTag), RequestBody.fromBytes(content));
            return true;
        }
        catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404) {
                return holds(file, content);
            }
            throw new IOException(file + ": " + message(e), e);
        }
        catch (SdkException e) {
            // refused before the body was sent (see writeIfAbsent): what is there decides
            return holds(file, content);
        }
    }

    /**
     * Deletes the file only if it holds {@code expected}: a DeleteObject conditional on the ETag of
     * what was read ({@code If-Match}, which S3 honours on general purpose buckets since September
     * 2025), so that an object replaced in between (a lease another run took over) stays. False when
     * it was not deleted: changed, or gone. A store that answers 501 to the condition is asked
     * without it, as before conditional deletes. (S3Proxy, the tests' S3 API, accepts the header and
     * ignores it: only real S3 shows the condition refuse a delete.)
     */
    public boolean deleteIfUnchanged(Location file, byte[] expected)
            throws IOException
    {
        S3Path path = S3Path.of(file);
        Optional<String> holding = eTagIfHolding(file, expected);
        if (holding.isEmpty()) {
            return false;
        }
        String eTag = holding.get();
        try {
            client.deleteObject(request -> request.bucket(path.bucket()).key(path.key()).ifMatch(eTag));
            return true;
        }
        catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 404) {
                return false;
            }
            if (e.statusCode() == 501) {
                delete(file);
                return true;
            }
            throw new IOException(file + ": " + message(e), e);
        }
        catch (SdkException e) {
            throw new IOException(file + ": " + shortMessage(e), e);
        }
    }

    /** The ETag of the file when it holds exactly {@code expected}; empty when it holds other bytes or is gone. */
    private Optional<String> eTagIfHolding(Location file, byte[] expected)
            throws IOException
    {
        Optional<ResponseBytes<GetObjectResponse>> current = getWhole(file);
        if (current.isEmpty() || !Arrays.equals(current.get().asByteArray(), expected)) {
            return Optional.empty();
        }
        String eTag = current.get().response().eTag();
        if (eTag == null) {
            throw new IOException(file + ": the store gave no ETag, so it cannot be changed only if unchanged");
        }
        return Optional.of(eTag);
    }

    /** Whether the file holds exactly these bytes (false when it is gone). */
    private boolean holds(Location file, byte[] content)
            throws IOException
    {
        return read(file).map(there -> Arrays.equals(there, content)).orElse(false);
    }

    @Override
    public void delete(Location file)
            throws IOException
    {
        S3Path path = S3Path.of(file);
        call(() -> client.deleteObject(request -> request.bucket(path.bucket()).key(path.key())));
    }

    @Override
    public void delete(List<Location> files)
            throws IOException
    {
        List<S3Path> paths = files.stream().map(S3Path::of).toList();
        for (String bucket : paths.stream().map(S3Path::bucket).distinct().toList()) {
            deleteKeys(bucket, paths.stream().filter(path -> path.bucket().equals(bucket)).map(S3Path::key).toList(),
                    (count, first) -> count + " objects were not deleted, e.g. s3://" + bucket + "/" + first.key() + " (" + first.code() + ": " + first.message() + ")");
        }
    }

    /**
     * Deletes keys of a bucket, {@value #DELETE_BATCH} a request, in their order. DeleteObjects
     * reports a key it did not delete inside a successful response: the first batch with one fails,
     * with the message {@code failure} makes of how many and the first.
     */
    private void deleteKeys(String bucket, List<String> keys, BiFunction<Integer, S3Error, String> failure)
            throws IOException
    {
        for (int start = 0; start < keys.size(); start += DELETE_BATCH) {
            List<ObjectIdentifier> batch = keys.subList(start, Math.min(keys.size(), start + DELETE_BATCH)).stream()
                    .map(key -> ObjectIdentifier.builder().key(key).build())
                    .toList();
            DeleteObjectsResponse response = call(() -> client.deleteObjects(request -> request.bucket(bucket)
                    .delete(Delete.builder().objects(batch).quiet(true).build())));
            if (response.hasErrors() && !response.errors().isEmpty()) {
                throw new IOException(failure.apply(response.errors().size(), response.errors().get(0)));
            }
        }
    }

    @Override
    public Optional<byte[]> read(Location file)
            throws IOException
    {
        return getWhole(file).map(ResponseBytes::asByteArray);
    }

    /** A GET of the whole object into memory, {@link #whole} or fetched once more. */
    private Optional<ResponseBytes<GetObjectResponse>> getWhole(Location file)
            throws IOException
    {
        for (int attempt = 1; ; attempt++) {
            Optional<ResponseBytes<GetObjectResponse>> got = get(file, ResponseTransformer.toBytes());
            if (got.isEmpty() || whole(file, got.get().response(), got.get().asByteArrayUnsafe().length, attempt)) {
                return got;
            }
        }
    }

    /**
     * Whether a body came whole, as long as its answer said. The SDK takes a body cut short on the
     * way (a connection closed mid-object) for the whole object: a run record or lease would read
     * as damaged, a copied Parquet file as corrupt. The first time, the caller fetches it again; the
     * second, it is said as the storage's failure.
     */
    private static boolean whole(Location file, GetObjectResponse response, long received, int attempt)
            throws IOException
    {
        Long expected = response.contentLength();
        if (expected == null || received == expected) {
            return true;
        }
        if (attempt == 1) {
            return false;
        }
        throw new BodyCutShortException(file, received, expected);
    }

    @Override
    public boolean download(Location file, Path copy)
            throws IOException
    {
        try {
            for (int attempt = 1; ; attempt++) {
                // the SDK writes a new file, and deletes what it wrote of one when the transfer fails
                Files.deleteIfExists(copy);
                Optional<GetObjectResponse> got = get(file, ResponseTransformer.toFile(copy));
                if (got.isEmpty()) {
                    return false;
                }
                if (whole(file, got.get(), Files.size(copy), attempt)) {
                    return true;
                }
            }
        }
        catch (IOException e) {
            if (diskFull(e)) {
                // the SDK says a disk that refused the copy as its own failure ("Failed to read response
                // into file", after retries), which reads as S3's; the cause is the user's disk to free
                IOException full = new IOException("cannot copy " + file + " to " + copy + ": no space left on its disk");
                full.addSuppressed(e);
                throw full;
            }
            throw e;
        }
    }

    /**
     * Whether the copy failed on its disk's room: the file system's own words (ENOSPC, EDQUOT) in a
     * cause. (The room left cannot tell: the SDK deletes what it wrote of the copy when it fails.)
     */
    private static boolean diskFull(Throwable failure)
    {
        return Causes.find(failure, IOException.class, io -> {
            String message = String.valueOf(io.getMessage());
            return message.contains("No space left on device") || message.contains("Disk quota exceeded");
        }).isPresent();
    }

    /** A GET of the whole object, its body to {@code body}; empty when there is no such key. */
    private <T> Optional<T> get(Location file, ResponseTransformer<GetObjectResponse, T> body)
            throws IOException
    {
        S3Path path = S3Path.of(file);
        try {
            return Optional.of(client.getObject(request -> request.bucket(path.bucket()).key(path.key()), body));
        }
        catch (NoSuchKeyException e) {
            return Optional.empty();
        }
        catch (S3Exception e) {
            // (a lease's read at a fence, a history record's): said as S3's other answers are
            throw new IOException(file + ": " + message(e), e);
        }
        catch (SdkException e) {
            throw new IOException(file + ": " + shortMessage(e), e);
        }
    }

    /** One PutObject from the file (up to S3's 5 GB for one put; a day's staged Parquet file is far smaller). */
    @Override
    public void upload(Path content, Location file)
            throws IOException
    {
        S3Path path = S3Path.of(file);
        call(() -> client.putObject(request -> request.bucket(path.bucket()).key(path.key()), RequestBody.fromFile(content)));
    }

    /** A ranged GET; an empty object answers 416 (nothing in range), which is no bytes. */
    @Override
    public byte[] readStart(Location file, int length)
            throws IOException
    {
        S3Path path = S3Path.of(file);
        try {
            return client.getObjectAsBytes(request -> request.bucket(path.bucket()).key(path.key()).range("bytes=0-" + (length - 1))).asByteArray();
        }
        catch (S3Exception e) {
            if (e.statusCode() == 416) {
                return new byte[0];
            }
            throw new IOException(file + ": " + message(e), e);
        }
        catch (SdkException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close()
    {
        client.close();
    }

    /**
     * Every object under the prefix (with a delimiter: only the ones directly in it), page by page,
     * without folder markers (keys ending in {@code /}, which consoles and some stores make).
     */
    private List<S3Object> list(String bucket, String prefix, String delimiter)
            throws IOException
    {
        return listWithMarkers(bucket, prefix, delimiter).stream().filter(object -> !object.key().endsWith("/")).toList();
    }

    private List<S3Object> listWithMarkers(String bucket, String prefix, String delimiter)
            throws IOException
    {
        List<S3Object> objects = new ArrayList<>();
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix);
        if (delimiter != null) {
            request.delimiter(delimiter);
        }
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = call(() -> client.listObjectsV2(request.continuationToken(continuation).build()));
            objects.addAll(page.contents());
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        }
        while (token != null);
        return objects;
    }

    private static <T> T call(java.util.concurrent.Callable<T> operation)
            throws IOException
    {
        try {
            return operation.call();
        }
        catch (S3Exception e) {
            throw new IOException(message(e), e);
        }
        catch (SdkException e) {
            throw new IOException(shortMessage(e), e);
        }
        catch (IOException | RuntimeException e) {
            throw e;
        }
        catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The SDK lists every credentials provider it tried; a user needs to know only that none had any. */
    private static String shortMessage(SdkException e)
    {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Unable to load credentials")) {
            return "no AWS credentials found (the default chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, SSO or an instance role)";
        }
        // the SDK's own words ("Received an UnknownHostException … See cause for the exact endpoint")
        // name neither the host nor the setting to fix
        Optional<UnknownHostException> unknown = Causes.find(e, UnknownHostException.class);
        if (unknown.isPresent()) {
            return "the S3 endpoint's host " + unknown.get().getMessage() + " is not known (no DNS name resolves to it): check s3.endpoint or --s3-endpoint";
        }
        Optional<SSLException> tls = Causes.find(e, SSLException.class);
        if (tls.isPresent()) {
            return "TLS with the S3 endpoint failed (" + tls.get().getMessage() + "): an https:// endpoint that speaks plain http, or a certificate this"
                    + " Java does not trust; check s3.endpoint or --s3-endpoint";
        }
        return message;
    }

    static String message(S3Exception e)
    {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String text = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        if (code == null && text == null) {
            // no S3 error document in the answer: another service listens there (a web server, a proxy's page)
            return "the endpoint answered HTTP " + e.statusCode() + " without an S3 error: is it an S3 service?";
        }
        return "S3 said " + (code == null ? "" : code + ": ") + (text == null ? "HTTP " + e.statusCode() : text);
    }
}
