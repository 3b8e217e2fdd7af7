package io.tagstream.dashboards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.tagstream.stack.testing.SharedStack;

/** Where the provisioning files are: compose/grafana/provisioning of this repository. */
final class DashboardFiles {

    private DashboardFiles() {
    }

    static Path repo() {
        return SharedStack.findRepo();
    }

    static Path module() {
        return repo().resolve("compose/dashboard-check");
    }

    static Path provisioning() {
        return repo().resolve("compose/grafana/provisioning");
    }

    static Path dashboardsDirectory() {
        return provisioning().resolve("dashboards");
    }

    static Path datasourceFile() {
        return provisioning().resolve("datasources/tagstream.yaml");
    }

    static List<Path> dashboardFiles() throws IOException {
        try (Stream<Path> files = Files.list(dashboardsDirectory())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }
}
