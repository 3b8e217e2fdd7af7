package io.tagstream.connect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderReferencesTest {

    @Test
    void aWholeReferenceIsRecognised() {
        assertThat(ProviderReferences.isReference("${file:/etc/tagstream/kma.properties:serviceKey}")).isTrue();
        assertThat(ProviderReferences.isReference(" ${env:KMA_KEY} ")).isTrue();
        assertThat(ProviderReferences.isReference("s3cr3t")).isFalse();
        assertThat(ProviderReferences.isReference("prefix ${env:KMA_KEY}")).isFalse();
        assertThat(ProviderReferences.isReference("")).isFalse();
        assertThat(ProviderReferences.isReference(null)).isFalse();
    }

    /** What the worker leaves in place is exactly what is reported: resolved through Connect's own transformer. */
    @Test
    void aReferenceTheWorkerLeftInPlaceIsNamed(@TempDir Path dir) throws Exception {
        Path secrets = dir.resolve("kma.properties");
        Files.writeString(secrets, "serviceKey=abc\n");
        FileConfigProvider file = new FileConfigProvider();
        file.configure(Map.of());
        ConfigTransformer worker = new ConfigTransformer(Map.<String, ConfigProvider>of("file", file));

        String resolved = worker.transform(Map.of("auth.secret", "${file:" + secrets + ":serviceKey}")).data().get("auth.secret");
        assertThat(resolved).isEqualTo("abc");
        assertThatCode(() -> ProviderReferences.requireResolved("auth.secret", resolved)).doesNotThrowAnyException();

        String missingKey = worker.transform(Map.of("auth.secret", "${file:" + secrets + ":apiKey}")).data().get("auth.secret");
        assertThatThrownBy(() -> ProviderReferences.requireResolved("auth.secret", missingKey))
                .isInstanceOf(InvalidOption.class)
                .hasMessage("Invalid value ${file:" + secrets + ":apiKey} for configuration auth.secret: the worker did not "
                        + "resolve this reference: either it has no config provider named 'file' (worker option "
                        + "config.providers) or that provider has no value for key 'apiKey' in " + secrets
                        + " (file: a missing key in the properties file; env: a variable not set in the worker's environment)");

        String noProvider = worker.transform(Map.of("auth.secret", "${vault:secret/kma:key}")).data().get("auth.secret");
        assertThatThrownBy(() -> ProviderReferences.requireResolved("auth.secret", noProvider))
                .hasMessageContaining("no config provider named 'vault'");
        file.close();
    }
}
