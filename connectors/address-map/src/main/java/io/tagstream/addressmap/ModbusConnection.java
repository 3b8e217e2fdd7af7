package io.tagstream.addressmap;

import java.net.URI;
import java.net.URISyntaxException;

/** Where a Modbus TCP device (or gateway) listens: {@code tcp://host:port}. */
public record ModbusConnection(String host, int port) {

    public static final int DEFAULT_PORT = 502;

    public ModbusConnection {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
    }

    /** Parses {@code tcp://host[:port]}; the port defaults to 502. */
    public static ModbusConnection parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getReason());
        }
        if (!"tcp".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("expected tcp://host:port");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in tcp://host:port");
        }
        if ((uri.getPath() != null && !uri.getPath().isEmpty()) || uri.getQuery() != null || uri.getUserInfo() != null) {
            throw new IllegalArgumentException("expected only tcp://host:port");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new ModbusConnection(host, uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort());
    }

    public String uri() {
        return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return uri();
    }
}
