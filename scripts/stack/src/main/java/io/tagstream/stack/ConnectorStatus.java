package io.tagstream.stack;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One connector as the Connect REST API reports it ({@code GET /connectors?expand=status}) and what is
 * wrong with it. RUNNING, PAUSED and STOPPED are states someone asked for; FAILED needs a restart or a fix;
 * anything else (UNASSIGNED, RESTARTING, a RUNNING connector without tasks yet) is still on its way.
 */
public record ConnectorStatus(String name, String state, String workerId, String trace, List<Task> tasks) {

    private static final Set<String> INTENDED = Set.of("RUNNING", "PAUSED", "STOPPED");
    private static final int TRACE_LINES = 4;

    public record Task(int id, String state, String workerId, String trace) {
    }

    /** Every connector in a {@code /connectors?expand=status} answer, in the order given. */
    public static List<ConnectorStatus> parse(JsonNode expandedStatus) {
        List<ConnectorStatus> connectors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = expandedStatus.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode status = entry.getValue().path("status");
            JsonNode connector = status.path("connector");
            List<Task> tasks = new ArrayList<>();
            for (JsonNode task : status.path("tasks")) {
                tasks.add(new Task(task.path("id").asInt(), task.path("state").asText("UNKNOWN"),
                        task.path("worker_id").asText(""), task.path("trace").asText("")));
            }
            connectors.add(new ConnectorStatus(entry.getKey(), connector.path("state").asText("UNKNOWN"),
                    connector.path("worker_id").asText(""), connector.path("trace").asText(""), List.copyOf(tasks)));
        }
        return connectors;
    }

    /** The connector or one of its tasks is FAILED: only a restart (or a fix) brings it back. */
    public boolean failed() {
        return "FAILED".equals(state) || tasks.stream().anyMatch(t -> "FAILED".equals(t.state()));
    }

    /** In a state someone asked for, tasks included; a RUNNING connector without tasks is not there yet. */
    public boolean settled() {
        return problems().isEmpty();
    }

    /** What is not as intended, one line each, with the start of Connect's stack trace (the why). */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!INTENDED.contains(state)) {
            problems.add("connector " + name + " is " + state + traceSuffix(trace));
        } else if ("RUNNING".equals(state) && tasks.isEmpty()) {
            problems.add("connector " + name + " has no tasks yet");
        }
        for (Task task : tasks) {
            if (!INTENDED.contains(task.state())) {
                problems.add("connector " + name + " task " + task.id() + " is " + task.state() + traceSuffix(task.trace()));
            }
        }
        return problems;
    }

    /** One line for {@code status}. */
    public String line() {
        StringBuilder line = new StringBuilder("connector " + name + " " + state);
        for (Task task : tasks) {
            line.append(", task ").append(task.id()).append(' ').append(task.state());
        }
        if (tasks.isEmpty()) {
            line.append(", no tasks");
        }
        return line.toString();
    }

    public Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("name", name);
        facts.put("state", state);
        facts.put("worker_id", workerId);
        List<Map<String, Object>> taskFacts = new ArrayList<>();
        for (Task task : tasks) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", task.id());
            t.put("state", task.state());
            t.put("worker_id", task.workerId());
            if (!task.trace().isBlank()) {
                t.put("trace", traceHead(task.trace()));
            }
            taskFacts.add(t);
        }
        facts.put("tasks", taskFacts);
        if (!trace.isBlank()) {
            facts.put("trace", traceHead(trace));
        }
        return facts;
    }

    /**
     * The lines of a Java stack trace that say why: the exception, then each "Caused by" (Connect's
     * "Tolerance exceeded" says little; the cause below it names the registry, the database ...).
     */
    static String traceHead(String trace) {
        List<String> lines = new ArrayList<>();
        for (String line : trace.strip().split("\\R")) {
            if (lines.isEmpty() || line.startsWith("Caused by:")) {
                lines.add(line.strip());
            }
        }
        if (lines.size() > TRACE_LINES) {
            List<String> kept = new ArrayList<>(lines.subList(0, 1));
            kept.add("...");
            kept.addAll(lines.subList(lines.size() - (TRACE_LINES - 1), lines.size()));
            lines = kept;
        }
        return String.join(" / ", lines);
    }

    private static String traceSuffix(String trace) {
        return trace == null || trace.isBlank() ? "" : ": " + traceHead(trace);
    }
}
