package org.eventetl.cli;

import java.util.List;
import java.util.Optional;

import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.Storage;

/**
 * Whether any load of a partition's channel ever ran under an output: neither history, nor a lease,
 * nor a publication pointer of it is there. A command that reads or repairs a day would otherwise
 * take a misspelt brand, tracker or channel for a day not loaded yet. (A load killed before its
 * first record still left its lease, under locks/, so a channel with a day to repair always counts.)
 */
final class LoadedChannels
{
    private LoadedChannels() {}

    /** Empty when a load of the channel ran under {@code output}; otherwise the channels its tracker's history has, to name beside the refusal. */
    static Optional<List<String>> neverLoaded(Storage storage, Location output, Partition partition)
    {
        String channel = partition.channelPath();
        Location etl = output.resolve("_etl");
        for (String kind : List.of("history", "locks", "published")) {
            Location folder = etl.resolve(kind).resolve(channel);
            if (FileProblems.reading(folder.asPrefix(), () -> storage.folderExists(folder))) {
                return Optional.empty();
            }
        }
        Location tracker = etl.resolve("history").resolve(partition.trackerPath());
        return Optional.of(FileProblems.reading(tracker.asPrefix(), () -> storage.listFolders(tracker)));
    }

    /**
     * Why nothing of the partition can be under {@code output}: the output folder is missing (a
     * mistyped --output), or no load of the channel ever ran there (a misspelt brand, tracker or
     * channel, or another tool's folder); empty when a load of the channel ran there.
     */
    static Optional<String> whyNothingIsThere(Storage storage, Location output, Partition partition)
    {
        Optional<String> missing = FileProblems.missingFolder(output).map(folder -> folder + " does not exist (a mistyped --output?)");
        if (missing.isPresent()) {
            return missing;
        }
        return neverLoaded(storage, output, partition).map(channels -> "no load of " + partition.channelPath()
                + " ever ran there" + historyHas(channels) + "; check the partition's brand, tracker and channel");
    }

    /** {@code " (its history has a, b)"}, or nothing when it has none. */
    static String historyHas(List<String> channels)
    {
        return channels.isEmpty() ? "" : " (its history has " + String.join(", ", channels) + ")";
    }
}
