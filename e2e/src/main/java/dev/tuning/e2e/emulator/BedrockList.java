package dev.tuning.e2e.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One {@code ListModelCustomizationJobs} query: {@code creationTimeAfter} / {@code
 * creationTimeBefore} (ISO-8601, exclusive), {@code statusEquals}, {@code nameContains} (case
 * sensitive), {@code maxResults} 1–1000 (default 100, an assumption: AWS does not document it),
 * {@code nextToken}, {@code sortBy=CreationTime} and {@code sortOrder} (default {@code Descending},
 * an assumption too). Invalid values are 400 {@code ValidationException}.
 *
 * <p>The opaque {@code nextToken} names the last job shown, so that a page stays valid when jobs
 * change state or new ones arrive between pages (they show up on no page of a descending walk).
 */
final class BedrockList {

  private static final List<String> STATUSES =
      List.of("InProgress", "Completed", "Failed", "Stopping", "Stopped");

  private final Instant after;
  private final Instant before;
  private final String status;
  private final String nameContains;
  private final int maxResults;
  private final String nextToken;
  private final boolean ascending;

  private BedrockList(HttpEmulator.Call call) {
    after = instant(call, "creationTimeAfter");
    before = instant(call, "creationTimeBefore");
    status = call.param("statusEquals");
    if (status != null && !STATUSES.contains(status)) {
      throw violation(status, "statusEquals", "Member must satisfy enum value set: " + STATUSES);
    }
    nameContains = call.param("nameContains");
    if (nameContains != null
        && (nameContains.length() > 63
            || !BedrockValidator.JOB_NAME.matcher(nameContains).matches())) {
      throw violation(
          nameContains,
          "nameContains",
          "Member must satisfy regular expression pattern: " + BedrockValidator.JOB_NAME);
    }
    maxResults = maxResults(call.param("maxResults"));
    nextToken = call.param("nextToken");
    String sortBy = call.param("sortBy");
    if (sortBy != null && !sortBy.equals("CreationTime")) {
      throw violation(sortBy, "sortBy", "Member must satisfy enum value set: [CreationTime]");
    }
    String order = call.param("sortOrder");
    if (order != null && !order.equals("Ascending") && !order.equals("Descending")) {
      throw violation(
          order, "sortOrder", "Member must satisfy enum value set: [Ascending, Descending]");
    }
    ascending = "Ascending".equals(order);
  }

  /** Answers {@code call} from the jobs of the caller's Region, newest first. */
  static ObjectNode page(HttpEmulator.Call call, List<BedrockJob> newestFirst) {
    return new BedrockList(call).page(newestFirst, call.now());
  }

  private ObjectNode page(List<BedrockJob> newestFirst, Instant now) {
    List<BedrockJob> all = new ArrayList<>(newestFirst);
    if (ascending) {
      Collections.reverse(all);
    }
    int start = 0;
    if (nextToken != null) {
      String last =
          Json.lastIdOf(nextToken)
              .orElseThrow(
                  () -> BedrockErrors.validation("The provided pagination token is invalid."));
      start = all.stream().map(j -> j.arn).toList().indexOf(last) + 1;
      if (start == 0) {
        throw BedrockErrors.validation("The provided pagination token is invalid.");
      }
    }
    List<BedrockJob> matching =
        all.subList(start, all.size()).stream().filter(j -> test(j, now)).toList();
    List<BedrockJob> shown = matching.subList(0, Math.min(maxResults, matching.size()));
    ObjectNode page = Json.object();
    ArrayNode summaries = page.putArray("modelCustomizationJobSummaries");
    shown.forEach(j -> summaries.add(j.summary(now)));
    if (matching.size() > shown.size()) {
      page.put("nextToken", Json.pageToken(shown.get(shown.size() - 1).arn));
    }
    return page;
  }

  private boolean test(BedrockJob job, Instant now) {
    Instant created = job.lifecycle.snapshot(now).created();
    return (after == null || created.isAfter(after))
        && (before == null || created.isBefore(before))
        && (status == null || status.equals(job.status(now)))
        && (nameContains == null || job.request.jobName().contains(nameContains));
  }

  private static Instant instant(HttpEmulator.Call call, String name) {
    String raw = call.param(name);
    if (raw == null) {
      return null;
    }
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      throw violation(raw, name, "Member must be an ISO-8601 timestamp");
    }
  }

  private static int maxResults(String raw) {
    if (raw == null) {
      return 100;
    }
    int n;
    try {
      n = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw violation(raw, "maxResults", "Member must be an integer");
    }
    if (n < 1) {
      throw violation(raw, "maxResults", "Member must have value greater than or equal to 1");
    }
    if (n > 1000) {
      throw violation(raw, "maxResults", "Member must have value less than or equal to 1000");
    }
    return n;
  }

  private static ApiException violation(String value, String member, String constraint) {
    return BedrockErrors.invalidMember(value, member, constraint);
  }
}
