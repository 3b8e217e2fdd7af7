package io.tagstream.connect.modbus;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;

import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.tagstream.stack.JsonHttp;
import io.tagstream.stack.StackEndpoints;
import io.tagstream.stack.testing.SharedStack;
import io.tagstream.testkit.ConnectRest;

/**
 * scripts/bench-modbus: one task of the connector in the real Connect worker polls 10,000 holding registers
 * (UINT16 tags in contiguous blocks, every 200 ms unless a period is given) from a local Modbus TCP server (j2mod's slave in this
 * JVM). Prints GOOD tag reads per second as they land on the topic, and poll-to-topic latency p50/p99:
 * the broker's append time (the topic uses LogAppendTime) minus the Reading's ts (the poll time).
 */
public final class ModbusBenchmark {

    public static void main(String[] args) throws Exception {
        int tags = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int period = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        StackEndpoints stack = SharedStack.get();
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SimpleProcessImage image = new SimpleProcessImage(1);
        for (int i = 0; i < tags; i++) {
            image.addRegister(new SimpleRegister(i % 65536));
        }
        ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 4, false);
        slave.addProcessImage(1, image);
        slave.open();

        StringBuilder map = new StringBuilder("site,line,device,tag,protocol,conn,unit_id,address,type,scale,offset,period_ms,unit,hi,lo\n");
        for (int i = 0; i < tags; i++) {
            map.append("B,,D,").append(i).append(",modbus,tcp://127.0.0.1:").append(port).append(",1,hr:").append(i)
                    .append(",UINT16,1,0,").append(period).append(",,,\n");
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        String name = "bench-modbus-" + run;
        String topic = "bench.modbus." + run;
        ObjectNode config = JsonHttp.mapper().createObjectNode();
        config.put("connector.class", ModbusSourceConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topic", topic);
        config.put(ModbusSourceConfig.ADDRESS_MAP, map.toString());
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        config.put("topic.creation.default.message.timestamp.type", "LogAppendTime");
        config.put("producer.override.linger.ms", "20");
        config.put("producer.override.batch.size", "524288");
        new ConnectRest(stack).sourceConverters(config);

        Map<String, Object> serde = new HashMap<>();
        serde.put(SerdeConfig.REGISTRY_URL, stack.registryApiUrl());
        serde.put(SerdeConfig.ENABLE_HEADERS, false);
        serde.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true);
        serde.put(SerdeConfig.USE_ID, "contentId");
        AvroKafkaDeserializer<Object> values = new AvroKafkaDeserializer<>();
        values.configure(serde, false);
        Map<String, Object> consumerConfig = new HashMap<>();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, name);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);

        System.out.printf("bench-modbus: %d UINT16 tags on one connection, period %d ms, one task; measuring %d s%n",
                tags, period, seconds);
        JsonHttp.Response put = JsonHttp.put(stack.connectUrl() + "/connectors/" + name + "/config",
                JsonHttp.mapper().writeValueAsString(config));
        if (put.status() / 100 != 2) {
            throw new IllegalStateException("registering the benchmark connector failed: " + put.status() + " " + put.body());
        }
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            // warm-up: until records flow for 5 s
            long warmupEnd = 0;
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline) {
                int n = consumer.poll(Duration.ofMillis(500)).count();
                if (n > 0 && warmupEnd == 0) {
                    warmupEnd = System.currentTimeMillis() + 5_000;
                }
                if (warmupEnd != 0 && System.currentTimeMillis() >= warmupEnd) {
                    break;
                }
            }
            if (warmupEnd == 0) {
                throw new IllegalStateException("no records on " + topic + " within 120 s");
            }
            long[] latencies = new long[16_000_000];
            int count = 0;
            long good = 0;
            long bad = 0;
            long startTs = Long.MAX_VALUE;
            long endTs = Long.MIN_VALUE;
            long measureEnd = System.currentTimeMillis() + seconds * 1000L;
            while (System.currentTimeMillis() < measureEnd) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    GenericRecord reading = (GenericRecord) record.value();
                    long ts = (Long) reading.get("ts");
                    if ("GOOD".equals(String.valueOf(reading.get("quality")))) {
                        good++;
                    } else {
                        bad++;
                    }
                    startTs = Math.min(startTs, ts);
                    endTs = Math.max(endTs, ts);
                    if (count < latencies.length) {
                        latencies[count++] = record.timestamp() - ts;
                    }
                }
            }
            Arrays.sort(latencies, 0, count);
            double spanS = Math.max(1, endTs - startTs) / 1000.0;
            System.out.printf("readings consumed: %d (GOOD %d, BAD %d) with poll times spanning %.1f s%n", good + bad, good, bad, spanS);
            System.out.printf("tag reads/s (GOOD, one task): %.0f   (demanded by the map: %d)%n", good / spanS, tags * 1000 / period);
            System.out.printf("poll-to-topic latency: p50 %d ms, p99 %d ms, max %d ms%n",
                    latencies[count / 2], latencies[(int) (count * 0.99)], latencies[count - 1]);
            JsonHttp.Response status = JsonHttp.get(stack.connectUrl() + "/connectors/" + name + "/status");
            System.out.println("connector status: " + status.body());
        } finally {
            JsonHttp.delete(stack.connectUrl() + "/connectors/" + name);
            ModbusSlaveFactory.close(slave);
        }
    }
}
