package org.eventetl.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Local folders and {@code s3://} behind one {@link Storage}: each call goes to the storage of the
 * location it is given. The S3 client is made on first use, so a local run never needs AWS settings.
 */
public final class RoutingStorage
        implements Storage, AutoCloseable
{
    private final LocalStorage local = new LocalStorage();
    private final S3Settings s3Settings;
    private S3Storage s3;

    public RoutingStorage(S3Settings s3Settings)
    {
        this.s3Settings = requireNonNull(s3Settings, "s3Settings is null");
    }

    public synchronized S3Storage s3()
    {
        if (s3 == null) {
            s3 = S3Storage.create(s3Settings);
        }
        return s3;
    }

    private Storage at(Location location)
    {
        return location.isS3() ? s3() : local;
    }

    @Override
    public boolean folderExists(Location folder)
            throws IOException
    {
        return at(folder).folderExists(folder);
    }

    @Override
    public List<SourceFile> listFiles(Location folder)
            throws IOException
    {
        return at(folder).listFiles(folder);
    }

    @Override
    public List<Location> listRecursively(Location folder)
            throws IOException
    {
        return at(folder).listRecursively(folder);
    }

    @Override
    public List<String> listFolders(Location folder)
            throws IOException
    {
        return at(folder).listFolders(folder);
    }

    @Override
    public int clear(OwnedPrefix target)
            throws IOException
    {
        return at(target.location()).clear(target);
    }

    @Override
    public int publish(StagedPrefix staged)
            throws IOException
    {
        return at(staged.location()).publish(staged);
    }

    @Override
    public boolean writeIfAbsent(Location file, byte[] content)
            throws IOException
    {
        return at(file).writeIfAbsent(file, content);
    }

    @Override
    public boolean replaceIfUnchanged(Location file, byte[] expected, byte[] content)
            throws IOException
    {
        return at(file).replaceIfUnchanged(file, expected, content);
    }

    @Override
    public void delete(Location file)
            throws IOException
    {
        at(file).delete(file);
    }

    @Override
    public void delete(List<Location> files)
            throws IOException
    {
        List<Location> onS3 = files.stream().filter(Location::isS3).toList();
        if (!onS3.isEmpty()) {
            s3().delete(onS3);
        }
        local.delete(files.stream().filter(file -> !file.isS3()).toList());
    }

    @Override
    public void write(Location file, byte[] content)
            throws IOException
    {
        at(file).write(file, content);
    }

    @Override
    public Optional<byte[]> read(Location file)
            throws IOException
    {
        return at(file).read(file);
    }

    @Override
    public boolean download(Location file, Path copy)
            throws IOException
    {
        return at(file).download(file, copy);
    }

    @Override
    public void upload(Path content, Location file)
            throws IOException
    {
        at(file).upload(content, file);
    }

    @Override
    public byte[] readStart(Location file, int length)
            throws IOException
    {
        return at(file).readStart(file, length);
    }

    @Override
    public synchronized void close()
    {
        if (s3 != null) {
            s3.close();
        }
    }
}
