package io.tagstream.connect.config;

import java.time.DateTimeException;
import java.time.ZoneId;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** A time-zone id java.time knows (Asia/Seoul, UTC, +09:00). */
public final class TimeZoneValidator implements ConfigDef.Validator {

    @Override
    public void ensureValid(String name, Object value) {
        try {
            ZoneId.of((String) value);
        } catch (DateTimeException e) {
            throw new ConfigException(name, value, "not a time zone id: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "time zone id, e.g. Asia/Seoul or UTC";
    }
}
