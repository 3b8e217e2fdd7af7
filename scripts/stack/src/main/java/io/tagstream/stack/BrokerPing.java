package io.tagstream.stack;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The smallest question a Kafka broker answers: ApiVersions version 0 (which every broker version keeps),
 * on a plain socket. Request: size, api_key 18, api_version 0, correlation_id, client_id. Response: size,
 * correlation_id, error_code, [api_key, min_version, max_version].
 */
final class BrokerPing {

    private static final short API_VERSIONS = 18;
    private static final int CORRELATION_ID = 0x7a67;
    private static final byte[] CLIENT_ID = "tagstream-status".getBytes(StandardCharsets.UTF_8);

    private BrokerPing() {
    }

    /** The number of APIs the broker offers; throws when it does not answer as a Kafka broker in time. */
    static int apiVersions(InetSocketAddress broker, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(broker, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(2 + 2 + 4 + 2 + CLIENT_ID.length);
            out.writeShort(API_VERSIONS);
            out.writeShort(0);
            out.writeInt(CORRELATION_ID);
            out.writeShort(CLIENT_ID.length);
            out.write(CLIENT_ID);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            if (size < 10 || size > 1 << 20) {
                throw new IOException("not a Kafka answer (response size " + size + ")");
            }
            int correlation = in.readInt();
            short error = in.readShort();
            int apis = in.readInt();
            if (correlation != CORRELATION_ID) {
                throw new IOException("not a Kafka answer (correlation id " + correlation + ")");
            }
            if (error != 0) {
                throw new IOException("ApiVersions answered with error code " + error);
            }
            return apis;
        }
    }
}
