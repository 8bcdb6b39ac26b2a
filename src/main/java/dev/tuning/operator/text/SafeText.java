package dev.tuning.operator.text;

import java.util.regex.Pattern;

/**
 * The one sanitizer for text that reaches status, Events and logs from outside the operator:
 * provider error messages, provider job errors, unexpected exception messages.
 *
 * <p>It removes a known secret (the request's API key) and anything shaped like a credential
 * (OpenAI keys, bearer and Google access tokens, PEM blocks), turns control characters into spaces,
 * and cuts the result to {@value #MAX_BYTES} bytes of UTF-8.
 *
 * <p>Why {@value #MAX_BYTES} bytes: the same text goes into a condition message (Kubernetes allows
 * 32768), {@code status.error.message} (our CRD allows 4096) and an Event message. An Event's note
 * is the tightest: {@code events.k8s.io/v1} rejects more than 1024 bytes, and tools that read core
 * Events through it see the same limit. Counting bytes rather than characters keeps non-Latin text
 * within it too.
 */
public final class SafeText {

  /** The most UTF-8 bytes a sanitized message has, ellipsis included. */
  public static final int MAX_BYTES = 1024;

  /** What a removed secret is replaced with. */
  public static final String REDACTED = "[redacted]";

  private static final String ELLIPSIS = "…";
  private static final int ELLIPSIS_BYTES = 3;

  private static final Pattern SECRET_LOOKING =
      Pattern.compile(
          "\\b(?:sk|sess|org-sk)-[A-Za-z0-9_*.\\-]{6,}" // OpenAI keys, masked or not
              + "|bearer\\s+\\S+" // an Authorization header value
              + "|ya29\\.[\\w.-]+" // a Google OAuth access token
              + "|\\b(?:AKIA|ASIA)[A-Z0-9]{12,}" // an AWS access key id
              + "|x-amz-security-token[:=]\\s*\\S+" // an AWS session token header
              + "|\\bSignature=[0-9a-f]{16,}" // a SigV4 signature
              + "|-----BEGIN[^-]*-----[\\s\\S]*", // a PEM block (a private key) to the end
          Pattern.CASE_INSENSITIVE);

  /** C0 and C1 controls (newlines, tabs, escape sequences) and Unicode line separators. */
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\u2028\\u2029]");

  private SafeText() {}

  /**
   * {@code text} with {@code secret} and anything credential-shaped replaced by {@value #REDACTED},
   * control characters turned into spaces, stripped, and cut to {@value #MAX_BYTES} bytes; null for
   * null.
   *
   * @param secret the credential used for the request, if known (may be null or empty)
   */
  public static String sanitize(String text, String secret) {
    if (text == null) {
      return null;
    }
    String s = text;
    // Before anything else, so that no cut can leave part of the secret behind.
    if (secret != null && !secret.isEmpty()) {
      s = s.replace(secret, REDACTED);
    }
    s = SECRET_LOOKING.matcher(s).replaceAll(REDACTED);
    s = CONTROL.matcher(s).replaceAll(" ").strip();
    return cut(s, MAX_BYTES);
  }

  /** {@link #sanitize(String, String)} without a known secret. */
  public static String sanitize(String text) {
    return sanitize(text, null);
  }

  /**
   * {@code s} if its UTF-8 form has at most {@code maxBytes} bytes, else its longest prefix that
   * fits with an ellipsis appended. Never splits a character.
   */
  public static String cut(String s, int maxBytes) {
    if (s == null || utf8Length(s, maxBytes) <= maxBytes) {
      return s;
    }
    int budget = maxBytes - ELLIPSIS_BYTES;
    int bytes = 0;
    int end = 0;
    while (end < s.length()) {
      int cp = s.codePointAt(end);
      int n = utf8Bytes(cp);
      if (bytes + n > budget) {
        break;
      }
      bytes += n;
      end += Character.charCount(cp);
    }
    return s.substring(0, end) + ELLIPSIS;
  }

  /**
   * {@code s} cut to {@code maxChars} characters (UTF-16 units, as a CRD's {@code maxLength} is
   * never exceeded by them), ending in an ellipsis when cut; for status fields with their own
   * schema limit.
   */
  public static String clip(String s, int maxChars) {
    if (s == null || s.length() <= maxChars) {
      return s;
    }
    int end = maxChars - ELLIPSIS.length();
    if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, Math.max(end, 0)) + ELLIPSIS;
  }

  /** The UTF-8 length of {@code s}, counted only until it passes {@code stopAfter}. */
  private static int utf8Length(String s, int stopAfter) {
    int bytes = 0;
    for (int i = 0; i < s.length() && bytes <= stopAfter; ) {
      int cp = s.codePointAt(i);
      bytes += utf8Bytes(cp);
      i += Character.charCount(cp);
    }
    return bytes;
  }

  private static int utf8Bytes(int codePoint) {
    if (codePoint < 0x80) {
      return 1;
    }
    if (codePoint < 0x800) {
      return 2;
    }
    return codePoint < 0x10000 ? 3 : 4;
  }
}
