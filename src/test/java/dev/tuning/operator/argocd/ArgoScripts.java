package dev.tuning.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

/** Static checks that a script runs in Argo's sandbox without useOpenLibs. */
final class ArgoScripts {

  private static final Pattern LINE_COMMENT = Pattern.compile("--.*$", Pattern.MULTILINE);
  private static final Pattern STRING_LITERAL =
      Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*'");
  // obj and our own tables have no methods, so any obj:m(...) / s:m(...) call is a string method.
  private static final Pattern METHOD_CALL = Pattern.compile("[\\w)\\]]\\s*:\\s*\\w+\\s*[(\"'{]");

  private ArgoScripts() {}

  /** The script's code with comments and string literals removed. */
  static String code(String script) {
    assertThat(script).as("block comments/long strings are not handled").doesNotContain("[[");
    String noComments = LINE_COMMENT.matcher(script).replaceAll("");
    return STRING_LITERAL.matcher(noComments).replaceAll("\"\"");
  }

  static void assertPortable(String name, String script) {
    String code = code(script);
    for (String library : ArgoLua.CLOSED_LIBRARIES) {
      assertThat(code)
          .as("%s uses the %s library, which Argo opens only with useOpenLibs", name, library)
          .doesNotContainPattern("\\b" + library + "\\b");
    }
    assertThat(code)
        .as("%s calls a method (string methods need the string library)", name)
        .doesNotContainPattern(METHOD_CALL.pattern());
    for (String word : ArgoLua.LUA_52_ONLY) {
      assertThat(code)
          .as("%s uses %s, which differs between Lua 5.1 (Argo) and 5.2 (LuaJ)", name, word)
          .doesNotContainPattern("\\b" + word + "\\b");
    }
    assertThat(code).as("%s must return a value", name).containsPattern("\\breturn\\b");
  }
}
