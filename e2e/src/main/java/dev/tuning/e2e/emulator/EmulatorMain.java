package dev.tuning.e2e.emulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs the OpenAI, Vertex AI and Bedrock emulators on 127.0.0.1 until the process is killed, for
 * the local demo, benchmarks and end-to-end runs in a separate process.
 *
 * <p>Arguments (all optional): {@code --openai-port=N}, {@code --vertex-port=N}, {@code
 * --bedrock-port=N} (0 = random; env {@code OPENAI_EMULATOR_PORT} / {@code VERTEX_EMULATOR_PORT} /
 * {@code BEDROCK_EMULATOR_PORT} when no argument), {@code --validating=2s}, {@code --queued=3s},
 * {@code --running=20s}, {@code --cancelling=2s} (units {@code ms}, {@code s}, {@code m}, {@code
 * h}, or ISO-8601 like {@code PT20S}), {@code --keys=k1,k2} (accepted OpenAI keys / Vertex tokens;
 * default any), {@code --bedrock-access-keys=AKIA…,…} and {@code --bedrock-regions=us-east-1,…}
 * (accepted SigV4 key ids and Regions; default any). Prints one line per emulator, then nothing:
 *
 * <pre>
 * openai-emulator http://127.0.0.1:PORT/v1
 * vertex-emulator http://127.0.0.1:PORT
 * bedrock-emulator http://127.0.0.1:PORT
 * </pre>
 */
public final class EmulatorMain {

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  /** The running emulators; closing stops them. */
  public record Started(OpenAiEmulator openai, VertexEmulator vertex, BedrockEmulator bedrock)
      implements AutoCloseable {
    @Override
    public void close() {
      openai.close();
      vertex.close();
      bedrock.close();
    }
  }

  private EmulatorMain() {}

  /** Starts the emulators and blocks until the JVM shuts down. */
  public static void main(String[] args) throws InterruptedException {
    Started started = start(args, System.getenv(), System.out);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  started.close();
                  stop.countDown();
                }));
    stop.await();
  }

  /** Parses {@code args} (falling back to {@code env} for ports), starts, prints the base URLs. */
  public static Started start(String[] args, Map<String, String> env, PrintStream out) {
    Map<String, String> opts =
        Arrays.stream(args)
            .map(a -> a.startsWith("--") ? a.substring(2) : a)
            .map(a -> a.split("=", 2))
            .collect(Collectors.toMap(kv -> kv[0], kv -> kv.length > 1 ? kv[1] : "", (a, b) -> b));
    Set<String> known =
        Set.of(
            "openai-port",
            "vertex-port",
            "bedrock-port",
            "validating",
            "queued",
            "running",
            "cancelling",
            "keys",
            "bedrock-access-keys",
            "bedrock-regions");
    for (String k : opts.keySet()) {
      if (!known.contains(k)) {
        throw new IllegalArgumentException("unknown option --" + k + "; known: " + known);
      }
    }
    EmulatorConfig d = EmulatorConfig.defaults();
    EmulatorConfig config =
        d.withValidating(duration(opts.get("validating"), d.validating()))
            .withQueued(duration(opts.get("queued"), d.queued()))
            .withRunning(duration(opts.get("running"), d.running()))
            .withCancelling(duration(opts.get("cancelling"), d.cancelling()))
            .withValidKeys(list(opts.get("keys")));
    int openaiPort = port(opts.getOrDefault("openai-port", env.get("OPENAI_EMULATOR_PORT")));
    int vertexPort = port(opts.getOrDefault("vertex-port", env.get("VERTEX_EMULATOR_PORT")));
    int bedrockPort = port(opts.getOrDefault("bedrock-port", env.get("BEDROCK_EMULATOR_PORT")));
    BedrockOptions bedrockOptions =
        BedrockOptions.defaults()
            .withAccessKeyIds(list(opts.get("bedrock-access-keys")))
            .withRegions(list(opts.get("bedrock-regions")));
    OpenAiEmulator openai = new OpenAiEmulator(config, openaiPort);
    VertexEmulator vertex = null;
    BedrockEmulator bedrock;
    try {
      vertex = new VertexEmulator(config, vertexPort);
      bedrock = new BedrockEmulator(config, bedrockOptions, bedrockPort);
    } catch (RuntimeException e) {
      openai.close();
      if (vertex != null) {
        vertex.close();
      }
      throw e;
    }
    out.println("openai-emulator " + openai.baseUrl());
    out.println("vertex-emulator " + vertex.baseUrl());
    out.println("bedrock-emulator " + bedrock.baseUrl());
    out.flush();
    return new Started(openai, vertex, bedrock);
  }

  private static Set<String> list(String csv) {
    return csv == null || csv.isBlank() ? Set.of() : Set.of(csv.split(","));
  }

  /** {@code 500ms}, {@code 20s}, {@code 2m}, {@code 1h} or ISO-8601; {@code fallback} when null. */
  static Duration duration(String text, Duration fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    Matcher m = SHORT_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return Duration.parse(text.trim());
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private static int port(String text) {
    return text == null || text.isBlank() ? 0 : Integer.parseInt(text.trim());
  }
}
