package io.tagstream.connect.webhook.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {

    @Test
    void eventIdIsEpisodeStateAndTimeSoRepeatedStatesDiffer() {
        Instant t = Instant.parse("2026-11-30T08:00:00Z");
        AlertNotice escalated = new AlertNotice("A1-7", "A1", null, "D", "T", "r", "HIGH", "CRITICAL", "ESCALATED",
                1.0, 1.0, t, t, "");
        AlertNotice escalatedAgain = new AlertNotice("A1-7", "A1", null, "D", "T", "r", "HIGH", "CRITICAL", "ESCALATED",
                2.0, 1.0, t.plusSeconds(60), t, "");
        AlertNotice redelivered = new AlertNotice("A1-7", "A1", null, "D", "T", "r", "HIGH", "CRITICAL", "ESCALATED",
                1.0, 1.0, t, t, "");
        assertThat(escalated.eventId()).isEqualTo("A1-7/ESCALATED/" + t.toEpochMilli());
        assertThat(escalatedAgain.eventId()).isNotEqualTo(escalated.eventId());
        assertThat(redelivered.eventId()).isEqualTo(escalated.eventId());
    }

    @Test
    void remembersDeliveriesWithinCapacity() {
        DeliveryLedger ledger = new DeliveryLedger(3);
        assertThat(ledger.markDelivered("a")).isTrue();
        assertThat(ledger.markDelivered("a")).as("known already").isFalse();
        ledger.markDelivered("b");
        ledger.markDelivered("c");
        assertThat(ledger.isDelivered("a")).isTrue();
        ledger.markDelivered("d");
        assertThat(ledger.isDelivered("a")).as("oldest forgotten past capacity").isFalse();
        assertThat(ledger.isDelivered("d")).isTrue();
        assertThat(ledger.size()).isEqualTo(3);
    }

    @Test
    void idempotencyKeyIsStableAndHeaderSafe() {
        String id = "울산/PUMP01/HIGH/RAISED/1764489600000";
        assertThat(DeliveryLedger.idempotencyKey(id)).isEqualTo(DeliveryLedger.idempotencyKey(id)).hasSize(32).matches("[0-9a-f]+");
        assertThat(DeliveryLedger.idempotencyKey(id)).isNotEqualTo(DeliveryLedger.idempotencyKey(id + "1"));
        assertThat(DeliveryLedger.headerValue("A1-7/RAISED/1")).isEqualTo("A1-7/RAISED/1");
        assertThat(DeliveryLedger.headerValue("a b%")).isEqualTo("a%20b%25");
        assertThat(DeliveryLedger.headerValue(id)).matches("[\\x21-\\x7e]+");
    }

    @Test
    void partitionProgressCountsOnlyFinishedRecordsInOrder() {
        PartitionProgress<String> progress = new PartitionProgress<>();
        assertThat(progress.committable("p0")).isNull();
        progress.handled("p0", 41);
        assertThat(progress.committable("p0")).isEqualTo(42L);
        assertThat(progress.isHandled("p0", 41)).isTrue();
        assertThat(progress.isHandled("p0", 42)).isFalse();
        progress.handled("p0", 7); // never goes back
        assertThat(progress.committable("p0")).isEqualTo(42L);
        progress.forget("p0");
        assertThat(progress.committable("p0")).isNull();
        assertThat(progress.isHandled("p0", 0)).isFalse();
    }
}
