package org.eventetl.model;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON configuration of everything the runner writes for people and programs to read
 * (history, leases, markers, manifests, --json output): snake_case names, ISO-8601 times, indented.
 * Files written by a later version may carry fields this one does not know: they are skipped.
 */
public final class Json
{
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module())
            .registerModule(new SimpleModule().addSerializer(Enum.class, new LowerCaseEnum()))
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /**
     * A file the runner wrote, read back as {@code type}: a file that holds the JSON {@code null}
     * (edited by hand) is as damaged as one cut short, where Jackson would return null.
     */
    public static <T> T read(byte[] content, Class<T> type)
            throws IOException
    {
        T value = MAPPER.readValue(content, type);
        if (value == null) {
            throw new JsonMappingException(null, "it holds null, not a " + type.getSimpleName());
        }
        return value;
    }

    /** States read as words in a file (applied, failed), as they do in the command line's output. */
    private static final class LowerCaseEnum
            extends StdSerializer<Enum>
    {
        LowerCaseEnum()
        {
            super(Enum.class);
        }

        @Override
        public void serialize(Enum value, JsonGenerator generator, SerializerProvider provider)
                throws IOException
        {
            generator.writeString(value.name().toLowerCase(Locale.ROOT));
        }
    }
}
