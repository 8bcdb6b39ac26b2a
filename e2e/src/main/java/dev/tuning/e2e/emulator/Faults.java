package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The fault plan of one emulator, changeable at runtime from Java or through {@code POST
 * /_emulator/faults}; thread-safe.
 *
 * <p>Per {@link Operation}: a FIFO queue of faults served to the next matching requests, one each,
 * and probabilistic rules consulted when the queue is empty (first rule that fires wins; the random
 * source can be seeded). Independently, jobs whose training file / dataset URI contains the {@link
 * #failMarker() fail marker} (default {@code "fail"}) end in a failed state after validation. Two
 * list behaviours a client must cope with can be switched on: pages shorter than asked ({@link
 * #limitListPages}) and a tag filter the server ignores ({@link #ignoreListFilters}).
 *
 * <p>Admin JSON: {@code {"faults":[{"operation":"create","kind":"rate_limit","retryAfterSeconds":2,
 * "times":2},{"operation":"get","kind":"server_error","status":503,"probability":0.5}],
 * "seed":7,"failMarker":"fail","listPageLimit":2,"ignoreListFilters":true}}; kinds are the {@link
 * Fault.Kind#wireName() wire names}, a delay takes {@code delayMillis}, and {@code times} (default
 * 1) enqueues copies.
 */
public final class Faults {

  /** The API operations faults can target. */
  public enum Operation {
    CREATE,
    GET,
    LIST,
    CANCEL,
    PAUSE,
    RESUME,
    EVENTS,
    /** OpenAI {@code GET …/checkpoints}. */
    CHECKPOINTS,
    /** Vertex token endpoints (OAuth2 and metadata server). */
    TOKEN,
    /** Bedrock {@code ListTagsForResource}. */
    TAGS;

    static Operation fromWire(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  private record Rule(Fault fault, double probability) {}

  /**
   * One fault an emulator served (queued or by a rule).
   *
   * @param operation the operation of the request it answered
   * @param fault the fault
   * @param at emulator clock time it was served
   */
  public record Served(Operation operation, Fault fault, Instant at) {}

  private final Map<Operation, Deque<Fault>> queued = new EnumMap<>(Operation.class);
  private final Map<Operation, List<Rule>> rules = new EnumMap<>(Operation.class);
  private Random random = new Random();
  private String failMarker = "fail";
  private int listPageLimit = Integer.MAX_VALUE;
  private boolean listFiltersIgnored;
  private final Clock clock;
  private final List<Served> served = new ArrayList<>();

  /** A plan whose {@link #served()} log is timed by the system UTC clock. */
  public Faults() {
    this(Clock.systemUTC());
  }

  /** A plan whose {@link #served()} log is timed by {@code clock} (the emulator's). */
  public Faults(Clock clock) {
    this.clock = clock;
  }

  /** Serves {@code faults} to the next requests of {@code op}, in order, one per request. */
  public synchronized Faults enqueue(Operation op, Fault... faults) {
    Deque<Fault> q = queued.computeIfAbsent(op, k -> new ArrayDeque<>());
    q.addAll(List.of(faults));
    return this;
  }

  /** Applies {@code fault} to each request of {@code op} with probability {@code p} (0..1). */
  public synchronized Faults withProbability(Operation op, Fault fault, double p) {
    if (p < 0 || p > 1) {
      throw new IllegalArgumentException("probability must be within 0..1, got " + p);
    }
    rules.computeIfAbsent(op, k -> new ArrayList<>()).add(new Rule(fault, p));
    return this;
  }

  /** Seeds the random source of the probabilistic rules, for reproducible runs. */
  public synchronized Faults seed(long seed) {
    random = new Random(seed);
    return this;
  }

  /** Jobs whose training data reference contains {@code marker} fail; null or "" disables it. */
  public synchronized Faults failJobsContaining(String marker) {
    failMarker = marker == null ? "" : marker;
    return this;
  }

  /** The current fail marker ("" when disabled). */
  public synchronized String failMarker() {
    return failMarker;
  }

  /** Whether a job on {@code trainingData} should fail. */
  public synchronized boolean shouldFail(String trainingData) {
    return !failMarker.isEmpty() && trainingData != null && trainingData.contains(failMarker);
  }

  /**
   * List pages hold at most {@code maxItems} jobs, whatever the client asked for (both APIs may
   * return fewer than {@code limit} / {@code pageSize}); the cursor fields still say whether more
   * follow.
   */
  public synchronized Faults limitListPages(int maxItems) {
    if (maxItems < 1) {
      throw new IllegalArgumentException("listPageLimit must be >= 1, got " + maxItems);
    }
    listPageLimit = maxItems;
    return this;
  }

  /** The most jobs a list page holds ({@link Integer#MAX_VALUE} when not limited). */
  public synchronized int listPageLimit() {
    return listPageLimit;
  }

  /**
   * Lists ignore their tag filter ({@code metadata[k]=v}, {@code labels.k="v"}) and show every job,
   * as a server without filter support would: clients must check the tag themselves.
   */
  public synchronized Faults ignoreListFilters(boolean ignore) {
    listFiltersIgnored = ignore;
    return this;
  }

  /** Whether lists ignore their filter. */
  public synchronized boolean listFiltersIgnored() {
    return listFiltersIgnored;
  }

  /**
   * Removes every queued fault and rule, restores the default fail marker and lists that page and
   * filter as asked.
   */
  public synchronized void clear() {
    queued.clear();
    rules.clear();
    failMarker = "fail";
    listPageLimit = Integer.MAX_VALUE;
    listFiltersIgnored = false;
  }

  /** The fault for the next request of {@code op}, if any; consumes a queued one. */
  public synchronized Optional<Fault> next(Operation op) {
    Deque<Fault> q = queued.get(op);
    if (q != null && !q.isEmpty()) {
      return Optional.of(serve(op, q.poll()));
    }
    for (Rule r : rules.getOrDefault(op, List.of())) {
      if (random.nextDouble() < r.probability()) {
        return Optional.of(serve(op, r.fault()));
      }
    }
    return Optional.empty();
  }

  private Fault serve(Operation op, Fault fault) {
    served.add(new Served(op, fault, clock.instant()));
    return fault;
  }

  /** Every fault served so far, oldest first (kept across {@link #clear()}). */
  public synchronized List<Served> served() {
    return List.copyOf(served);
  }

  /** How many queued faults are still waiting to be served, over all operations. */
  public synchronized int queuedCount() {
    return queued.values().stream().mapToInt(Deque::size).sum();
  }

  /** Applies an admin JSON document (see the class comment); adds to the current plan. */
  public synchronized void apply(JsonNode doc) {
    if (doc.hasNonNull("seed")) {
      seed(doc.get("seed").asLong());
    }
    if (doc.has("failMarker")) {
      failJobsContaining(doc.get("failMarker").asText(""));
    }
    if (doc.hasNonNull("listPageLimit")) {
      limitListPages(doc.get("listPageLimit").asInt());
    }
    if (doc.hasNonNull("ignoreListFilters")) {
      ignoreListFilters(doc.get("ignoreListFilters").asBoolean());
    }
    for (JsonNode f : doc.path("faults")) {
      Operation op = Operation.fromWire(f.path("operation").asText());
      Fault.Kind kind = Fault.Kind.fromWire(f.path("kind").asText());
      Fault fault =
          new Fault(
              kind,
              f.path("status")
                  .asInt(
                      switch (kind) {
                        case SERVER_ERROR, ERROR_AFTER -> 500;
                        case NOT_FOUND -> 404;
                        case UNAUTHENTICATED -> 401;
                        default -> 429;
                      }),
              f.path("retryAfterSeconds").asLong(1),
              Duration.ofMillis(f.path("delayMillis").asLong(0)));
      if (f.has("probability")) {
        withProbability(op, fault, f.get("probability").asDouble());
      } else {
        int times = f.path("times").asInt(1);
        for (int i = 0; i < times; i++) {
          enqueue(op, fault);
        }
      }
    }
  }

  /** The current plan as admin JSON. */
  public synchronized ObjectNode toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("failMarker", failMarker);
    if (listPageLimit != Integer.MAX_VALUE) {
      root.put("listPageLimit", listPageLimit);
    }
    root.put("ignoreListFilters", listFiltersIgnored);
    ArrayNode list = root.putArray("faults");
    queued.forEach((op, q) -> q.forEach(f -> list.add(faultJson(op, f))));
    rules.forEach(
        (op, rs) ->
            rs.forEach(
                r -> list.add(faultJson(op, r.fault()).put("probability", r.probability()))));
    return root;
  }

  private static ObjectNode faultJson(Operation op, Fault f) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("operation", op.name().toLowerCase(Locale.ROOT));
    n.put("kind", f.kind().wireName());
    n.put("status", f.status());
    n.put("retryAfterSeconds", f.retryAfterSeconds());
    n.put("delayMillis", f.delay().toMillis());
    return n;
  }
}
