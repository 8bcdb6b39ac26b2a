package dev.tuning.operator.argocd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.OsLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;

/**
 * Runs the Argo CD Lua scripts the way Argo CD does ({@code util/lua/lua.go}): a fresh interpreter
 * per run with only the base, package and table libraries and a "safe" os table holding just {@code
 * time} and {@code date}; no string, math, io, debug or coroutine library. The resource is the
 * global {@code obj}, converted from JSON-shaped Java values as Argo's {@code decodeValue} does
 * (objects and arrays become tables, arrays 1-based, every number a Lua number, null absent); the
 * chunk's return value is the result.
 *
 * <p>LuaJ implements Lua 5.2 while Argo's gopher-lua implements 5.1; the scripts keep to the common
 * subset (no goto, unpack, setfenv or string methods), which {@link #LUA_52_ONLY} and the string
 * checks enforce.
 */
final class ArgoLua {

  static final Path DIR = Path.of("config", "argocd");
  static final Path HEALTH = DIR.resolve("health.lua");
  static final Path DISCOVERY = DIR.resolve("actions").resolve("discovery.lua");
  static final List<String> ACTIONS = List.of("suspend", "resume", "cancel");

  /** Library tables Argo does not open (unless useOpenLibs), so a script must never touch them. */
  static final List<String> CLOSED_LIBRARIES =
      List.of("string", "math", "io", "debug", "coroutine");

  /** Features that differ between Lua 5.1 (Argo) and 5.2 (LuaJ), so the scripts must avoid them. */
  static final List<String> LUA_52_ONLY =
      List.of("goto", "unpack", "setfenv", "getfenv", "loadstring", "_ENV", "bit32");

  private ArgoLua() {}

  static Path action(String name) {
    return DIR.resolve("actions").resolve(name).resolve("action.lua");
  }

  static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A sandbox with exactly Argo's libraries. */
  static Globals sandbox() {
    Globals g = new Globals();
    g.load(new BaseLib());
    g.load(new PackageLib());
    g.load(new TableLib());
    // Argo's OpenSafeOs: an os table with only time and date (also what require("os") returns).
    Globals scratch = new Globals();
    scratch.load(new BaseLib());
    scratch.load(new PackageLib());
    scratch.load(new OsLib());
    LuaTable os = new LuaTable();
    os.set("time", scratch.get("os").get("time"));
    os.set("date", scratch.get("os").get("date"));
    g.set("os", os);
    g.get("package").get("loaded").set("os", os);
    LoadState.install(g);
    LuaC.install(g);
    return g;
  }

  /** Runs a script against obj and returns what the chunk returned. */
  static LuaValue run(String script, String chunkName, Map<String, Object> obj) {
    Globals g = sandbox();
    g.set("obj", toLua(obj));
    // LuaJ keeps the string metatable in a static field that any other LuaJ user in this JVM
    // may have set; Argo (gopher-lua) has none without the string library, so clear it.
    LuaValue saved = LuaString.s_metatable;
    LuaString.s_metatable = null;
    try {
      Varargs result = g.load(script, "@" + chunkName).invoke();
      return result.arg1();
    } finally {
      LuaString.s_metatable = saved;
    }
  }

  /** JSON-shaped Java value to Lua, as Argo's decodeValue does. */
  static LuaValue toLua(Object value) {
    if (value == null) {
      return LuaValue.NIL;
    }
    if (value instanceof Boolean b) {
      return LuaValue.valueOf(b);
    }
    if (value instanceof Number n) {
      return LuaValue.valueOf(n.doubleValue());
    }
    if (value instanceof CharSequence s) {
      return LuaValue.valueOf(s.toString());
    }
    if (value instanceof Enum<?> e) {
      return LuaValue.valueOf(e.name());
    }
    if (value instanceof List<?> list) {
      LuaTable t = new LuaTable();
      for (int i = 0; i < list.size(); i++) {
        t.set(i + 1, toLua(list.get(i)));
      }
      return t;
    }
    if (value instanceof Map<?, ?> map) {
      LuaTable t = new LuaTable();
      map.forEach((k, v) -> t.set(String.valueOf(k), toLua(v)));
      return t;
    }
    throw new IllegalArgumentException("not JSON-shaped: " + value.getClass());
  }

  /**
   * Lua back to JSON-shaped Java, as Argo's JSON encoding of the returned table: a table with only
   * keys 1..n is an array, any other non-empty table an object; integral numbers come back as Long.
   * An empty table is returned as an empty object (Argo encodes it as [] and then restores the
   * object where the live resource had one, in cleanReturnedObj).
   */
  static Object toJava(LuaValue value) {
    if (value.isnil()) {
      return null;
    }
    if (value.isboolean()) {
      return value.toboolean();
    }
    if (value.type() == LuaValue.TNUMBER) {
      double d = value.todouble();
      return d == Math.rint(d) && !Double.isInfinite(d) ? (Object) (long) d : (Object) d;
    }
    if (value.isstring()) {
      return value.tojstring();
    }
    if (value.istable()) {
      LuaTable t = value.checktable();
      int n = t.length();
      int keys = t.keyCount();
      if (n > 0 && keys == n) {
        List<Object> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          list.add(toJava(t.get(i)));
        }
        return list;
      }
      Map<String, Object> map = new LinkedHashMap<>();
      for (LuaValue k : t.keys()) {
        if (!k.isstring() || k.type() == LuaValue.TNUMBER) {
          throw new IllegalStateException("mixed table: Argo cannot encode key " + k);
        }
        map.put(k.tojstring(), toJava(t.get(k)));
      }
      return map;
    }
    throw new IllegalStateException("cannot encode a " + value.typename() + " as JSON");
  }
}
