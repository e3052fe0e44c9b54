package org.eventetl.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Local folders. Writes go through a temporary file and a rename, so a reader never sees half a file. */
public final class LocalStorage
        implements Storage
{
    /**
     * False only when nothing is there. A folder that may not be entered (or one above it) is no
     * missing folder: answering false would let status and backfill call a day that holds data
     * "no source", and leave it unloaded without a word.
     */
    @Override
    public boolean folderExists(Location folder)
            throws IOException
    {
        Path path = folder.toPath();
        try {
            if (!Files.readAttributes(path, BasicFileAttributes.class).isDirectory()) {
                throw new IOException("it is a file, not a folder");
            }
            return true;
        }
        catch (NoSuchFileException e) {
            return false;
        }
        catch (AccessDeniedException e) {
            throw new IOException("permission denied: this user may not enter it, or a folder above it", e);
        }
        catch (FileSystemException e) {
            // ENOTDIR: a part of the path above the folder is a file
            boolean fileInTheWay = e instanceof NotDirectoryException || "Not a directory".equals(e.getReason());
            throw new IOException(fileInTheWay ? "a part of this path is a file, not a folder" : e.getReason() == null ? "it cannot be read" : e.getReason(), e);
        }
    }

    /**
     * Only regular files are read, and nothing through a link: a symbolic link in the folder (to a
     * file or a folder, inside the folder or out of it) refuses the load, as does anything that is
     * neither a file nor a folder, or a file that cannot be read. Skipping them would load a day
     * without data that someone put there, and following a link reads from outside the partition
     * (docs/source-contract.md). Names starting with {@code _} or {@code .} are not the day's data
     * whatever they are; subfolders are not read.
     */
    @Override
    public List<SourceFile> listFiles(Location folder)
            throws IOException
    {
        List<SourceFile> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder.toPath())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith("_") || name.startsWith(".")) {
                    continue;
                }
                BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isSymbolicLink()) {
                    throw new RefusedSourceFileException(name + " is a symbolic link (to " + Files.readSymbolicLink(entry)
                            + "); only regular files in the folder are read: put the file itself there, or remove the link");
                }
                if (attributes.isDirectory()) {
                    continue;
                }
                if (!attributes.isRegularFile()) {
                    throw new RefusedSourceFileException(name + " is not a regular file (a pipe, socket or device); only regular files are read: remove it");
                }
                if (!Files.isReadable(entry)) {
                    throw new RefusedSourceFileException(name + " cannot be read: permission denied; run as a user who may read it, or ask its owner to make it readable");
                }
                if (!Files.exists(Path.of(entry.toString()), LinkOption.NOFOLLOW_LINKS)) {
                    // a name that is not UTF-8 reaches the engine as its text, with U+FFFD for the bad
                    // bytes: no file has that name, and the engine would read nothing of this one
                    throw new RefusedSourceFileException(name + ": its name is not UTF-8 (shown with \uFFFD where it is not), so the engine"
                            + " cannot open it by name; rename it");
                }
                files.add(new SourceFile(Location.local(entry), attributes.size()));
            }
        }
        files.sort((left, right) -> left.location().uri().compareTo(right.location().uri()));
        return List.copyOf(files);
    }

    @Override
    public List<Location> listRecursively(Location folder)
            throws IOException
    {
        Path root = folder.toPath();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).sorted().map(Location::local).toList();
        }
    }

    @Override
    public List<String> listFolders(Location folder)
            throws IOException
    {
        Path root = folder.toPath();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(entry -> Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS))
                    .map(entry -> entry.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    @Override
    public int clear(OwnedPrefix target)
            throws IOException
    {
        Path folder = target.location().toPath();
        if (!Files.exists(folder)) {
            return 0;
        }
        AtomicInteger deleted = new AtomicInteger();
        Files.walkFileTree(folder, new SimpleFileVisitor<>()
        {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                    throws IOException
            {
                Files.delete(file);
                deleted.incrementAndGet();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure)
                    throws IOException
            {
                if (failure != null) {
                    throw failure;
                }
                if (!directory.equals(folder)) {
                    Files.delete(directory);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        try (Stream<Path> left = Files.list(folder)) {
            if (left.findAny().isPresent()) {
                throw new IOException("could not clear " + target + ": files are left");
            }
        }
        if (target instanceof RunStaging) {
            // a run's staging area goes as a whole; a dataset's prefix stays, empty
            Files.delete(folder);
        }
        return deleted.get();
    }

    /**
     * The staged folder takes the published folder's place in one atomic exchange where the file
     * system allows it, so a reader of the published path finds the old folder or the new one and
     * never a missing one. Without exchange: the published folder is renamed aside first, which
     * leaves a moment of microseconds in which the path does not exist.
     * <p>
     * The old folder is not deleted here but renamed to {@code <staged>.replaced} in the run's
     * staging area, which goes as a whole when the run ends: a reader whose glob opened the old
     * folder just before the swap still lists its names, where a delete right after the swap left
     * it an empty listing ("no files found"); the names it opens then are the new folder's, the
     * same ones (each dataset writes one file of a fixed name).
     */
    @Override
    public int publish(StagedPrefix staged)
            throws IOException
    {
        Path from = staged.location().toPath();
        Path to = staged.published().location().toPath();
        if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("nothing is staged at " + staged.prefix());
        }
        int files = countFiles(from);
        Files.createDirectories(to.getParent());
        if (!Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            return files;
        }
        Path replaced = from.resolveSibling(from.getFileName() + ".replaced");
        LocalFolders.deleteTree(replaced);
        if (DirectoryExchange.exchange(from, to)) {
            Files.move(from, replaced, StandardCopyOption.ATOMIC_MOVE);
            return files;
        }
        Files.move(to, replaced, StandardCopyOption.ATOMIC_MOVE);
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        return files;
    }

    private static int countFiles(Path folder)
            throws IOException
    {
        try (Stream<Path> paths = Files.walk(folder)) {
            return (int) paths.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).count();
        }
    }

    @Override
    public boolean writeIfAbsent(Location file, byte[] content)
            throws IOException
    {
        Path path = file.toPath();
        Files.createDirectories(path.getParent());
        // written whole to a name of its own, then linked into place: a link fails when the name
        // exists, so of two writers exactly one succeeds, and no reader sees half a file
        Path temporary = Files.createTempFile(path.getParent(), "." + path.getFileName(), ".new");
        try {
            Files.write(temporary, content);
            Files.createLink(path, temporary);
            return true;
        }
        catch (FileAlreadyExistsException e) {
            return false;
        }
        finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public void delete(Location file)
            throws IOException
    {
        Files.deleteIfExists(file.toPath());
    }

    @Override
    public void write(Location file, byte[] content)
            throws IOException
    {
        writeWhole(file.toPath(), temporary -> LocalFolders.write(temporary, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    @Override
    public void upload(Path content, Location file)
            throws IOException
    {
        writeWhole(file.toPath(), temporary -> Files.copy(content, temporary));
    }

    @Override
    public boolean download(Location file, Path copy)
            throws IOException
    {
        try {
            Files.copy(file.toPath(), copy, StandardCopyOption.REPLACE_EXISTING);
            return true;
        }
        catch (NoSuchFileException e) {
            if (Files.exists(file.toPath(), LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
            return false;
        }
    }

    /** A file written beside the path, then moved over it: a reader sees the old content or the new, never a part. */
    private static void writeWhole(Path path, Writer writer)
            throws IOException
    {
        Files.createDirectories(path.getParent());
        // not Files.createTempFile: its files are private (0600) whatever the umask, and the outputs
        // must be readable as the Parquet files the engine writes are, e.g. by status of another user
        Path temporary = path.resolveSibling("." + path.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            writer.write(temporary);
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        finally {
            Files.deleteIfExists(temporary);
        }
    }

    private interface Writer
    {
        void write(Path temporary)
                throws IOException;
    }

    /** A read just before the write, not one step: as with the local partition leases, S3 is where hosts share an output. */
    @Override
    public boolean replaceIfUnchanged(Location file, byte[] expected, byte[] content)
            throws IOException
    {
        Optional<byte[]> current = read(file);
        if (current.isEmpty() || !Arrays.equals(current.get(), expected)) {
            return false;
        }
        write(file, content);
        return true;
    }

    @Override
    public Optional<byte[]> read(Location file)
            throws IOException
    {
        return readFile(file.toPath());
    }

    /**
     * A file's bytes, or empty when there is none. Only a regular file is read: anything else where
     * the runner keeps a file of its own (a folder, a pipe, a link to a device, made by hand) is named
     * as damaged, as a file cut short is, where reading it would hang on the pipe or fill the heap
     * from /dev/zero. (Source files are listed, and such entries refused, before anything reads them.)
     */
    public static Optional<byte[]> readFile(Path path)
            throws IOException
    {
        Location file = Location.local(path);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (attributes.isDirectory()) {
            // "Is a directory" named nothing
            throw new DamagedFileException(file, "it is a folder, not a file");
        }
        if (!attributes.isRegularFile()) {
            throw new DamagedFileException(file, "it is no regular file (a pipe or a device, say)");
        }
        try {
            return Optional.of(Files.readAllBytes(path));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public byte[] readStart(Location file, int length)
            throws IOException
    {
        try (InputStream in = Files.newInputStream(file.toPath())) {
            return in.readNBytes(length);
        }
    }
}
