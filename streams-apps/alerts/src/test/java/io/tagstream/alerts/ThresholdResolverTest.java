package io.tagstream.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

import io.tagstream.addressmap.AddressMap;
import io.tagstream.schema.Severity;

class ThresholdResolverTest {

    private static final String MAP = String.join("\n",
            "site,line,device,tag,protocol,conn,unit_id,address,type,scale,offset,period_ms,unit,hi,lo",
            "A1,L1,PUMP01,PRESS,modbus,tcp://127.0.0.1:502,1,40001,FLOAT32,1,0,1000,bar,10,0",
            "A1,L1,PUMP01,FLOW,modbus,tcp://127.0.0.1:502,1,40003,INT16,1,0,1000,m3/h,,",
            "");
    private static final Thresholds BASE = new Thresholds("default", null, null, null, null, 0.25, 100, 200, 300_000, 60_000,
            Severity.CRITICAL, Severity.WARNING);

    private static TagDefaults defaults(Severity severity) throws Exception {
        return new TagDefaults(Optional.of(AddressMap.parse(MAP)), severity, BASE);
    }

    private static ThresholdRule rule(String id, String site, String device, String tag, double warningHigh) {
        return new ThresholdRule(id, site, device, tag, warningHigh, null, null, null, 0, 0, 0, null, null, true);
    }

    private static String resolve(List<ThresholdRule> rules, String site, String device, String tag) throws Exception {
        RuleBook book = new RuleBook();
        book.replaceAll(rules);
        return ThresholdResolver.resolve(book.snapshot().rules(), defaults(Severity.WARNING), site, device, tag).ruleId();
    }

    @Test
    void theMostSpecificMatchingRuleWins() throws Exception {
        List<ThresholdRule> rules = List.of(
                rule("all", "*", "*", "*", 1),
                rule("site", "A1", "*", "*", 2),
                rule("device", "A1", "PUMP01", "*", 3),
                rule("any-press", "*", "*", "PRESS", 4),
                rule("exact", "A1", "PUMP01", "PRESS", 5),
                rule("pump-pattern", "A1", "PUMP*", "*", 6));
        assertThat(resolve(rules, "A1", "PUMP01", "PRESS")).isEqualTo("exact");
        // a named tag beats a named device
        assertThat(resolve(rules.subList(0, 4), "A1", "PUMP01", "PRESS")).isEqualTo("any-press");
        assertThat(resolve(rules, "A1", "PUMP01", "TEMP")).isEqualTo("device");
        // a pattern beats *, loses to a name
        assertThat(resolve(rules, "A1", "PUMP02", "TEMP")).isEqualTo("pump-pattern");
        assertThat(resolve(rules, "A1", "VALVE01", "TEMP")).isEqualTo("site");
        assertThat(resolve(rules, "B2", "PUMP01", "TEMP")).isEqualTo("all");
        assertThat(resolve(rules, "B2", "PUMP01", "PRESS")).isEqualTo("any-press");
        assertThat(resolve(List.of(), "A1", "PUMP01", "PRESS")).isEqualTo(TagDefaults.ADDRESS_MAP_RULE);
    }

    @Test
    void patternsMatchWholeNames() {
        ThresholdRule pattern = rule("p", "*", "PUMP*1", "*", 1);
        assertThat(pattern.matches("A1", "PUMP01", "X")).isTrue();
        assertThat(pattern.matches("A1", "PUMP1", "X")).isTrue();
        assertThat(pattern.matches("A1", "PUMP02", "X")).isFalse();
        assertThat(pattern.matches("A1", "XPUMP01", "X")).isFalse();
        assertThat(rule("q", "*", "P.MP", "*", 1).matches("A1", "PUMP", "X")).as("regex characters are literal").isFalse();
        assertThat(new ThresholdRule("blank", "", null, " ", null, null, null, null, 0, 0, 0, null, null, true)
                .matches("A1", "D", "T")).as("blank scope = *").isTrue();
    }

    @Test
    void disabledRulesAreSkipped() throws Exception {
        ThresholdRule disabled = new ThresholdRule("off", "A1", "PUMP01", "PRESS", 1.0, null, null, null, 0, 0, 0, null,
                null, false);
        assertThat(resolve(List.of(disabled, rule("site", "A1", "*", "*", 2)), "A1", "PUMP01", "PRESS")).isEqualTo("site");
        assertThat(resolve(List.of(disabled), "A1", "PUMP01", "PRESS")).isEqualTo(TagDefaults.ADDRESS_MAP_RULE);
    }

    @Test
    void defaultsComeFromTheAddressMapHiAndLo() throws Exception {
        Thresholds warning = defaults(Severity.WARNING).forTag("A1", "PUMP01", "PRESS");
        assertThat(warning.ruleId()).isEqualTo("address-map");
        assertThat(warning.warningHigh()).isEqualTo(10.0);
        assertThat(warning.warningLow()).isEqualTo(0.0);
        assertThat(warning.criticalHigh()).isNull();
        assertThat(warning.hysteresis()).isEqualTo(0.25);
        assertThat(warning.onDelayMs()).isEqualTo(100);
        assertThat(warning.clearDelayMs()).isEqualTo(200);
        Thresholds critical = defaults(Severity.CRITICAL).forTag("A1", "PUMP01", "PRESS");
        assertThat(critical.criticalHigh()).isEqualTo(10.0);
        assertThat(critical.criticalLow()).isEqualTo(0.0);
        assertThat(critical.warningHigh()).isNull();
        // no hi/lo, or not in the map: no value limits, still stale and bad-quality checks
        for (Thresholds none : List.of(defaults(Severity.WARNING).forTag("A1", "PUMP01", "FLOW"),
                defaults(Severity.WARNING).forTag("Z9", "X", "Y"),
                new TagDefaults(Optional.empty(), Severity.WARNING, BASE).forTag("A1", "PUMP01", "PRESS"))) {
            assertThat(none.ruleId()).isEqualTo("default");
            assertThat(none.warningHigh()).isNull();
            assertThat(none.staleAfterMs()).isEqualTo(300_000);
            assertThat(none.badQualityAfterMs()).isEqualTo(60_000);
        }
    }

    @Test
    void aRuleIsTakenWholeButStaleAndBadQualityDelaysFallBackToTheDefaults() throws Exception {
        ThresholdRule onlyHigh = new ThresholdRule("r", "A1", "*", "*", 8.0, null, 9.0, null, 0.5, 1000, 2000, null, null, true);
        Thresholds resolved = ThresholdResolver.resolve(List.of(onlyHigh), defaults(Severity.WARNING), "A1", "PUMP01", "PRESS");
        assertThat(resolved.warningHigh()).isEqualTo(8.0);
        assertThat(resolved.criticalHigh()).isEqualTo(9.0);
        assertThat(resolved.warningLow()).as("not inherited from the address map").isNull();
        assertThat(resolved.hysteresis()).isEqualTo(0.5);
        assertThat(resolved.onDelayMs()).isEqualTo(1000);
        assertThat(resolved.clearDelayMs()).isEqualTo(2000);
        assertThat(resolved.staleAfterMs()).isEqualTo(300_000);
        assertThat(resolved.badQualityAfterMs()).isEqualTo(60_000);
        assertThat(resolved.staleSeverity()).isEqualTo(Severity.CRITICAL);

        ThresholdRule withStale = new ThresholdRule("s", "A1", "*", "*", null, null, null, null, 0, 0, 0, 5000L, 0L, true);
        Thresholds stale = ThresholdResolver.resolve(List.of(withStale), defaults(Severity.WARNING), "A1", "PUMP01", "PRESS");
        assertThat(stale.staleAfterMs()).isEqualTo(5000);
        assertThat(stale.badQualityAfterMs()).isZero();
    }

    @Test
    void theRuleBookPublishesEveryChange() {
        RuleBook book = new RuleBook();
        long start = book.snapshot().generation();
        book.put(rule("a", "*", "*", "*", 1));
        book.put(rule("b", "A1", "*", "*", 2));
        assertThat(book.snapshot().generation()).isEqualTo(start + 2);
        assertThat(book.snapshot().rules()).extracting(ThresholdRule::ruleId).containsExactly("b", "a");
        book.remove("missing");
        assertThat(book.snapshot().generation()).isEqualTo(start + 2);
        book.remove("b");
        assertThat(book.snapshot().rules()).extracting(ThresholdRule::ruleId).containsExactly("a");
    }

    @Test
    void debeziumRowsBecomeRules() {
        GenericRecord row = DebeziumThresholds.row("r7", "A1", "*", "PRESS");
        row.put("site", new Utf8("A1"));
        row.put("warning_high", 8.0);
        row.put("critical_high", 10.0);
        row.put("hysteresis", 0.5);
        row.put("on_delay_ms", 2000L);
        row.put("stale_after_ms", 30_000L);
        row.put("enabled", false);
        ThresholdRule rule = ThresholdRecords.rule("ignored", row);
        assertThat(rule).isEqualTo(new ThresholdRule("r7", "A1", "*", "PRESS", 8.0, null, 10.0, null, 0.5, 2000, 0,
                30_000L, null, false));
        GenericRecord key = (GenericRecord) DebeziumThresholds.deserializer(DebeziumThresholds.KEY)
                .deserialize("t", DebeziumThresholds.key("r7"));
        assertThat(ThresholdRecords.ruleId(key)).isEqualTo("r7");
        assertThat(ThresholdRecords.ruleId("plain")).isEqualTo("plain");
    }
}
