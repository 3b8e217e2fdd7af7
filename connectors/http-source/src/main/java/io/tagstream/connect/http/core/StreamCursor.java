package io.tagstream.connect.http.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Progress through one stream of an API (one station, one plant): the last timestamp fully ingested, and
 * inside the window being read, how many pages are done. Its {@link #offset()} is the Connect source
 * offset; with exactly-once source support the worker commits it atomically with the page's records, so a
 * restart resumes at the next page of the same window and nothing is emitted twice or skipped.
 *
 * <p>Rows before the window (already ingested through an overlapping window), after it, or seen already in
 * this window (a page boundary that shifted) are dropped here, never emitted twice.
 */
public final class StreamCursor {

    public enum Paging { PAGE, CURSOR, NONE }

    static final String DONE = "done";
    static final String FROM = "window.from";
    static final String TO = "window.to";
    static final String PAGES = "pages.done";
    static final String CURSOR = "cursor";

    private final String stream;
    private final SlicePlanner planner;
    private final Paging paging;
    private final int firstPage;
    private final int pageSize;

    private Instant done;
    private Window window;
    private int pagesDone;
    private String cursor;
    private final Set<String> seen = new HashSet<>();

    public StreamCursor(String stream, SlicePlanner planner, Paging paging, int firstPage, int pageSize) {
        this.stream = stream;
        this.planner = planner;
        this.paging = paging;
        this.firstPage = firstPage;
        this.pageSize = pageSize;
    }

    public String stream() {
        return stream;
    }

    /** Last timestamp fully ingested, or null before the first window completes. */
    public Instant done() {
        return done;
    }

    public Window window() {
        return window;
    }

    /** The page number the next request asks for. */
    public int page() {
        return firstPage + pagesDone;
    }

    /** Restores progress from a committed source offset (null: start from the configured start). */
    public void restore(Map<String, ?> offset) {
        done = null;
        window = null;
        pagesDone = 0;
        cursor = null;
        seen.clear();
        if (offset == null) {
            return;
        }
        Object doneMs = offset.get(DONE);
        if (doneMs instanceof Number number) {
            done = Instant.ofEpochMilli(number.longValue());
        }
        if (offset.get(FROM) instanceof Number from && offset.get(TO) instanceof Number to) {
            window = new Window(Instant.ofEpochMilli(from.longValue()), Instant.ofEpochMilli(to.longValue()));
            pagesDone = offset.get(PAGES) instanceof Number pages ? pages.intValue() : 0;
            cursor = offset.get(CURSOR) instanceof String c && !c.isEmpty() ? c : null;
        }
    }

    /** The committed form of the current progress: only plain types, as Connect offsets require. */
    public Map<String, Object> offset() {
        Map<String, Object> offset = new HashMap<>();
        if (done != null) {
            offset.put(DONE, done.toEpochMilli());
        }
        if (window != null) {
            offset.put(FROM, window.from().toEpochMilli());
            offset.put(TO, window.to().toEpochMilli());
            offset.put(PAGES, pagesDone);
            if (cursor != null) {
                offset.put(CURSOR, cursor);
            }
        }
        return offset;
    }

    /** The next request, planning a new window when none is open; empty when caught up. */
    public Optional<UrlTemplate.Request> nextRequest(Instant now, String secret) {
        if (window == null) {
            Optional<Window> next = planner.next(done, now);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            window = next.get();
            pagesDone = 0;
            cursor = null;
            seen.clear();
        }
        return Optional.of(new UrlTemplate.Request(stream, window, page(), pageSize, cursor, secret));
    }

    /**
     * Takes one page of the open window: maps its rows, drops rows outside the window or seen before, and
     * advances the progress (closing the window after its last page).
     */
    public Accepted accept(FetchOutcome.Page page, RowMapper mapper) {
        if (window == null) {
            throw new IllegalStateException("no open window");
        }
        List<ReadingValue> readings = new ArrayList<>();
        List<BadRow> badRows = new ArrayList<>();
        int skipped = 0;
        for (Row row : page.rows()) {
            try {
                Instant ts = mapper.timestamp(row);
                String identity = mapper.device(row) + "|" + ts.toEpochMilli();
                if (!window.contains(ts) || (done != null && !ts.isAfter(done)) || !seen.add(identity)) {
                    skipped++;
                    continue;
                }
                readings.addAll(mapper.map(row));
            } catch (RowMapper.BadRowException e) {
                badRows.add(new BadRow(row.raw(), e.getMessage()));
            }
        }
        Window read = window;
        int pageNumber = page();
        pagesDone++;
        cursor = page.nextCursor();
        boolean last = switch (paging) {
            case NONE -> true;
            case CURSOR -> cursor == null || page.rows().isEmpty();
            case PAGE -> page.rows().size() < pageSize
                    || (page.totalCount() != null && (long) pagesDone * pageSize >= page.totalCount());
        };
        if (last) {
            done = window.to();
            window = null;
            pagesDone = 0;
            cursor = null;
            seen.clear();
        }
        return new Accepted(read, pageNumber, readings, badRows, skipped, last);
    }

    /** A row that could not become readings, for the dead-letter topic. */
    public record BadRow(String raw, String reason) {
    }

    /** The outcome of one page. */
    public record Accepted(Window window, int page, List<ReadingValue> readings, List<BadRow> badRows, int skipped,
                           boolean windowDone) {
    }
}
