package io.tagstream.streams.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsAppConfigTest {

    private static final ConfigDef DEFINITION = StreamsAppConfig.baseDefinition("app", "in", "out", "dlq.app");

    @TempDir
    Path dir;

    private Path file(String content) throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void environmentOverridesTheFileAndDefaultsFillTheRest() throws Exception {
        Path file = file("bootstrap.servers=127.0.0.1:1\nregistry.url=http://127.0.0.1:2/apis/registry/v2\nhttp.port=1234\n"
                + "streams.linger.ms=7\n");
        StreamsAppConfig config = new StreamsAppConfig(DEFINITION, StreamsAppConfig.load(DEFINITION, file,
                Map.of("TAGSTREAM_HTTP_PORT", "4321", "TAGSTREAM_APPLICATION_ID", "other", "UNRELATED", "x")));
        assertThat(config.getInt(StreamsAppConfig.HTTP_PORT)).isEqualTo(4321);
        assertThat(config.getString(StreamsAppConfig.APPLICATION_ID)).isEqualTo("other");
        assertThat(config.getString(StreamsAppConfig.INPUT_TOPIC)).isEqualTo("in");
        assertThat(config.getString(StreamsAppConfig.DLQ_TOPIC)).isEqualTo("dlq.app");
        assertThat(config.streamsOverrides()).containsEntry("linger.ms", "7");

        var properties = StreamsAppRunner.streamsProperties(config, new AppMetrics());
        assertThat(properties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(properties.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(DeadLetterDeserializationHandler.class);
        assertThat(properties.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(DeadLetterProductionHandler.class);
        assertThat(properties.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(DeadLetterProcessingHandler.class);
        assertThat(properties.get("linger.ms")).isEqualTo("7");
    }

    @Test
    void missingRequiredOptionIsNamed() {
        assertThatThrownBy(() -> new StreamsAppConfig(DEFINITION, StreamsAppConfig.load(DEFINITION, null,
                Map.of("TAGSTREAM_BOOTSTRAP_SERVERS", "127.0.0.1:1"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("registry.url");
    }

    @Test
    void badValuesNameOptionAndValue() {
        Map<String, String> base = Map.of("TAGSTREAM_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                "TAGSTREAM_REGISTRY_URL", "http://127.0.0.1:2/apis/registry/v2");
        Map<String, String> badPort = new java.util.HashMap<>(base);
        badPort.put("TAGSTREAM_HTTP_PORT", "70000");
        assertThatThrownBy(() -> new StreamsAppConfig(DEFINITION, StreamsAppConfig.load(DEFINITION, null, badPort)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.port").hasMessageContaining("70000");
        Map<String, String> badUrl = new java.util.HashMap<>(base);
        badUrl.put("TAGSTREAM_REGISTRY_URL", "localhost:8081");
        assertThatThrownBy(() -> new StreamsAppConfig(DEFINITION, StreamsAppConfig.load(DEFINITION, null, badUrl)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("registry.url").hasMessageContaining("localhost:8081");
        Map<String, String> notANumber = new java.util.HashMap<>(base);
        notANumber.put("TAGSTREAM_COMMIT_INTERVAL_MS", "soon");
        assertThatThrownBy(() -> new StreamsAppConfig(DEFINITION, StreamsAppConfig.load(DEFINITION, null, notANumber)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("commit.interval.ms").hasMessageContaining("soon");
    }

    @Test
    void unknownOptionsAndMissingFilesAreRejected() throws Exception {
        Path file = file("bootstrap.server=127.0.0.1:1\n");
        assertThatThrownBy(() -> StreamsAppConfig.load(DEFINITION, file, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown option 'bootstrap.server'");
        assertThatThrownBy(() -> StreamsAppConfig.load(DEFINITION, dir.resolve("nope.properties"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
    }

    @Test
    void everyOptionIsDocumented() {
        String help = StreamsAppConfig.describe(DEFINITION);
        for (String name : DEFINITION.names()) {
            assertThat(help).contains(name).contains(StreamsAppConfig.environmentVariable(name));
        }
        DEFINITION.configKeys().values().forEach(key -> assertThat(key.documentation).as(key.name).isNotBlank());
    }

    @Test
    void absentAddressMapMeansDefaultsAndAnInvalidOneStopsTheApp() throws Exception {
        assertThat(AddressMapFile.load(dir.resolve("missing.csv").toString())).isEmpty();
        assertThat(AddressMapFile.load("")).isEmpty();
        Path broken = dir.resolve("broken.csv");
        Files.writeString(broken, "site,line,device,tag,protocol,conn,unit_id,address,type,scale,offset,period_ms,unit,hi,lo\n"
                + "A1,L1,D1,T1,modbus,tcp://127.0.0.1:502,1,40001,FLOAT32,1,0,50,bar,10,0\n");
        assertThatThrownBy(() -> AddressMapFile.load(broken.toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("address.map.path").hasMessageContaining("period_ms");
    }
}
