package io.tagstream.aggregation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import io.tagstream.schema.Origin;
import io.tagstream.schema.Quality;
import io.tagstream.schema.Reading;

/**
 * What the aggregation keeps per tag between records: the tag's identity and unit as last seen, its open
 * minutes (usually one, two around a minute boundary within the grace), the rolled-up closed minutes of
 * its open hour, the step in force at the end of its last closed minute (carried into the next
 * window), the tag's clock (the newest measurement time seen for it) and how far its windows have been closed.
 * Mutable; serialized for the state store after every change.
 */
final class TagWindows {

    /** 2 added the tag's clock and closed-through time; 1 (partition clock only) is still read. */
    private static final byte FORMAT_VERSION = 2;
    private static final byte FORMAT_VERSION_1 = 1;

    private final String site;
    private String line;
    private final String device;
    private final String tag;
    private String unit;
    private Step carry = Step.NONE;
    /** Ordered by start; a handful at most, so a list beats a tree. */
    private final List<OpenMinute> openMinutes = new ArrayList<>(2);
    /** Closed minutes of the open hour rolled up, from the hour start; null when no hour is open. */
    private WindowStats hour;
    /** The newest measurement time seen for the tag (its window clock); Long.MIN_VALUE before the first. */
    private long clock = Long.MIN_VALUE;
    /**
     * Every window of the tag ending at or before this (a minute boundary) has been closed: emitted if it had
     * readings. Long.MIN_VALUE when none has.
     */
    private long closedThrough = Long.MIN_VALUE;
    /** Read from format 1, which had neither the clock nor the closed-through time (see {@link #isFormat1}). */
    private boolean format1;
    /**
     * Everything but the open minutes, encoded; kept until one of them changes (at most once a minute), since
     * the state is written after every reading. Hand-written for speed, like {@link OpenMinute}'s samples.
     */
    private byte[] encodedHead;

    TagWindows(String site, String line, String device, String tag, String unit) {
        this.site = site;
        this.line = line;
        this.device = device;
        this.tag = tag;
        this.unit = unit;
    }

    static TagWindows of(Reading reading) {
        return new TagWindows(reading.getSite(), reading.getLine(), reading.getDevice(), reading.getTag(),
                reading.getUnit());
    }

    String site() {
        return site;
    }

    String line() {
        return line;
    }

    String device() {
        return device;
    }

    String tag() {
        return tag;
    }

    String unit() {
        return unit;
    }

    Step carry() {
        return carry;
    }

    List<OpenMinute> openMinutes() {
        return openMinutes;
    }

    WindowStats hour() {
        return hour;
    }

    long clock() {
        return clock;
    }

    long closedThrough() {
        return closedThrough;
    }

    /**
     * True for a state read from format 1 (written under the partition clock): its closed-through time is not
     * known from the state itself; the caller sets it with {@link #closedAtLeast} from the partition's stream time.
     */
    boolean isFormat1() {
        return format1;
    }

    /** Marks every window ending at or before {@code time} as closed (nothing is emitted). */
    void closedAtLeast(long time) {
        format1 = false;
        if (time == Long.MIN_VALUE) {
            return;
        }
        long through = EpochWindows.minuteStart(time);
        if (through > closedThrough) {
            closedThrough = through;
            encodedHead = null;
        }
    }

    /**
     * Advances the tag's clock.
     *
     * @return true when {@code ts} is newer than every measurement time seen for the tag so far
     */
    boolean advanceClock(long ts) {
        if (ts > clock) {
            clock = ts;
            return true;
        }
        return false;
    }

    /** True when the minute starting at {@code minuteStart} has been closed, or may be by {@code limit}. */
    boolean isClosed(long minuteStart, long limit) {
        long end = minuteStart + EpochWindows.MINUTE_MS;
        return end <= closedThrough || end <= limit;
    }

    /**
     * Adds a sample to its (open) minute.
     *
     * @return true when the sample opened a new minute window
     */
    boolean add(Reading reading, long minuteStart) {
        // line and unit are attributes: the latest reading's win (equals() first, so the common case allocates nothing)
        if (!Objects.equals(line, reading.getLine())) {
            line = reading.getLine();
            encodedHead = null;
        }
        if (!Objects.equals(unit, reading.getUnit())) {
            unit = reading.getUnit();
            encodedHead = null;
        }
        boolean bad = reading.getQuality() == Quality.BAD;
        Double value = reading.getValue();
        double usable = !bad && value != null && Double.isFinite(value) ? value : Double.NaN;
        byte flags = (byte) ((reading.getOrigin() == Origin.IMPUTED ? OpenMinute.IMPUTED : 0) | (bad ? OpenMinute.BAD : 0));
        int at = openMinutes.size();
        while (at > 0 && openMinutes.get(at - 1).start() > minuteStart) {
            at--;
        }
        boolean opened = at == 0 || openMinutes.get(at - 1).start() != minuteStart;
        OpenMinute minute;
        if (opened) {
            minute = new OpenMinute(minuteStart, 8);
            openMinutes.add(at, minute);
        } else {
            minute = openMinutes.get(at - 1);
        }
        minute.add(reading.getTs().toEpochMilli(), usable, flags);
        return opened;
    }

    /**
     * Closes, in time order, every open minute that ends at or before {@code limit}, rolling each into its
     * hour, and every hour that ends at or before {@code limit}: an hour is final once its last minute is.
     */
    void closeThrough(long limit, long maxStepMs, Consumer<WindowStats> minuteClosed, Consumer<WindowStats> hourClosed) {
        encodedHead = null;
        closedThrough = Math.max(closedThrough, EpochWindows.minuteStart(limit));
        while (!openMinutes.isEmpty() && openMinutes.get(0).end() <= limit) {
            OpenMinute minute = openMinutes.remove(0);
            long hourStart = EpochWindows.hourStart(minute.start());
            if (hour != null && hour.start() != hourStart) {
                hourClosed.accept(hour.extendTo(hour.start() + EpochWindows.HOUR_MS, maxStepMs));
                hour = null;
            }
            WindowStats stats = minute.close(carry, maxStepMs);
            minuteClosed.accept(stats);
            // no minute of this hour closed before this one, so the carry is what was in force at the hour start
            hour = (hour == null ? WindowStats.empty(hourStart, carry) : hour).then(stats, maxStepMs);
            carry = stats.endStep();
        }
        if (hour != null && hour.start() + EpochWindows.HOUR_MS <= limit) {
            hourClosed.accept(hour.extendTo(hour.start() + EpochWindows.HOUR_MS, maxStepMs));
            hour = null;
        }
    }

    /** End of the open hour, or Long.MIN_VALUE. */
    long openHourEnd() {
        return hour == null ? Long.MIN_VALUE : hour.start() + EpochWindows.HOUR_MS;
    }

    /**
     * Nothing open and a carry that can no longer reach a window that is still open at {@code limit} (whose
     * hour may have started up to an hour earlier): the state can go.
     */
    boolean idle(long limit, long maxStepMs) {
        return openMinutes.isEmpty() && hour == null && carry.expiredBy(limit - EpochWindows.HOUR_MS, maxStepMs);
    }

    /** The closing limit from which a state with nothing open is {@link #idle}. */
    long idleFrom(long maxStepMs) {
        return carry.known() ? carry.since() + maxStepMs + EpochWindows.HOUR_MS : Long.MIN_VALUE;
    }

    // ---- serialization -------------------------------------------------------------------------------

    byte[] toBytes() {
        if (encodedHead == null) {
            encodedHead = encodeHead();
        }
        // the clock changes with most readings, so it is not part of the cached head
        int size = encodedHead.length + 8 + 4;
        for (OpenMinute minute : openMinutes) {
            size += 12 + minute.serializedSize();
        }
        byte[] bytes = new byte[size];
        System.arraycopy(encodedHead, 0, bytes, 0, encodedHead.length);
        ByteBuffer out = ByteBuffer.wrap(bytes, encodedHead.length, size - encodedHead.length);
        out.putLong(clock);
        out.putInt(openMinutes.size());
        for (OpenMinute minute : openMinutes) {
            out.putLong(minute.start()).putInt(minute.size());
            minute.writeSamples(bytes, out.position());
            out.position(out.position() + minute.serializedSize());
        }
        return bytes;
    }

    private byte[] encodeHead() {
        byte[][] strings = {utf8(site), utf8(line), utf8(device), utf8(tag), utf8(unit)};
        int size = 1 + 16 + 1 + (hour == null ? 0 : STATS_BYTES) + 8;
        for (byte[] s : strings) {
            size += 4 + (s == null ? 0 : s.length);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(FORMAT_VERSION);
        for (byte[] s : strings) {
            if (s == null) {
                out.putInt(-1);
            } else {
                out.putInt(s.length).put(s);
            }
        }
        putStep(out, carry);
        out.put((byte) (hour == null ? 0 : 1));
        if (hour != null) {
            putStats(out, hour);
        }
        out.putLong(closedThrough);
        return out.array();
    }

    static TagWindows fromBytes(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != FORMAT_VERSION && version != FORMAT_VERSION_1) {
            throw new IllegalArgumentException("unknown aggregation state format " + version);
        }
        TagWindows state = new TagWindows(string(in), string(in), string(in), string(in), string(in));
        state.carry = step(in);
        if (in.get() == 1) {
            state.hour = stats(in);
        }
        if (version == FORMAT_VERSION) {
            state.closedThrough = in.getLong();
            state.encodedHead = Arrays.copyOf(bytes, in.position());
            state.clock = in.getLong();
        } else {
            state.format1 = true; // encoded again in the current format when written
        }
        int minutes = in.getInt();
        for (int m = 0; m < minutes; m++) {
            long start = in.getLong();
            int samples = in.getInt();
            state.openMinutes.add(OpenMinute.of(start, bytes, in.position(), samples));
            in.position(in.position() + samples * OpenMinute.SAMPLE_BYTES);
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("trailing bytes in aggregation state");
        }
        return state;
    }

    private static final int STATS_BYTES = 40 + 24 + 16 + 16 + 32 + 24 + 16;

    private static void putStats(ByteBuffer out, WindowStats s) {
        out.putLong(s.start()).putLong(s.end()).putLong(s.count()).putLong(s.imputedCount()).putLong(s.badCount());
        out.putLong(s.moments().count()).putDouble(s.moments().mean()).putDouble(s.moments().m2());
        out.putDouble(s.min()).putDouble(s.max());
        out.putDouble(s.sum().sum()).putDouble(s.sum().compensation());
        out.putLong(s.firstTs()).putDouble(s.first()).putLong(s.lastTs());
        out.putDouble(s.last());
        out.putDouble(s.weighted().sum()).putDouble(s.weighted().compensation());
        out.putLong(s.weightedMillis());
        putStep(out, s.endStep());
    }

    private static WindowStats stats(ByteBuffer in) {
        long start = in.getLong();
        long end = in.getLong();
        long count = in.getLong();
        long imputed = in.getLong();
        long bad = in.getLong();
        Moments moments = new Moments(in.getLong(), in.getDouble(), in.getDouble());
        double min = in.getDouble();
        double max = in.getDouble();
        CompensatedSum sum = new CompensatedSum(in.getDouble(), in.getDouble());
        long firstTs = in.getLong();
        double first = in.getDouble();
        long lastTs = in.getLong();
        double last = in.getDouble();
        CompensatedSum weighted = new CompensatedSum(in.getDouble(), in.getDouble());
        long weightedMillis = in.getLong();
        return new WindowStats(start, end, count, imputed, bad, moments, min, max, sum, firstTs, first, lastTs, last,
                weighted, weightedMillis, step(in));
    }

    private static void putStep(ByteBuffer out, Step step) {
        out.putDouble(step.value()).putLong(step.since());
    }

    private static Step step(ByteBuffer in) {
        return new Step(in.getDouble(), in.getLong());
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }
}
