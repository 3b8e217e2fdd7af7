package io.tagstream.alerts;

import static io.tagstream.alerts.TagAlertState.NONE;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.tagstream.schema.AlertKind;
import io.tagstream.schema.AlertState;
import io.tagstream.schema.Quality;

/**
 * The alert rules of one tag, as transitions of its {@link TagAlertState}. No Kafka here: the processor
 * feeds readings ({@link #onReading}) and wall-clock ticks ({@link #onWallClock}) and emits what comes back.
 *
 * <p>Value limits (ARCHITECTURE.md section 5): a value beyond a limit (strictly) starts a run; once the run of
 * a limit more severe than the active one has lasted {@code on_delay} (reading time) the episode is RAISED
 * or ESCALATED. A limit of the active episode (and those below it) counts as still exceeded until the value
 * is back inside limit ∓ hysteresis; once the active limit has been inside for {@code clear_delay} the
 * episode is DEESCALATED to the warning limit if that one still holds, else CLEARED. HIGH and LOW are one
 * episode slot: crossing from one to the other clears the first and raises the second. Readings without a
 * finite value or with BAD quality do not touch the value limits.
 *
 * <p>BAD_QUALITY: raised once readings have been BAD for {@code bad_quality_after} (reading time), cleared
 * when they have been good for {@code clear_delay}. STALE: raised by the wall clock when no reading was
 * seen for {@code stale_after}, cleared by the next reading. Readings not newer than the newest one seen
 * (replays, duplicates, clock going back) change nothing, so reprocessing never emits twice.
 */
public final class AlertStateMachine {

    /** Checked in this order for raise / escalation: critical before warning. */
    private static final Limit[] ESCALATION_ORDER = {Limit.CRITICAL_HIGH, Limit.CRITICAL_LOW, Limit.WARNING_HIGH,
            Limit.WARNING_LOW};
    private static final Limit[] LIMITS = Limit.values();

    private AlertStateMachine() {
    }

    /** True when a reading at {@code ts} is not newer than the newest one taken into account: it is ignored. */
    public static boolean isOutOfOrder(TagAlertState state, long ts) {
        return state.lastTs != NONE && ts <= state.lastTs;
    }

    /**
     * Applies one reading (measurement time {@code ts}, seen at {@code wallNow}) to {@code state}, which it
     * changes, and returns the transitions in the order they happened (usually none).
     */
    public static List<AlertTransition> onReading(String tagKey, TagAlertState state, long ts, Double value,
                                                  Quality quality, long wallNow, Thresholds thresholds) {
        if (isOutOfOrder(state, ts)) {
            return List.of();
        }
        List<AlertTransition> out = new ArrayList<>(0);
        state.lastTs = ts;
        state.lastSeenWall = wallNow;

        if (state.stale != null) {
            // data is back; the wall clock is when it was seen (the STALE episode lives in wall-clock time)
            Episode stale = state.stale;
            long at = Math.max(wallNow, stale.raisedAt());
            out.add(new AlertTransition(stale.alertId(), AlertKind.STALE, stale.severity(), AlertState.CLEARED, value, null,
                    at, stale.raisedAt(), thresholds.ruleId(), tagKey + ": data again after "
                    + seconds(wallNow - stale.raisedAt()) + " s stale"));
            state.stale = null;
        }

        evaluateQuality(tagKey, state, ts, value, quality, thresholds, out);

        if (quality != Quality.BAD && value != null && Double.isFinite(value)) {
            evaluateLimits(tagKey, state, ts, value, thresholds, out);
        }
        return out;
    }

    /** A wall-clock tick: raises STALE when no reading has been seen for {@code stale_after}. */
    public static List<AlertTransition> onWallClock(String tagKey, TagAlertState state, long wallNow, Thresholds thresholds) {
        if (state.stale != null || !thresholds.checksStale() || state.lastSeenWall == NONE
                || wallNow - state.lastSeenWall < thresholds.staleAfterMs()) {
            return List.of();
        }
        // the id derives from when data was last seen, so it is the same whenever the tick comes
        Episode episode = new Episode(Episode.id(tagKey, AlertKind.STALE, state.lastSeenWall), AlertKind.STALE,
                thresholds.staleSeverity(), wallNow);
        state.stale = episode;
        return List.of(new AlertTransition(episode.alertId(), AlertKind.STALE, episode.severity(), AlertState.RAISED, null,
                null, wallNow, wallNow, thresholds.ruleId(), tagKey + ": no reading for " + seconds(wallNow - state.lastSeenWall)
                + " s (stale after " + seconds(thresholds.staleAfterMs()) + " s)"));
    }

    private static void evaluateQuality(String tagKey, TagAlertState state, long ts, Double value, Quality quality,
                                        Thresholds thresholds, List<AlertTransition> out) {
        if (quality == Quality.BAD) {
            state.goodSince = NONE;
            if (state.badSince == NONE) {
                state.badSince = ts;
            }
            if (state.bad == null && thresholds.checksBadQuality() && ts - state.badSince >= thresholds.badQualityAfterMs()) {
                Episode episode = new Episode(Episode.id(tagKey, AlertKind.BAD_QUALITY, ts), AlertKind.BAD_QUALITY,
                        thresholds.badQualitySeverity(), ts);
                state.bad = episode;
                out.add(new AlertTransition(episode.alertId(), AlertKind.BAD_QUALITY, episode.severity(), AlertState.RAISED,
                        value, null, ts, ts, thresholds.ruleId(), tagKey + ": quality BAD for "
                        + seconds(ts - state.badSince) + " s"));
            }
        } else {
            state.badSince = NONE;
            if (state.goodSince == NONE) {
                state.goodSince = ts;
            }
        }
        Episode bad = state.bad;
        if (bad != null && (quality != Quality.BAD && ts - state.goodSince >= thresholds.clearDelayMs()
                || !thresholds.checksBadQuality())) {
            state.bad = null;
            out.add(new AlertTransition(bad.alertId(), AlertKind.BAD_QUALITY, bad.severity(), AlertState.CLEARED, value, null,
                    ts, bad.raisedAt(), thresholds.ruleId(), tagKey + (thresholds.checksBadQuality()
                    ? ": quality " + quality + " again" : ": bad quality no longer checked")));
        }
    }

    private static void evaluateLimits(String tagKey, TagAlertState state, long ts, double value, Thresholds thresholds,
                                       List<AlertTransition> out) {
        Limit active = state.limit == null ? null : Limit.of(state.limit.kind(), state.limit.severity());
        for (Limit limit : LIMITS) {
            boolean beyond = beyond(limit, value, thresholds, holds(active, limit));
            int i = limit.ordinal();
            if (state.runSince[i] == NONE || state.runBeyond[i] != beyond) {
                state.runBeyond[i] = beyond;
                state.runSince[i] = ts;
            }
        }

        Limit worse = null;
        for (Limit limit : ESCALATION_ORDER) {
            int i = limit.ordinal();
            if (state.runBeyond[i] && ts - state.runSince[i] >= thresholds.onDelayMs() && isWorse(limit, active)) {
                worse = limit;
                break;
            }
        }
        if (worse != null) {
            if (active != null && worse.kind() != active.kind()) {
                clear(tagKey, state, ts, value, thresholds, out); // straight from HIGH to LOW (or back)
                active = null;
            }
            Double limitValue = thresholds.limit(worse);
            if (active == null) {
                Episode episode = new Episode(Episode.id(tagKey, worse.kind(), ts), worse.kind(), worse.severity(), ts);
                state.limit = episode;
                out.add(new AlertTransition(episode.alertId(), worse.kind(), worse.severity(), AlertState.RAISED, value,
                        limitValue, ts, ts, thresholds.ruleId(), describe(tagKey, worse, "raised", value, limitValue)));
            } else {
                Episode episode = state.limit.withSeverity(worse.severity());
                state.limit = episode;
                out.add(new AlertTransition(episode.alertId(), worse.kind(), worse.severity(), AlertState.ESCALATED, value,
                        limitValue, ts, episode.raisedAt(), thresholds.ruleId(),
                        describe(tagKey, worse, "escalated", value, limitValue)));
            }
            return;
        }
        if (active == null || held(state, active, ts, thresholds)) {
            return;
        }
        Limit lower = active.lower();
        if (lower != null && thresholds.limit(lower) != null && held(state, lower, ts, thresholds)) {
            Episode episode = state.limit.withSeverity(lower.severity());
            state.limit = episode;
            Double limitValue = thresholds.limit(lower);
            out.add(new AlertTransition(episode.alertId(), lower.kind(), lower.severity(), AlertState.DEESCALATED, value,
                    limitValue, ts, episode.raisedAt(), thresholds.ruleId(),
                    describe(tagKey, lower, "de-escalated", value, limitValue)));
        } else {
            clear(tagKey, state, ts, value, thresholds, out);
        }
    }

    private static void clear(String tagKey, TagAlertState state, long ts, double value, Thresholds thresholds,
                              List<AlertTransition> out) {
        Episode episode = state.limit;
        Limit limit = Limit.of(episode.kind(), episode.severity());
        Double limitValue = thresholds.limit(limit);
        state.limit = null;
        out.add(new AlertTransition(episode.alertId(), episode.kind(), episode.severity(), AlertState.CLEARED, value,
                limitValue, ts, episode.raisedAt(), thresholds.ruleId(), describe(tagKey, limit, "cleared", value, limitValue)));
    }

    /** The active episode is at {@code limit} or more severe in the same direction: hysteresis applies to it. */
    private static boolean holds(Limit active, Limit limit) {
        return active != null && active.kind() == limit.kind() && active.severity().ordinal() >= limit.severity().ordinal();
    }

    private static boolean isWorse(Limit limit, Limit active) {
        return active == null || limit.kind() != active.kind() || limit.severity().ordinal() > active.severity().ordinal();
    }

    /** Beyond the limit; while holding, beyond the limit moved back by the hysteresis. A value on the line is inside. */
    private static boolean beyond(Limit limit, double value, Thresholds thresholds, boolean holding) {
        Double bound = thresholds.limit(limit);
        if (bound == null) {
            return false;
        }
        double hysteresis = holding ? thresholds.hysteresis() : 0.0;
        return limit.high() ? value > bound - hysteresis : value < bound + hysteresis;
    }

    /** Still counts as exceeded: beyond now, or back inside for less than the clear delay. */
    private static boolean held(TagAlertState state, Limit limit, long ts, Thresholds thresholds) {
        int i = limit.ordinal();
        return state.runBeyond[i] || ts - state.runSince[i] < thresholds.clearDelayMs();
    }

    private static String describe(String tagKey, Limit limit, String what, double value, Double bound) {
        String direction = limit.high() ? "above" : "below";
        String relation = "cleared".equals(what) || "de-escalated".equals(what) ? "no longer " + direction : direction;
        return String.format(Locale.ROOT, "%s: %s %s %s, value %s %s %s limit %s", tagKey, limit.kind(),
                limit.severity(), what, number(value), relation, limit.severity().name().toLowerCase(Locale.ROOT),
                bound == null ? "(removed)" : number(bound));
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
    }

    private static long seconds(long millis) {
        return Math.max(0, millis) / 1000;
    }
}
