package org.eventetl.storage;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which region S3 requests are signed for. The region of an AWS profile (~/.aws/config) was
 * ignored: without AWS_REGION every request was signed for us-east-1, so a bucket of another
 * region, named only in the profile, would be refused. Read as the AWS command line reads it.
 */
final class TestS3Region
{
    private static final S3Settings NONE = new S3Settings(Optional.empty(), true, Optional.empty());

    @TempDir
    Path folder;

    @Test
    void theSettingThenTheEnvironment()
    {
        S3Settings configured = new S3Settings(Optional.empty(), true, Optional.of("eu-central-1"));
        assertThat(S3Storage.region(configured, environment(Map.of("AWS_REGION", "us-west-2")))).contains(Region.EU_CENTRAL_1);
        assertThat(S3Storage.region(NONE, environment(Map.of("AWS_REGION", "us-west-2", "AWS_DEFAULT_REGION", "ap-south-1")))).contains(Region.US_WEST_2);
        // the SDK alone does not read AWS_DEFAULT_REGION, which the AWS command line does
        assertThat(S3Storage.region(NONE, environment(Map.of("AWS_DEFAULT_REGION", "ap-south-1")))).contains(Region.AP_SOUTH_1);
        // a variable set to blanks is as unset: the next is asked
        assertThat(S3Storage.region(NONE, environment(Map.of("AWS_REGION", " ", "AWS_DEFAULT_REGION", "ap-south-1")))).contains(Region.AP_SOUTH_1);
    }

    @Test
    void theProfileWhenNothingElseNamesOne()
            throws Exception
    {
        Path config = folder.resolve("config");
        Files.writeString(config, "[default]\nregion = eu-west-1\n\n[profile other]\nregion = sa-east-1\n");
        assertThat(withProfile(config, "default")).contains(Region.EU_WEST_1);
        assertThat(withProfile(config, "other")).contains(Region.SA_EAST_1);
        if (System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null) {
            // the client the runner builds signs for it (it signed for us-east-1)
            assertThat(clientRegionWithProfile(config)).isEqualTo(Region.EU_WEST_1);
        }

        Files.writeString(config, "[default]\noutput = json\n");
        assertThat(withProfile(config, "default")).as("a profile without a region: us-east-1 is the caller's fallback").isEmpty();
        assertThat(withProfile(folder.resolve("no-such-file"), "default")).isEmpty();
    }

    private static Region clientRegionWithProfile(Path config)
    {
        System.setProperty("aws.configFile", config.toString());
        try (S3Client client = S3Storage.create(new S3Settings(Optional.of(URI.create("http://127.0.0.1:9")), true, Optional.empty())).client()) {
            return client.serviceClientConfiguration().region();
        }
        finally {
            System.clearProperty("aws.configFile");
        }
    }

    /** The region with the profile file and name as the SDK's system properties give them (they come before AWS_CONFIG_FILE and AWS_PROFILE). */
    private static Optional<Region> withProfile(Path config, String profile)
    {
        String file = System.getProperty("aws.configFile");
        String name = System.getProperty("aws.profile");
        System.setProperty("aws.configFile", config.toString());
        System.setProperty("aws.profile", profile);
        try {
            return S3Storage.region(NONE, environment(Map.of()));
        }
        finally {
            restore("aws.configFile", file);
            restore("aws.profile", name);
        }
    }

    private static void restore(String property, String value)
    {
        if (value == null) {
            System.clearProperty(property);
        }
        else {
            System.setProperty(property, value);
        }
    }

    private static UnaryOperator<String> environment(Map<String, String> variables)
    {
        return variables::get;
    }
}
