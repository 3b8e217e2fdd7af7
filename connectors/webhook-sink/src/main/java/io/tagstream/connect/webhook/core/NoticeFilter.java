package io.tagstream.connect.webhook.core;

import java.util.Set;

/** Which transitions are worth a message: at least a minimum severity, and one of the chosen states. */
public record NoticeFilter(String minSeverity, Set<String> states) {

    public static NoticeFilter all() {
        return new NoticeFilter(AlertNotice.SEVERITIES.get(0), Set.copyOf(AlertNotice.STATES));
    }

    public boolean accepts(AlertNotice notice) {
        return AlertNotice.severityRank(notice.severity()) >= AlertNotice.severityRank(minSeverity)
                && (states.contains(notice.state()) || !AlertNotice.STATES.contains(notice.state()));
    }
}
