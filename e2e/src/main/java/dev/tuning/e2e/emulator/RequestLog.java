package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every API request one emulator received, in arrival order (admin requests excluded); thread-safe.
 */
public final class RequestLog {

  private final List<RecordedRequest> requests = new ArrayList<>();
  private final Pattern createPath;
  private final Pattern cancelPath;

  RequestLog(String createPathRegex, String cancelPathRegex) {
    this.createPath = Pattern.compile(createPathRegex);
    this.cancelPath = Pattern.compile(cancelPathRegex);
  }

  synchronized void add(RecordedRequest r) {
    requests.add(r);
  }

  /** A copy of all recorded requests. */
  public synchronized List<RecordedRequest> all() {
    return List.copyOf(requests);
  }

  /** Requests with this method (case-insensitive) whose path fully matches {@code pathRegex}. */
  public synchronized List<RecordedRequest> matching(String method, String pathRegex) {
    Pattern p = Pattern.compile(pathRegex);
    return requests.stream()
        .filter(r -> r.method().equalsIgnoreCase(method) && p.matcher(r.path()).matches())
        .toList();
  }

  /** How many requests match {@link #matching(String, String)}. */
  public int count(String method, String pathRegex) {
    return matching(method, pathRegex).size();
  }

  /** The create-job requests. */
  public synchronized List<RecordedRequest> creates() {
    return requests.stream()
        .filter(r -> r.method().equals("POST") && createPath.matcher(r.path()).matches())
        .toList();
  }

  /** The cancel-job requests. */
  public synchronized List<RecordedRequest> cancels() {
    return requests.stream()
        .filter(r -> r.method().equals("POST") && cancelPath.matcher(r.path()).matches())
        .toList();
  }

  /** Forgets every request. */
  public synchronized void clear() {
    requests.clear();
  }

  /** {@code {"requests":[...]}} for {@code GET /_emulator/requests}. */
  public synchronized ObjectNode toJson() {
    ObjectNode root = Json.object();
    ArrayNode list = root.putArray("requests");
    for (RecordedRequest r : requests) {
      ObjectNode n = list.addObject();
      n.put("at", r.at().toString());
      n.put("method", r.method());
      n.put("path", r.path());
      n.put("query", r.query());
      ObjectNode h = n.putObject("headers");
      r.headers().forEach((k, vs) -> vs.forEach(h.putArray(k)::add));
      n.put("body", r.body());
    }
    return root;
  }
}
