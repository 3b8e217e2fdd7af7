package io.tagstream.connect.pgcopy;

import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The PostgreSQL column types the sink writes, each with its binary COPY encoding of a Connect value.
 * A value that does not fit its column (a text into a bigint, an out-of-range integer) is refused here,
 * before the database sees it, and its record goes to the dead-letter topic.
 */
enum ColumnType {

    TEXT {
        @Override
        void encode(Object value, CopyRows out) {
            if (value instanceof CharSequence text) {
                out.putText(text, -1);
            } else if (value instanceof Number || value instanceof Boolean) {
                out.putText(value.toString(), -1);
            } else {
                throw refused(value);
            }
        }
    },
    JSON {
        @Override
        void encode(Object value, CopyRows out) {
            out.putText(text(value), -1);
        }
    },
    JSONB {
        @Override
        void encode(Object value, CopyRows out) {
            out.putText(text(value), 1); // jsonb's binary form: version 1, then the JSON text
        }
    },
    BOOLEAN {
        @Override
        void encode(Object value, CopyRows out) {
            if (!(value instanceof Boolean b)) {
                throw refused(value);
            }
            out.putBoolean(b);
        }
    },
    SMALLINT {
        @Override
        void encode(Object value, CopyRows out) {
            out.putInt2((short) integral(value, Short.MIN_VALUE, Short.MAX_VALUE));
        }
    },
    INTEGER {
        @Override
        void encode(Object value, CopyRows out) {
            out.putInt4((int) integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
    },
    BIGINT {
        @Override
        void encode(Object value, CopyRows out) {
            out.putInt8(integral(value, Long.MIN_VALUE, Long.MAX_VALUE));
        }
    },
    REAL {
        @Override
        void encode(Object value, CopyRows out) {
            if (!(value instanceof Number n)) {
                throw refused(value);
            }
            out.putFloat4(n.floatValue());
        }
    },
    DOUBLE_PRECISION {
        @Override
        void encode(Object value, CopyRows out) {
            if (!(value instanceof Number n)) {
                throw refused(value);
            }
            out.putFloat8(n.doubleValue());
        }
    },
    /** Connect's Timestamp is an instant; without a zone it is stored as its UTC wall-clock time. */
    TIMESTAMPTZ {
        @Override
        void encode(Object value, CopyRows out) {
            out.putInt8(Math.multiplyExact(millis(value) - POSTGRES_EPOCH_MILLIS, 1000L));
        }
    },
    TIMESTAMP {
        @Override
        void encode(Object value, CopyRows out) {
            TIMESTAMPTZ.encode(value, out);
        }
    },
    DATE {
        @Override
        void encode(Object value, CopyRows out) {
            out.putInt4(Math.toIntExact(Math.floorDiv(millis(value), 86_400_000L) - POSTGRES_EPOCH_DAYS));
        }
    },
    UUID_TYPE {
        @Override
        void encode(Object value, CopyRows out) {
            UUID uuid;
            try {
                uuid = UUID.fromString(text(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + value + "' is not a UUID");
            }
            byte[] bytes = new byte[16];
            long high = uuid.getMostSignificantBits();
            long low = uuid.getLeastSignificantBits();
            for (int i = 0; i < 8; i++) {
                bytes[i] = (byte) (high >>> (56 - 8 * i));
                bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
            }
            out.putBytes(bytes, -1);
        }
    };

    /** 2000-01-01T00:00:00Z, where PostgreSQL's binary timestamps and dates count from. */
    static final long POSTGRES_EPOCH_MILLIS = 946_684_800_000L;
    static final long POSTGRES_EPOCH_DAYS = 10_957L;

    /** Writes a non-null value; throws IllegalArgumentException (with the reason) when it does not fit. */
    abstract void encode(Object value, CopyRows out);

    /**
     * The type for a column, by the name of its type (pg_type.typname; for domains, of their base type,
     * and enums are written as their label, i.e. as text); empty when the sink cannot write it.
     */
    static Optional<ColumnType> of(String typeName, boolean isEnum) {
        if (isEnum) {
            return Optional.of(TEXT);
        }
        return Optional.ofNullable(switch (typeName.toLowerCase(Locale.ROOT)) {
            case "text", "varchar", "bpchar", "name", "citext" -> TEXT;
            case "json" -> JSON;
            case "jsonb" -> JSONB;
            case "bool" -> BOOLEAN;
            case "int2" -> SMALLINT;
            case "int4" -> INTEGER;
            case "int8" -> BIGINT;
            case "float4" -> REAL;
            case "float8" -> DOUBLE_PRECISION;
            case "timestamptz" -> TIMESTAMPTZ;
            case "timestamp" -> TIMESTAMP;
            case "date" -> DATE;
            case "uuid" -> UUID_TYPE;
            default -> null;
        });
    }

    static final String SUPPORTED = "text, varchar, char, enum, json, jsonb, boolean, smallint, integer, bigint, real, "
            + "double precision, timestamptz, timestamp, date, uuid (and domains over them)";

    private static long integral(Object value, long min, long max) {
        if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)) {
            throw refused(value);
        }
        long v = ((Number) value).longValue();
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    private static long millis(Object value) {
        if (value instanceof Date date) {
            return date.getTime();
        }
        throw refused(value);
    }

    private static String text(Object value) {
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        throw refused(value);
    }

    private static IllegalArgumentException refused(Object value) {
        return new IllegalArgumentException("a " + value.getClass().getSimpleName() + " cannot be written to this column");
    }
}
