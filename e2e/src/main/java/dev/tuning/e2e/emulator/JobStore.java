package dev.tuning.e2e.emulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Jobs of one emulator by id, in creation order; thread-safe. */
final class JobStore<J> {

  private static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + LOWER_ALNUM;

  private final Map<String, J> jobs = new LinkedHashMap<>();

  synchronized void add(String id, J job) {
    if (jobs.putIfAbsent(id, job) != null) {
      throw new IllegalStateException("duplicate job id " + id);
    }
  }

  synchronized Optional<J> get(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  synchronized boolean contains(String id) {
    return jobs.containsKey(id);
  }

  /** All jobs, newest first. */
  synchronized List<J> newestFirst() {
    List<J> all = new ArrayList<>(jobs.values());
    Collections.reverse(all);
    return all;
  }

  synchronized int size() {
    return jobs.size();
  }

  synchronized void clear() {
    jobs.clear();
  }

  /** A random 19-digit positive number, like Vertex resource ids. */
  static long randomNumericId() {
    return ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE);
  }

  /** A random string of letters and digits. */
  static String randomAlnum(int length) {
    return random(ALNUM, length);
  }

  /** A random string of lower-case letters and digits, like the ids in Bedrock ARNs. */
  static String randomLowerAlnum(int length) {
    return random(LOWER_ALNUM, length);
  }

  private static String random(String alphabet, int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
