package io.tagstream.alerts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import io.tagstream.schema.AlertKind;
import io.tagstream.schema.Severity;

/**
 * Everything the alerts remember about one tag: the active episodes (value limit, STALE, BAD_QUALITY), for
 * each value limit whether the last reading was beyond it and since when (on / clear delays), the
 * bad / good quality runs, and the newest reading time and when it was seen. Mutable; the processor works
 * on a {@link #copy()} and stores it, so the changelog always has the full state.
 */
public final class TagAlertState {

    /** Marks an absent time. */
    public static final long NONE = Long.MIN_VALUE;

    private static final byte FORMAT_VERSION = 1;
    private static final int LIMITS = Limit.values().length;

    String line;
    long lastTs = NONE;
    long lastSeenWall = NONE;
    final boolean[] runBeyond = new boolean[LIMITS];
    final long[] runSince = new long[LIMITS];
    Episode limit;
    Episode stale;
    Episode bad;
    long badSince = NONE;
    long goodSince = NONE;
    /** Wall-clock time this state was last written to the store; not stored itself. */
    long persistedWall = NONE;

    public TagAlertState() {
        java.util.Arrays.fill(runSince, NONE);
    }

    public TagAlertState copy() {
        TagAlertState copy = new TagAlertState();
        copy.line = line;
        copy.lastTs = lastTs;
        copy.lastSeenWall = lastSeenWall;
        System.arraycopy(runBeyond, 0, copy.runBeyond, 0, LIMITS);
        System.arraycopy(runSince, 0, copy.runSince, 0, LIMITS);
        copy.limit = limit;
        copy.stale = stale;
        copy.bad = bad;
        copy.badSince = badSince;
        copy.goodSince = goodSince;
        copy.persistedWall = persistedWall;
        return copy;
    }

    /**
     * Whether anything but the newest reading time and the last-seen time differs from {@code before}: an
     * episode, a limit run, a quality run or the line. Such changes are stored at once; the two times alone
     * may wait (see AlertProcessor).
     */
    public boolean differsBeyondTimes(TagAlertState before) {
        return limit != before.limit || stale != before.stale || bad != before.bad || badSince != before.badSince
                || goodSince != before.goodSince || !java.util.Objects.equals(line, before.line)
                || !java.util.Arrays.equals(runBeyond, before.runBeyond) || !java.util.Arrays.equals(runSince, before.runSince);
    }

    public String line() {
        return line;
    }

    public long lastSeenWall() {
        return lastSeenWall;
    }

    public Episode limitEpisode() {
        return limit;
    }

    public Episode staleEpisode() {
        return stale;
    }

    public Episode badQualityEpisode() {
        return bad;
    }

    public boolean hasActiveEpisode() {
        return limit != null || stale != null || bad != null;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(FORMAT_VERSION);
            writeString(out, line);
            out.writeLong(lastTs);
            out.writeLong(lastSeenWall);
            for (int i = 0; i < LIMITS; i++) {
                out.writeBoolean(runBeyond[i]);
                out.writeLong(runSince[i]);
            }
            writeEpisode(out, limit);
            writeEpisode(out, stale);
            writeEpisode(out, bad);
            out.writeLong(badSince);
            out.writeLong(goodSince);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    public static TagAlertState fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown alert state format " + version);
            }
            TagAlertState state = new TagAlertState();
            state.line = readString(in);
            state.lastTs = in.readLong();
            state.lastSeenWall = in.readLong();
            for (int i = 0; i < LIMITS; i++) {
                state.runBeyond[i] = in.readBoolean();
                state.runSince[i] = in.readLong();
            }
            state.limit = readEpisode(in);
            state.stale = readEpisode(in);
            state.bad = readEpisode(in);
            state.badSince = in.readLong();
            state.goodSince = in.readLong();
            if (in.available() > 0) {
                throw new IllegalArgumentException("trailing bytes after an alert state");
            }
            return state;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated alert state", e);
        }
    }

    private static void writeEpisode(DataOutputStream out, Episode episode) throws IOException {
        out.writeBoolean(episode != null);
        if (episode != null) {
            out.writeUTF(episode.alertId());
            out.writeByte(episode.kind().ordinal());
            out.writeByte(episode.severity().ordinal());
            out.writeLong(episode.raisedAt());
        }
    }

    private static Episode readEpisode(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return new Episode(in.readUTF(), AlertKind.values()[in.readByte()], Severity.values()[in.readByte()], in.readLong());
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
