package io.tagstream.connect.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The plugin version Connect shows, from the Maven project version. */
final class Version {

    static final String VERSION = read();

    private Version() {
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "dev");
            return version.startsWith("${") ? "dev" : version;
        } catch (IOException e) {
            return "dev";
        }
    }
}
