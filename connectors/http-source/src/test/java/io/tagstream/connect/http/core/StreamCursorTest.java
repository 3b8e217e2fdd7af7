package io.tagstream.connect.http.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Paging through windows, the committed offset, resuming from it, and never emitting a row twice. */
class StreamCursorTest {

    private static final ZoneId KST = ZoneId.of("Asia/Seoul");
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-03T12:10:00Z");

    private final SlicePlanner planner = new SlicePlanner(START, Duration.ofHours(1), Duration.ofHours(24), Duration.ZERO);
    private final RowMapper mapper = MappingAndResponseTest.kmaMapper();

    /** A fake API: hourly rows of station 108 in [from, to], paged by pageSize, as KMA pages them. */
    private static FetchOutcome.Page serve(UrlTemplate.Request request, int pageSize) {
        List<String> items = new ArrayList<>();
        for (Instant h = request.window().from(); !h.isAfter(request.window().to()); h = h.plus(Duration.ofHours(1))) {
            items.add(MappingAndResponseTest.item(TM.format(LocalDateTime.ofInstant(h, KST)), "108", "1.0", "0.5"));
        }
        int first = (request.page() - 1) * pageSize;
        List<String> page = items.subList(Math.min(first, items.size()), Math.min(first + pageSize, items.size()));
        return (FetchOutcome.Page) MappingAndResponseTest.kmaParser().parse(200, Map.of(),
                MappingAndResponseTest.kmaBody(items.size(), page.toArray(String[]::new)).getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void backfillPagesThroughSlicesThenFollowsLive() {
        StreamCursor cursor = new StreamCursor("108", planner, StreamCursor.Paging.PAGE, 1, 10);
        Set<Instant> hours = new HashSet<>();
        List<Integer> pagesPerRequest = new ArrayList<>();
        int requests = 0;
        while (true) {
            var request = cursor.nextRequest(NOW, null);
            if (request.isEmpty()) {
                break;
            }
            pagesPerRequest.add(request.get().page());
            StreamCursor.Accepted accepted = cursor.accept(serve(request.get(), 10), mapper);
            for (ReadingValue r : accepted.readings()) {
                if (r.tag().equals("air_temp")) {
                    assertThat(hours.add(r.ts())).as("hour %s emitted once", r.ts()).isTrue();
                }
            }
            requests++;
        }
        // 2026-11-01T00Z .. 2026-11-03T12Z inclusive: 61 hours, as 24 + 24 + 13 rows in pages of 10
        assertThat(hours).hasSize(61);
        assertThat(pagesPerRequest).containsExactly(1, 2, 3, 1, 2, 3, 1, 2);
        assertThat(requests).isEqualTo(8);
        assertThat(cursor.done()).isEqualTo(Instant.parse("2026-11-03T12:00:00Z"));
        assertThat(cursor.offset()).isEqualTo(Map.of("done", Instant.parse("2026-11-03T12:00:00Z").toEpochMilli()));

        // an hour later the next live window is exactly the new hour
        var live = cursor.nextRequest(NOW.plus(Duration.ofHours(1)), null).orElseThrow();
        assertThat(live.window()).isEqualTo(new Window(Instant.parse("2026-11-03T13:00:00Z"), Instant.parse("2026-11-03T13:00:00Z")));
    }

    @Test
    void resumesMidWindowAtTheNextPageFromTheCommittedOffset() {
        StreamCursor cursor = new StreamCursor("108", planner, StreamCursor.Paging.PAGE, 1, 10);
        var request = cursor.nextRequest(NOW, null).orElseThrow();
        StreamCursor.Accepted first = cursor.accept(serve(request, 10), mapper);
        assertThat(first.windowDone()).isFalse();
        Map<String, Object> committed = cursor.offset();
        assertThat(committed).containsEntry("pages.done", 1).containsEntry("window.from", START.toEpochMilli()).doesNotContainKey("done");

        StreamCursor restarted = new StreamCursor("108", planner, StreamCursor.Paging.PAGE, 1, 10);
        restarted.restore(committed);
        var resumed = restarted.nextRequest(NOW, null).orElseThrow();
        assertThat(resumed.page()).isEqualTo(2);
        assertThat(resumed.window()).isEqualTo(request.window());
        StreamCursor.Accepted second = restarted.accept(serve(resumed, 10), mapper);
        assertThat(second.readings()).extracting(ReadingValue::ts).doesNotContainAnyElementsOf(
                first.readings().stream().map(ReadingValue::ts).toList());
    }

    @Test
    void rowsAlreadyIngestedOrRepeatedAcrossPagesAreNotEmittedTwice() {
        StreamCursor cursor = new StreamCursor("108", planner, StreamCursor.Paging.PAGE, 1, 3);
        cursor.restore(Map.of("done", Instant.parse("2026-11-01T02:00:00Z").toEpochMilli()));
        var request = cursor.nextRequest(NOW, null).orElseThrow();
        assertThat(request.window().from()).isEqualTo(Instant.parse("2026-11-01T03:00:00Z"));
        // an API that ignores the start hour and repeats a row at the page boundary
        FetchOutcome.Page page1 = new FetchOutcome.Page(List.of(row("2026-11-01 11:00"), row("2026-11-01 12:00"), row("2026-11-01 13:00")), null, null);
        FetchOutcome.Page page2 = new FetchOutcome.Page(List.of(row("2026-11-01 13:00"), row("2026-11-01 14:00"), row("2026-11-01 15:00")), null, null);
        StreamCursor.Accepted a1 = cursor.accept(page1, mapper);
        assertThat(a1.skipped()).as("02:00Z (11:00 KST) was ingested already").isEqualTo(1);
        StreamCursor.Accepted a2 = cursor.accept(page2, mapper);
        assertThat(a2.skipped()).as("the repeated 13:00 KST row").isEqualTo(1);
        assertThat(a1.readings().size() + a2.readings().size()).isEqualTo(4 * 10);
    }

    @Test
    void badRowsAreReportedNotEmittedAndCursorPagingEndsWithoutCursor() {
        StreamCursor cursor = new StreamCursor("p", planner, StreamCursor.Paging.CURSOR, 1, 100);
        cursor.nextRequest(NOW, null).orElseThrow();
        StreamCursor.Accepted accepted = cursor.accept(new FetchOutcome.Page(List.of(row("garbage")), null, "next"), mapper);
        assertThat(accepted.badRows()).singleElement().satisfies(b -> assertThat(b.reason()).contains("'garbage'"));
        assertThat(accepted.windowDone()).isFalse();
        assertThat(cursor.offset()).containsEntry("cursor", "next");
        assertThat(cursor.nextRequest(NOW, null).orElseThrow().cursor()).isEqualTo("next");
        assertThat(cursor.accept(new FetchOutcome.Page(List.of(), null, null), mapper).windowDone()).isTrue();
    }

    private static Row row(String tm) {
        return Row.of(Map.of("tm", tm, "stnId", "108", "ta", "1.5"), tm);
    }
}
