package org.eventetl.storage;

import java.net.URI;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How to reach S3 or an S3-compatible store. Credentials are never settings: they come from the
 * AWS default chain (environment, profile, SSO, instance role).
 */
public record S3Settings(Optional<URI> endpoint, boolean pathStyle, Optional<String> region)
{
    public S3Settings
    {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
    }

    public static S3Settings defaults()
    {
        return new S3Settings(Optional.empty(), false, Optional.empty());
    }
}
