package io.tagstream.connect.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;
import io.tagstream.stack.JsonHttp;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.testkit.ConnectRest;
import io.tagstream.testkit.StackKafka;
import io.tagstream.testkit.TestIds;

/**
 * The connector in the real Connect worker (REST API, Apicurio Avro converter) against pymodbus, a Modbus
 * server we did not write (Debian python3-pymodbus, run with /usr/bin/python3): every type lands on the
 * topic exactly; a stopped server gives BAD readings while the task stays RUNNING; a restarted server
 * gives GOOD readings again without a connector restart.
 */
class ModbusSourceIT {

    private static final String PYTHON = "/usr/bin/python3";
    private static final String CLASS = "io.tagstream.connect.modbus.ModbusSourceConnector";

    private static StackEndpoints stack;
    private static StackKafka kafka;
    private static ConnectRest connect;
    private static Process server;
    private static int port;
    private static final String RUN = TestIds.next();

    @BeforeAll
    static void startServer() throws Exception {
        stack = SharedStack.get();
        kafka = new StackKafka(stack);
        connect = new ConnectRest(stack);
        port = freePort();
        server = startPymodbus(port);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    private static String addressMap(int port) {
        String conn = "tcp://127.0.0.1:" + port;
        return "site,line,device,tag,protocol,conn,unit_id,address,type,scale,offset,period_ms,unit,hi,lo,word_order\n"
                + "IT,L1,PLC,F32," + "modbus," + conn + ",1,40001,FLOAT32,1,0,200,bar,,,ABCD\n"
                + "IT,L1,PLC,I16,modbus," + conn + ",1,40003,INT16,0.1,5,200,degC,,,\n"
                + "IT,L1,PLC,U32,modbus," + conn + ",1,40004,UINT32,1,0,200,,,,CDAB\n"
                + "IT,L1,PLC,I64,modbus," + conn + ",1,40006,INT64,1,0,200,,,,ABCD\n"
                + "IT,L1,PLC,F64,modbus," + conn + ",1,40010,FLOAT64,1,0,200,,,,DCBA\n"
                + "IT,L1,PLC,BIT0,modbus," + conn + ",1,40014.0,BOOL,1,0,200,,,,\n"
                + "IT,L1,PLC,BIT5,modbus," + conn + ",1,40014.5,BOOL,1,0,200,,,,\n"
                + "IT,L1,PLC,BIT6,modbus," + conn + ",1,40014.6,BOOL,1,0,200,,,,\n"
                + "IT,L1,PLC,NAN,modbus," + conn + ",1,40015,FLOAT32,1,0,200,,,,BADC\n"
                + "IT,,PLC,IR,modbus," + conn + ",1,30001,UINT16,1,0,200,,,,\n"
                + "IT,L1,PLC,C0,modbus," + conn + ",1,00001,BOOL,1,0,200,,,,\n"
                + "IT,L1,PLC,C1,modbus," + conn + ",1,00002,BOOL,1,0,200,,,,\n"
                + "IT,L1,PLC,DI1,modbus," + conn + ",1,10002,BOOL,1,0,200,,,,\n";
    }

    /** The exact values modbus_server.py holds, decoded and scaled (null = BAD, the NaN float). */
    private static final Map<String, Double> EXPECTED = new HashMap<>();

    static {
        EXPECTED.put("F32", 12.5);
        EXPECTED.put("I16", -100 * 0.1 + 5);
        EXPECTED.put("U32", 3_000_000_000.0);
        EXPECTED.put("I64", -1_234_567_890_123.0);
        EXPECTED.put("F64", -0.125);
        EXPECTED.put("BIT0", 1.0);
        EXPECTED.put("BIT5", 1.0);
        EXPECTED.put("BIT6", 0.0);
        EXPECTED.put("NAN", null);
        EXPECTED.put("IR", 65000.0);
        EXPECTED.put("C0", 1.0);
        EXPECTED.put("C1", 0.0);
        EXPECTED.put("DI1", 1.0);
    }

    private static ObjectNode connectorConfig(String topic) {
        ObjectNode config = connect.sourceConverters(ConnectRest.config(CLASS));
        config.put("tasks.max", "1");
        config.put("topic", topic);
        config.put(ModbusSourceConfig.ADDRESS_MAP, addressMap(port));
        config.put(ModbusSourceConfig.REQUEST_TIMEOUT_MS, "500");
        config.put(ModbusSourceConfig.REQUEST_RETRIES, "0");
        config.put(ModbusSourceConfig.RECONNECT_BACKOFF_INITIAL_MS, "200");
        config.put(ModbusSourceConfig.RECONNECT_BACKOFF_MAX_MS, "1000");
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        return config;
    }

    @Test
    void valuesLandExactlyThenBadWhileTheServerIsDownThenGoodAgain() throws Exception {
        String connector = "it-modbus-" + RUN;
        String topic = "it.modbus." + RUN;
        try (KafkaConsumer<String, Object> consumer = kafka.consumer(new StringDeserializer(), kafka.avroDeserializer())) {
            connect.put(connector, connectorConfig(topic));
            try {
                kafka.awaitTopic(topic, Duration.ofSeconds(60));
                consumer.assign(List.of(new TopicPartition(topic, 0)));
                consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));

                // 1. every tag GOOD with its exact value (NaN is BAD with no value)
                Map<String, Reading> first = collectRound(consumer, r -> true);
                for (Map.Entry<String, Double> expected : EXPECTED.entrySet()) {
                    Reading reading = first.get("IT/PLC/" + expected.getKey());
                    assertThat(reading).as(expected.getKey()).isNotNull();
                    assertThat(reading.getValue()).as(expected.getKey()).isEqualTo(expected.getValue());
                    assertThat(reading.getQuality()).as(expected.getKey())
                            .isEqualTo(expected.getValue() == null ? Quality.BAD : Quality.GOOD);
                    assertThat(reading.getSource()).isEqualTo(connector);
                    assertThat(reading.getSite()).isEqualTo("IT");
                    assertThat(reading.getDevice()).isEqualTo("PLC");
                    assertThat(reading.getTag()).isEqualTo(expected.getKey());
                }
                assertThat(first.get("IT/PLC/F32").getUnit()).isEqualTo("bar");
                assertThat(first.get("IT/PLC/F32").getLine()).isEqualTo("L1");
                assertThat(first.get("IT/PLC/IR").getLine()).isNull();
                assertThat(first.get("IT/PLC/F32").getTs().toEpochMilli())
                        .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));

                // 2. server gone: BAD readings for every tag, task still RUNNING
                server.destroyForcibly().waitFor();
                Map<String, Reading> down = collectRound(consumer, r -> r.getQuality() == Quality.BAD);
                assertThat(down.values()).allSatisfy(r -> assertThat(r.getValue()).isNull());
                assertThat(taskStates(connector)).containsOnly("RUNNING");
                // and it keeps reporting BAD at the tags' period, not just once
                collectRound(consumer, r -> r.getQuality() == Quality.BAD);
                assertThat(taskStates(connector)).containsOnly("RUNNING");

                // 3. server back on the same port: GOOD again, no restart of the connector
                server = startPymodbus(port);
                Map<String, Reading> back = collectRound(consumer,
                        r -> r.getQuality() == Quality.GOOD || r.getTag().toString().equals("NAN"));
                assertThat(back.get("IT/PLC/I64").getValue()).isEqualTo(-1_234_567_890_123.0);
                assertThat(back.get("IT/PLC/F64").getValue()).isEqualTo(-0.125);
                assertThat(taskStates(connector)).containsOnly("RUNNING");
            } finally {
                connect.delete(connector);
            }
        }
    }

    @Test
    void theValidateEndpointNamesEachAddressMapProblem() throws Exception {
        ObjectNode config = connectorConfig("it.modbus.validate." + RUN);
        config.put("name", "it-modbus-validate-" + RUN);
        config.put(ModbusSourceConfig.ADDRESS_MAP, addressMap(port)
                + "IT,L1,PLC,F32,modbus,tcp://127.0.0.1:" + port + ",1,40101,INT16,1,0,200,,,,\n"
                + "IT,L1,PLC,FAST,modbus,tcp://127.0.0.1:" + port + ",1,40102,INT16,1,0,50,,,,\n"
                + "IT,L1,PLC,WIDE,modbus,tcp://127.0.0.1:" + port + ",1,40103,INT128,1,0,200,,,,\n"
                + "IT,L1,PLC,URL,modbus,tcp//nowhere,1,40104,INT16,1,0,200,,,,\n"
                + "IT,L1,PLC,OVERLAP,modbus,tcp://127.0.0.1:" + port + ",1,40002,INT16,1,0,200,,,,\n");
        JsonHttp.Response response = JsonHttp.put(connect.url("/connector-plugins/" + CLASS + "/config/validate"),
                JsonHttp.mapper().writeValueAsString(config));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode json = response.json();
        assertThat(json.path("error_count").asInt()).isEqualTo(1);
        String errors = "";
        for (JsonNode field : json.path("configs")) {
            if (field.path("value").path("name").asText().equals(ModbusSourceConfig.ADDRESS_MAP)) {
                errors = field.path("value").path("errors").toString();
            }
        }
        assertThat(errors)
                .contains("line 15").contains("IT/PLC/F32")
                .contains("line 16").contains("'50'")
                .contains("line 17").contains("INT128")
                .contains("line 18").contains("tcp//nowhere")
                .contains("line 19");
    }

    /** Reads until every expected tag has a reading that passes the filter; the latest per tag. */
    private static Map<String, Reading> collectRound(KafkaConsumer<String, Object> consumer, Predicate<Reading> accept) {
        Map<String, Reading> latest = new HashMap<>();
        Set<String> keys = new java.util.HashSet<>();
        EXPECTED.keySet().forEach(k -> keys.add("IT/PLC/" + k));
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (!latest.keySet().containsAll(keys) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
                Reading reading = (Reading) record.value();
                assertThat(record.key()).isEqualTo(reading.getSite() + "/" + reading.getDevice() + "/" + reading.getTag());
                if (accept.test(reading)) {
                    latest.put(record.key(), reading);
                } else {
                    latest.remove(record.key());
                }
            }
        }
        assertThat(latest.keySet()).as("tags seen").containsAll(keys);
        return latest;
    }

    private static List<String> taskStates(String connector) {
        List<String> states = connect.states(connector);
        assertThat(states).as("connector and its one task").hasSize(2);
        return states;
    }

    private static Process startPymodbus(int port) throws Exception {
        Path script = SharedStack.findRepo().resolve("connectors/modbus-source/src/test/python/modbus_server.py");
        assertThat(Files.isExecutable(Path.of(PYTHON))).as("Debian python3 with python3-pymodbus").isTrue();
        Process process = new ProcessBuilder(PYTHON, script.toString(), Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", "pymodbus-" + port + ".log").toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("pymodbus exited with " + process.exitValue() + "; see target/pymodbus-" + port + ".log");
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return process;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("pymodbus did not listen on " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
