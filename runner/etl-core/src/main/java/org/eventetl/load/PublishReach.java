package org.eventetl.load;

import org.eventetl.history.StatusCalculator;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * How far a publish begun and not finished got: the datasets its manifest names, and those swapped in
 * whole (a local swap is one rename, and on S3 the marker is copied last, so a dataset being copied
 * counts as not replaced). Said the same way by status, of a run's markers, and by the run whose
 * publish failed, of what it did itself.
 *
 * @param publishedBefore whether an earlier run's publish is recorded: then the datasets not replaced
 *         are that run's, and otherwise not published yet
 */
record PublishReach(List<String> datasets, List<String> replaced, boolean s3, boolean publishedBefore)
{
    PublishReach
    {
        datasets = List.copyOf(requireNonNull(datasets, "datasets is null"));
        replaced = List.copyOf(requireNonNull(replaced, "replaced is null"));
    }

    /** Who finishes it, where {@code whoFinishes} says "until …": no "until" where nothing is mixed. */
    String finishing(String whoFinishes)
    {
        boolean untouched = replaced.isEmpty() && !s3;
        return untouched && whoFinishes.equals(StatusCalculator.UNTIL_FINISHED) ? "; a rerun of the load or etl repair finishes its publish" : whoFinishes;
    }

    /** What a reader of the day sees now. */
    String account()
    {
        String partly = s3 ? ", and on S3 the dataset it was replacing may be empty or partly filled" : "";
        if (replaced.isEmpty()) {
            return "it had replaced no dataset yet" + (s3 ? ", but on S3 the dataset it was replacing may be empty or partly filled" : ", so the published data is as it was before it");
        }
        if (replaced.size() == datasets.size()) {
            return "it had replaced every dataset (" + String.join(", ", replaced) + "), but recorded nothing yet";
        }
        return "it had replaced " + replaced.size() + " of its " + datasets.size() + " datasets (" + String.join(", ", replaced)
                + (publishedBefore ? "), the others are the earlier run's: the day mixes two runs" : "), the others are not published yet: the day is incomplete") + partly;
    }
}
