// Decodes every reply fixture with the Java client that openapi-generator made from openapi.yaml (nox -s polyglot).
//
// The session generates `-g java --library native`, compiles it offline (Jackson and jsr310 from the generator's
// own jar, javax.annotation from Debian) with this file, and runs it with the fixtures file. Each reply must
// decode into its operation's reply class through the client's own ObjectMapper and serialize back to the same
// values (so no field is lost or retyped); the documented replies are then read through the generated getters,
// as a Java team would. A class the spec names but the generator renamed is a failure (Class.forName).
package polyglot;

import com.example.pan123.ApiClient;
import com.example.pan123.model.CreateUploadReply;
import com.example.pan123.model.UploadAsyncResultReply;
import com.example.pan123.model.UploadCompleteReply;
import com.example.pan123.model.UploadPartsReply;
import com.example.pan123.model.UploadUrlReply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

public final class Decode {
  private static final String SEED_FILE_ID = "rehu6baz03t0l000d7freterfbyq51l4izkneDIYPAIDOBIY0DcxvDwFO";
  private static final ObjectMapper MAPPER = ApiClient.createDefaultObjectMapper();

  /** What each documented reply must read back as, through the generated getters; empty when it does. */
  private static final Map<String, Function<Object, String>> DOCUMENTED = new LinkedHashMap<>();

  static {
    Function<Object, String> seed = v -> {
      UploadAsyncResultReply r = (UploadAsyncResultReply) v;
      try {
        return SEED_FILE_ID.equals(fileIdOf(MAPPER.writeValueAsString(r))) ? "" : "code 0, completed, the fileID";
      } catch (Exception e) {
        return e.getMessage();
      }
    };
    DOCUMENTED.put("the seed reply (official example)", seed);
    DOCUMENTED.put("the seed reply from a newer service, with fields nobody knows yet", seed);
    DOCUMENTED.put("a failure: invalid token, data null", v -> {
      UploadAsyncResultReply r = (UploadAsyncResultReply) v;
      return r.getCode() == 401 && r.getData() == null && "access Token Invalid".equals(r.getMessage())
          ? "" : "code 401, no data, its message";
    });
    DOCUMENTED.put("create, instant upload: reuse and fileID only (no preuploadID, no sliceSize)", v -> {
      CreateUploadReply r = (CreateUploadReply) v;
      return r.getData() != null && r.getData().getReuse() && SEED_FILE_ID.equals(r.getData().getFileID())
          && r.getData().getPreuploadID() == null && r.getData().getSliceSize() == null
          ? "" : "reuse with the fileID, no preuploadID, no sliceSize";
    });
    DOCUMENTED.put("upload_complete, merging in the background: no fileID", v -> {
      UploadCompleteReply r = (UploadCompleteReply) v;
      return r.getData() != null && r.getData().getAsync() && !r.getData().getCompleted()
          && r.getData().getFileID() == null ? "" : "async, pending, no fileID";
    });
    DOCUMENTED.put("get_upload_url without isMultipart", v -> {
      UploadUrlReply r = (UploadUrlReply) v;
      return r.getData() != null && r.getData().getPresignedURL().startsWith("https://")
          && r.getData().getIsMultipart() == null ? "" : "a URL, no isMultipart";
    });
    DOCUMENTED.put("list_upload_parts with partNumber as a string and as a number", v -> {
      UploadPartsReply r = (UploadPartsReply) v;
      if (r.getData() == null || r.getData().getParts().size() != 2) return "two parts";
      Object first = r.getData().getParts().get(0).getPartNumber().getActualInstance();
      Object second = r.getData().getParts().get(1).getPartNumber().getActualInstance();
      // anyOf takes its first member that decodes: Jackson reads the string "1" as the integer 1.
      return Integer.valueOf(1).equals(first) && Integer.valueOf(2).equals(second) ? "" : "part numbers 1 and 2";
    });
  }

  /** The file ID an `upload_async_result` reply names, or null while the upload is still being merged. */
  static String fileIdOf(String body) throws Exception {
    // README: Java
    ObjectMapper mapper = ApiClient.createDefaultObjectMapper();
    UploadAsyncResultReply reply = mapper.readValue(body, UploadAsyncResultReply.class);
    if (reply.getCode() != 0) { // a failure: the same type, with getData() == null
      throw new IllegalStateException(reply.getCode() + " " + reply.getMessage() + " " + reply.getxTraceID());
    }
    return reply.getData().getCompleted() ? reply.getData().getFileID() : null;
    // README: end
  }

  /** Whether `got` holds every member of `expect` with the same value, and any other member only as `sent` has
   * it. Null counts as absent; numbers compare by value (a string of digits too); two date-times agree if they
   * name the same instant. */
  static boolean agrees(JsonNode got, JsonNode expect, JsonNode sent) {
    if (got == null || got.isNull()) return expect == null || expect.isNull();
    if (got.isObject() && expect != null && expect.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = expect.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull() && !agrees(got.get(e.getKey()), e.getValue(), field(sent, e.getKey()))) return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = got.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode known = expect.get(e.getKey());
        if (!e.getValue().isNull() && (known == null || known.isNull())
            && !agrees(e.getValue(), field(sent, e.getKey()), field(sent, e.getKey()))) return false;
      }
      return true;
    }
    if (got.isArray() && expect != null && expect.isArray()) {
      if (got.size() != expect.size()) return false;
      for (int i = 0; i < got.size(); i++) {
        if (!agrees(got.get(i), expect.get(i), sent != null && sent.isArray() ? sent.get(i) : null)) return false;
      }
      return true;
    }
    if (expect == null) return false;
    if (got.isNumber() && expect.isNumber()) return got.decimalValue().compareTo(expect.decimalValue()) == 0;
    // `partNumber` is anyOf [integer, string of digits]: Jackson reads "2" as the anyOf's first member, 2.
    if (got.isNumber() && expect.isTextual() && expect.asText().matches("[1-9][0-9]*")) {
      return got.decimalValue().compareTo(new java.math.BigDecimal(expect.asText())) == 0;
    }
    if (got.isTextual() && expect.isTextual() && !got.asText().equals(expect.asText())) {
      try {
        return OffsetDateTime.parse(got.asText()).toInstant().equals(OffsetDateTime.parse(expect.asText()).toInstant());
      } catch (RuntimeException notADate) {
        return false;
      }
    }
    return got.equals(expect);
  }

  private static JsonNode field(JsonNode node, String name) {
    return node != null && node.isObject() ? node.get(name) : null;
  }

  /** Decode one fixture; returns the decoded reply (null for a refused one), throws with what went wrong. */
  static Object check(JsonNode f, List<String> notes) throws Exception {
    String schema = f.get("schema").asText();
    Class<?> type;
    try {
      type = Class.forName("com.example.pan123.model." + schema);
    } catch (ClassNotFoundException e) {
      throw new Exception("no generated Java class " + schema);
    }
    Object decoded;
    try {
      decoded = MAPPER.treeToValue(f.get("reply"), type);
    } catch (Exception e) {
      if (f.get("reject").asBoolean()) return null;
      throw new Exception("decode as " + schema + ": " + e.getMessage().split("\n")[0]);
    }
    if (f.get("reject").asBoolean()) {
      notes.add("Jackson coerces scalars, so it takes this reply (a number read as a string)");
      return null;
    }
    JsonNode back = MAPPER.valueToTree(decoded);
    if (!agrees(back, f.get("expect"), f.get("reply"))) {
      throw new Exception("decoded as " + back + ", expected " + f.get("expect"));
    }
    return decoded;
  }

  public static void main(String[] args) throws Exception {
    JsonNode fixtures = MAPPER.readTree(new File(args[0]));
    boolean verbose = System.getenv("POLYGLOT_VERBOSE") != null;
    int passed = 0;
    int failed = 0;
    Set<String> seen = new HashSet<>();
    for (JsonNode f : fixtures) {
      String name = f.get("name").asText();
      seen.add(name);
      List<String> notes = new ArrayList<>();
      String problem = "";
      try {
        Object decoded = check(f, notes);
        Function<Object, String> read = DOCUMENTED.get(name);
        if (read != null && decoded != null) {
          String wrong = read.apply(decoded);
          if (!wrong.isEmpty()) problem = "the generated getters do not read back: " + wrong;
        }
      } catch (Exception e) {
        problem = e.getMessage();
      }
      if (!problem.isEmpty()) {
        failed++;
        System.out.println("FAIL " + name + ": " + problem);
        continue;
      }
      passed++;
      if (!notes.isEmpty()) System.out.println("note " + name + ": " + String.join("; ", notes));
      else if (verbose) System.out.println("ok   " + name);
    }
    for (String name : DOCUMENTED.keySet()) {
      if (!seen.contains(name)) {
        failed++;
        System.out.println("FAIL " + name + ": no such fixture in replies.json");
      }
    }
    System.out.println("java: " + passed + " passed, " + failed + " failed");
    if (failed > 0 || passed == 0) System.exit(1);
  }
}
