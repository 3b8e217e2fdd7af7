package io.tagstream.connect.modbus;

/** The connector's version, from the jar manifest (the Maven project version) when there is one. */
final class Version {

    private Version() {
    }

    static String get() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "0.1.0-SNAPSHOT" : version;
    }
}
