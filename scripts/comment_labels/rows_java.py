"""Hand-labelled review comments from Java repositories.

Each row is ``(id, repo, category, body, diff_hunk)``; ``diff_hunk`` is ``""`` for
comments made on the pull request as a whole.
"""

from __future__ import annotations

FD = "functional_defect"
RD = "refactoring_design"
DOC = "documentation"
STY = "style_nit"
Q = "question_discussion"
PR = "praise_noise"

TOLL = "brightwater/tollgate"
CINDER = "cinder-oss/cinder-batch"
JPATH = "juniper-io/jsonpath4j"

REPOS = {TOLL: "Java", CINDER: "Java", JPATH: "Java"}

ROWS = [
    # brightwater/tollgate: API gateway with rate limiting
    (
        501,
        TOLL,
        FD,
        """\
`get()` followed by `set(current + 1)` isn't atomic: two request threads can both \
read 99 and both get through with a limit of 100.

```suggestion
        return counter.incrementAndGet() <= limit;
```
""",
        """\
@@ -42,9 +42,13 @@ public final class FixedWindowLimiter implements RateLimiter {
     @Override
     public boolean tryAcquire(String key) {
         AtomicLong counter = windows.computeIfAbsent(key, k -> new AtomicLong());
-        return counter.incrementAndGet() <= limit;
+        long current = counter.get();
+        if (current >= limit) {
+            return false;
+        }
+        counter.set(current + 1);
+        return true;
     }
""",
    ),
    (
        502,
        TOLL,
        FD,
        "Nothing ever removes entries from `windows`, so with per-IP keys this map "
        "grows without bound — the soak test ended with ~12M keys and a full heap. "
        "Needs eviction on window rollover, or a Caffeine cache with "
        "`expireAfterAccess(window)`.",
        """\
@@ -20,6 +20,8 @@ public final class FixedWindowLimiter implements RateLimiter {
     private final long limit;
     private final Duration window;
+    private final ConcurrentHashMap<String, AtomicLong> windows =
+            new ConcurrentHashMap<>();
""",
    ),
    (
        503,
        TOLL,
        RD,
        "`matchExact`, `matchPrefix` and `matchRegex` are the same loop three "
        "times, and `matchRegex` recompiles the pattern per request. What about "
        "building a `Predicate<String>` per route once at config load and just "
        "iterating those?",
        """\
@@ -61,6 +61,16 @@ public class RouteMatcher {
+    private Optional<Route> matchRegex(String path) {
+        for (Route route : routes) {
+            if (Pattern.compile(route.pattern()).matcher(path).matches()) {
+                return Optional.of(route);
+            }
+        }
+        return Optional.empty();
+    }
""",
    ),
    (
        504,
        TOLL,
        STY,
        "nit: we don't mark locals `final` anywhere else in this class, so this "
        "reads a bit odd.",
        """\
@@ -88,4 +88,5 @@ public class GatewayFilter {
+        final String upstream = route.upstream();
""",
    ),
    (
        505,
        TOLL,
        DOC,
        "Javadoc still says `@return the route, or null if none matches`, but the "
        "method returns `Optional<Route>` now.",
        """\
@@ -40,9 +40,9 @@ public class RouteMatcher {
     /**
      * Finds the route for {@code path}.
      *
      * @return the route, or null if none matches
      */
-    public Route match(String path) {
+    public Optional<Route> match(String path) {
""",
    ),
    (
        506,
        TOLL,
        Q,
        "Should `X-RateLimit-Remaining` also be sent on the 429 responses? The IETF "
        "draft says yes, but I don't know whether any of our clients rely on it "
        "being absent there.",
        """\
@@ -101,5 +101,8 @@ public class GatewayFilter {
         if (!limiter.tryAcquire(key)) {
+            return Response.status(429)
+                    .header("Retry-After", retryAfterSeconds)
+                    .build();
""",
    ),
    (
        507,
        TOLL,
        PR,
        "LGTM, thanks @dani-k!",
        """\
@@ -30,4 +30,5 @@ public class RouteTable {
+        Map<String, Route> byName = new HashMap<String, Route>();
""",
    ),
    (
        508,
        TOLL,
        FD,
        "`X-Forwarded-For` is set by the client, so with this change anyone can "
        "dodge the per-IP limit by sending a random value in that header. We "
        "should only honour it when the peer address is in `trustedProxies`.",
        """\
@@ -120,6 +120,9 @@ public class GatewayFilter {
     private String clientKey(HttpRequest request) {
-        return request.remoteAddress().getHostString();
+        String forwarded = request.getHeader("X-Forwarded-For");
+        return forwarded != null
+                ? forwarded.split(",")[0].trim()
+                : request.remoteAddress().getHostString();
     }
""",
    ),
    (
        509,
        TOLL,
        RD,
        "A new `ObjectMapper` per error response is surprisingly expensive — it "
        "rebuilds its serializer caches every time. Make it a `static final` (it's "
        "thread-safe once configured) or inject the shared bean.",
        """\
@@ -140,5 +140,7 @@ public class ErrorResponses {
     public static Response of(int status, String message) {
+        ObjectMapper mapper = new ObjectMapper();
+        String body = mapper.writeValueAsString(new ErrorBody(status, message));
""",
    ),
    (
        510,
        TOLL,
        FD,
        "After logging the `IOException` this falls through to "
        "`chain.proceed(request)`, but the request body stream was already "
        "consumed — the backend gets an empty body on the retry. Return a 502 "
        "here instead of proceeding.",
        """\
@@ -160,8 +160,10 @@ public class BodyLimitFilter implements Filter {
         try {
             buffered = request.body().readNBytes(maxBytes + 1);
         } catch (IOException e) {
-            return Response.status(502).build();
+            log.warn("failed to buffer request body", e);
         }
         return chain.proceed(request);
""",
    ),
    (
        511,
        TOLL,
        STY,
        """\
```suggestion
        Map<String, Route> byName = new HashMap<>();
```
""",
        """\
@@ -30,4 +30,5 @@ public class RouteTable {
+        Map<String, Route> byName = new HashMap<String, Route>();
""",
    ),
    (
        512,
        TOLL,
        DOC,
        "README lists `tollgate.limits.burst`, but the property in "
        "`TollgateProperties` is `burst-size`. Copy-pasting the README example "
        "silently does nothing.",
        """\
@@ -55,6 +55,7 @@ tollgate:
   limits:
     default: 100/s
+    burst: 20
""",
    ),
    (
        513,
        TOLL,
        Q,
        "Any reason to make all of `reload()` `synchronized` rather than building "
        "the new table off to the side and swapping an "
        "`AtomicReference<RouteTable>`? Not saying it's wrong — I just don't know "
        "if reload latency matters to anyone.",
        """\
@@ -70,5 +70,7 @@ public class RouteTable {
-    public void reload(Config config) {
+    public synchronized void reload(Config config) {
         routes.clear();
""",
    ),
    (
        514,
        TOLL,
        RD,
        "`GatewayFilter` takes 11 constructor arguments now and five of them are "
        "only used by the auth step. Worth extracting an `AuthStep` (or "
        "`Authenticator`) and injecting that instead?",
        """\
@@ -30,6 +30,9 @@ public class GatewayFilter {
     public GatewayFilter(RouteMatcher matcher, RateLimiter limiter,
-            UpstreamClient upstream) {
+            UpstreamClient upstream, TokenVerifier verifier, KeyStore keys,
+            Clock clock, AuditLog audit, Duration tokenLeeway,
+            Set<String> issuers, MeterRegistry meters) {
""",
    ),
    (
        515,
        TOLL,
        FD,
        "`getSeconds()` is `0` for sub-second windows, and config accepts `500ms`. "
        "That makes this an `ArithmeticException` at startup for anyone using "
        "`100/500ms`. Use `window.toMillis()` and compute per millisecond.",
        """\
@@ -31,5 +31,6 @@ public final class TokenBucketLimiter implements RateLimiter {
         this.capacity = capacity;
+        this.refillPerSecond = capacity / window.getSeconds();
""",
    ),
    (
        516,
        TOLL,
        PR,
        "Fixed, thanks for catching it.",
        """\
@@ -31,5 +31,6 @@ public final class TokenBucketLimiter implements RateLimiter {
         this.capacity = capacity;
+        this.refillPerSecond = capacity / window.getSeconds();
""",
    ),
    (
        517,
        TOLL,
        STY,
        "nit: constants are `UPPER_SNAKE_CASE` in this codebase → `DEFAULT_TIMEOUT`.",
        """\
@@ -18,4 +18,5 @@ public class UpstreamClient {
+    private static final Duration defaultTimeout = Duration.ofSeconds(30);
""",
    ),
    (
        518,
        TOLL,
        FD,
        "`String.equals` short-circuits on the first differing byte, which leaks "
        "how much of the key matched through timing. For API keys please use "
        "`MessageDigest.isEqual(a.getBytes(UTF_8), b.getBytes(UTF_8))`.",
        """\
@@ -44,5 +44,6 @@ public class ApiKeyAuthenticator implements Authenticator {
         String presented = request.getHeader("X-Api-Key");
+        return presented != null && presented.equals(expectedKey);
""",
    ),
    (
        519,
        TOLL,
        Q,
        "How do we want to roll this out — behind "
        "`tollgate.limits.sliding-window.enabled` first, or as the new default? "
        "Ops will probably want to compare 429 rates before and after.",
        """\
@@ -12,6 +12,9 @@ public class LimiterFactory {
     public RateLimiter create(LimitConfig config) {
+        if (config.algorithm() == Algorithm.SLIDING_WINDOW) {
+            return new SlidingWindowLimiter(config.limit(), config.window(), clock);
+        }
""",
    ),
    (
        520,
        TOLL,
        RD,
        "Rather than the `instanceof` chain here, could `RateLimiter` get a "
        "`describe()` method? The metrics exporter shouldn't have to know about "
        "every implementation, and the next limiter will silently fall into the "
        "`else`.",
        """\
@@ -25,6 +25,14 @@ public class LimiterMetrics {
+        if (limiter instanceof FixedWindowLimiter fixed) {
+            tags.put("type", "fixed");
+        } else if (limiter instanceof TokenBucketLimiter bucket) {
+            tags.put("type", "bucket");
+        } else {
+            tags.put("type", "unknown");
+        }
""",
    ),
    (
        521,
        TOLL,
        DOC,
        "The `// milliseconds` comment is stale, this is a `Duration` now.",
        """\
@@ -14,5 +14,5 @@ public class UpstreamClient {
-    private final long connectTimeout; // milliseconds
+    private final Duration connectTimeout; // milliseconds
""",
    ),
    (
        522,
        TOLL,
        PR,
        "Looks good to me. 👍",
        """\
@@ -14,5 +14,5 @@ public class UpstreamClient {
-    private final long connectTimeout;
+    private final Duration connectTimeout;
""",
    ),
    (
        523,
        TOLL,
        RD,
        "`tryAcquire` returning `boolean` forces the filter to call "
        "`remaining(key)` separately to build the `X-RateLimit-*` headers. A "
        "`Decision` record (`allowed`, `remaining`, `resetAt`) returned from a "
        "single call would give headers and metrics one consistent snapshot.",
        """\
@@ -8,5 +8,7 @@ public interface RateLimiter {
     boolean tryAcquire(String key);
+
+    long remaining(String key);
""",
    ),
    # cinder-oss/cinder-batch: batch job scheduler
    (
        601,
        CINDER,
        FD,
        "`LocalDateTime.now()` ignores the job's `zoneId`, so `0 2 * * *` for a "
        "job in `Europe/Berlin` fires at 02:00 *server* time. This should be "
        "`ZonedDateTime.now(job.getZoneId())`, and DST transitions need a test.",
        """\
@@ -77,6 +77,7 @@ public class TriggerCalculator {
     public Instant nextRun(JobDefinition job) {
-        ZonedDateTime now = ZonedDateTime.now(job.getZoneId());
+        LocalDateTime now = LocalDateTime.now();
         return job.getCron().next(now).toInstant(ZoneOffset.UTC);
""",
    ),
    (
        602,
        CINDER,
        FD,
        "`stop()` never shuts down `workers`, and the pool threads aren't daemon "
        "threads — so the JVM doesn't exit after `Scheduler.stop()`. That's what "
        "makes the CLI hang at the end of `cinder run-once`.",
        """\
@@ -50,6 +50,9 @@ public class Scheduler implements AutoCloseable {
     public void stop() {
         running = false;
+        ticker.cancel(false);
+        log.info("scheduler stopped");
     }
""",
    ),
    (
        603,
        CINDER,
        RD,
        "`RetryingJobRunner` copies the entire try/catch/metrics block of "
        "`JobRunner.run()`. I'd make retry a decorator instead of a subclass — "
        "`new Retrying(runner, policy)` — so changes to the metrics don't have to "
        "be made twice.",
        """\
@@ -1,6 +1,40 @@
+public class RetryingJobRunner extends JobRunner {
+    @Override
+    public JobResult run(JobContext ctx) {
+        Timer.Sample sample = Timer.start(registry);
+        try {
""",
    ),
    (
        604,
        CINDER,
        STY,
        "nit: unused import",
        """\
@@ -3,6 +3,7 @@ package io.cinder.batch.core;
 import java.util.List;
+import java.util.stream.Collectors;
 import java.util.Optional;
""",
    ),
    (
        605,
        CINDER,
        DOC,
        "Typo in the class Javadoc: *schedular* → *scheduler*.",
        """\
@@ -12,6 +12,6 @@ import java.util.concurrent.ScheduledExecutorService;
 /**
- * Single-node scheduler.
+ * Single-node schedular that fires jobs according to their cron triggers.
  */
""",
    ),
    (
        606,
        CINDER,
        Q,
        "What should happen when a job is still running and its next trigger "
        "fires: skip, queue, or run concurrently? I couldn't find it specified "
        "anywhere. Might be worth a `misfirePolicy` on `JobDefinition`, but I'd "
        "like to hear what others expect first.",
        """\
@@ -120,6 +120,7 @@ public class Scheduler implements AutoCloseable {
         for (JobDefinition job : dueJobs(now)) {
+            workers.submit(() -> runner.run(contextFor(job)));
         }
""",
    ),
    (
        607,
        CINDER,
        PR,
        "nice!",
        """\
@@ -80,5 +80,6 @@ public class TriggerCalculator {
+        CronExpression cron = CronExpression.parse(job.getCronString());
         return cron.next(now).toInstant();
""",
    ),
    (
        608,
        CINDER,
        FD,
        "Swallowing `InterruptedException` clears the interrupt flag, so "
        "`shutdownNow()` can't stop this loop anymore. Restore it with "
        "`Thread.currentThread().interrupt()` and `return`.",
        """\
@@ -92,8 +92,10 @@ public class Worker implements Runnable {
         while (running) {
             try {
                 JobRun next = queue.take();
                 execute(next);
-            } catch (InterruptedException e) {
-                Thread.currentThread().interrupt();
-                return;
+            } catch (InterruptedException ignored) {
             }
""",
    ),
    (
        609,
        CINDER,
        RD,
        "Every node polls `job_runs` every 500 ms — fine for three nodes, not for "
        "thirty. Have you considered Postgres `LISTEN/NOTIFY`, or at least backing "
        "off with jitter while the queue is empty?",
        """\
@@ -30,5 +30,6 @@ public class DbJobQueue implements JobQueue {
+    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
""",
    ),
    (
        610,
        CINDER,
        FD,
        "`jobs.remove(job)` inside the enhanced `for` over `jobs` throws "
        "`ConcurrentModificationException` as soon as a second job expires in the "
        "same tick. `jobs.removeIf(j -> j.isExpired(now))` avoids it.",
        """\
@@ -110,6 +110,10 @@ public class Scheduler implements AutoCloseable {
         for (JobDefinition job : jobs) {
+            if (job.isExpired(now)) {
+                jobs.remove(job);
+                continue;
+            }
""",
    ),
    (
        611,
        CINDER,
        STY,
        "Braces on the `if`, please (checkstyle `NeedBraces` will complain).",
        """\
@@ -40,4 +40,5 @@ public class JobContext {
+        if (params == null) return Map.of();
""",
    ),
    (
        612,
        CINDER,
        RD,
        'Status is passed around as a raw `String` (`"RUNNING"`, `"FAILED"`, '
        "...). A `JobStatus` enum would give us exhaustiveness in the `switch` in "
        "`StatusReporter` and make the DB mapping explicit.",
        """\
@@ -20,5 +20,6 @@ public class JobRun {
     private final String jobName;
+    private String status = "PENDING";
""",
    ),
    (
        613,
        CINDER,
        DOC,
        "Please mention in `docs/migration.md` that `fixedRate` is now read as "
        "seconds, not milliseconds. Otherwise everyone upgrading gets jobs that "
        "run 1000× less often.",
        "",
    ),
    (
        614,
        CINDER,
        Q,
        "Could we keep `JobContext#getParams()` around as a `@Deprecated` alias "
        "for one release? I know at least two plugins that call it.",
        """\
@@ -35,6 +35,6 @@ public class JobContext {
-    public Map<String, String> getParams() {
+    public Map<String, String> parameters() {
         return params;
""",
    ),
    (
        615,
        CINDER,
        FD,
        """\
The connection leaks if `executeUpdate` throws — nothing closes it. With the \
retry loop around this, a flaky DB exhausts the Hikari pool within a minute.

```suggestion
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement(UPDATE_STATUS)) {
```
""",
        """\
@@ -60,7 +60,9 @@ public class DbJobQueue implements JobQueue {
     public void markDone(long runId) throws SQLException {
+        Connection conn = dataSource.getConnection();
+        PreparedStatement ps = conn.prepareStatement(UPDATE_STATUS);
         ps.setLong(1, runId);
         ps.executeUpdate();
""",
    ),
    (616, CINDER, PR, "Thanks! Merging.", ""),
    (
        617,
        CINDER,
        RD,
        "`CronExpression.parse` runs on every tick for every job. Parse it once "
        "when the job is registered and keep the parsed expression on "
        "`JobDefinition`.",
        """\
@@ -80,5 +80,6 @@ public class TriggerCalculator {
+        CronExpression cron = CronExpression.parse(job.getCronString());
         return cron.next(now).toInstant();
""",
    ),
    (
        618,
        CINDER,
        STY,
        "nit: `job.isEnabled() == true` → `job.isEnabled()`",
        """\
@@ -105,4 +105,5 @@ public class Scheduler implements AutoCloseable {
+            if (job.isEnabled() == true) {
""",
    ),
    (
        619,
        CINDER,
        FD,
        "`(int) Math.pow(2, attempt) * baseDelayMs` overflows around attempt 21 "
        "and goes negative; `Thread.sleep` then throws "
        "`IllegalArgumentException` and the job is marked failed instead of "
        "retried. Use `long` and cap it at `maxDelayMs`.",
        """\
@@ -22,5 +22,6 @@ public class ExponentialBackoff implements RetryPolicy {
     public long delayMillis(int attempt) {
+        return (int) Math.pow(2, attempt) * baseDelayMs;
     }
""",
    ),
    (
        620,
        CINDER,
        DOC,
        "`@param timeout` is documented, but the parameter is called `deadline`.",
        """\
@@ -44,6 +44,7 @@ public interface JobQueue {
      * @param timeout how long to wait for a job
      * @return the next run, or empty if none arrived in time
      */
-    Optional<JobRun> poll(Duration timeout);
+    Optional<JobRun> poll(Instant deadline);
""",
    ),
    (
        621,
        CINDER,
        RD,
        "`Scheduler` both decides *when* jobs fire and *runs* them. Splitting a "
        "`TriggerLoop` from the executor side would let cluster mode reuse the "
        "trigger logic with the DB-backed queue instead of subclassing "
        "`Scheduler`.",
        """\
@@ -1,6 +1,14 @@
+public class ClusterScheduler extends Scheduler {
+    private final DbJobQueue queue;
+
+    @Override
+    protected void fire(JobDefinition job) {
""",
    ),
    (
        622,
        CINDER,
        Q,
        "Is there a real use case for per-job thread pools, or is the global "
        "`workerThreads` enough? The config schema would need to change, so I'd "
        "like to know before we add it.",
        "",
    ),
    # juniper-io/jsonpath4j: JSONPath (RFC 9535) for Java
    (
        701,
        JPATH,
        FD,
        "`$.items[-1]` should select the last element (RFC 9535 §2.3.3), but "
        "`index < 0` goes into the out-of-bounds branch and returns nothing. "
        "Normalise with `index + size` first.",
        """\
@@ -40,6 +40,9 @@ final class IndexSelector implements Selector {
     public void select(Object node, List<Object> out) {
         List<?> list = (List<?>) node;
+        if (index < 0 || index >= list.size()) {
+            return;
+        }
         out.add(list.get(index));
""",
    ),
    (
        702,
        JPATH,
        FD,
        "We accept arbitrary `Map` inputs, and a map can contain itself. `..` on "
        "such an input recurses until `StackOverflowError`. Either track visited "
        "nodes in an `IdentityHashMap`-backed set or reject cycles up front.",
        """\
@@ -20,6 +20,12 @@ final class DescendantSelector implements Selector {
+    private void walk(Object node, List<Object> out) {
+        out.add(node);
+        for (Object child : children(node)) {
+            walk(child, out);
+        }
+    }
""",
    ),
    (
        703,
        JPATH,
        RD,
        "Lexing and parsing are interleaved in one 600-line `PathParser`. "
        "Splitting out a `Lexer` that produces `List<Token>` (with offsets) would "
        "make the parser much shorter and give us positions for error messages "
        "for free.",
        """\
@@ -20,6 +20,9 @@ final class PathParser {
     private final String input;
     private int pos;
+    private Token current;
+    private boolean inFilter;
+    private int bracketDepth;
""",
    ),
    (
        704,
        JPATH,
        STY,
        "nit: `StringBuilder` — no synchronisation needed here.",
        """\
@@ -88,4 +88,5 @@ final class PathParser {
+        StringBuffer name = new StringBuffer();
""",
    ),
    (
        705,
        JPATH,
        DOC,
        "The README example `$.store.book[?(@.price < 10)].title` uses the old "
        "parenthesised filter syntax, which the new parser rejects. Should be "
        "`$.store.book[?@.price < 10].title`.",
        """\
@@ -30,6 +30,6 @@ Usage
 ```java
 List<Object> titles = JsonPath.read(doc, "$.store.book[?(@.price < 10)].title");
 ```
""",
    ),
    (
        706,
        JPATH,
        Q,
        "Do we want to keep Jayway's `length()` on arrays? It's not in RFC 9535, "
        "but a lot of users migrate from Jayway and it'd be one less surprise. "
        "Could live behind `Option.JAYWAY_COMPAT`.",
        """\
@@ -40,6 +40,8 @@ final class FunctionRegistry {
     static {
         register("count", CountFunction::new);
+        register("match", MatchFunction::new);
+        register("search", SearchFunction::new);
""",
    ),
    (
        707,
        JPATH,
        PR,
        "Great work on the RFC compliance suite, this is a huge improvement 🙌",
        "",
    ),
    (
        708,
        JPATH,
        FD,
        "`Double.parseDouble` loses precision above 2^53, so "
        "`?@.id == 9007199254740993` also matches `...992`. Compare as "
        "`BigDecimal` (or `long` when both sides are integral).",
        """\
@@ -60,6 +60,8 @@ final class Comparison {
     static boolean equal(Object left, Object right) {
         if (left instanceof Number && right instanceof Number) {
+            return Double.parseDouble(left.toString())
+                    == Double.parseDouble(right.toString());
""",
    ),
    (
        709,
        JPATH,
        RD,
        "Compiled paths are immutable, so `JsonPath.read(doc, String)` could keep "
        "a small LRU of compiled paths. People call it in hot loops with a "
        "constant string and we re-parse every time.",
        """\
@@ -25,5 +25,6 @@ public final class JsonPath {
     public static List<Object> read(Object document, String path) {
+        return compile(path).evaluate(document);
""",
    ),
    (
        710,
        JPATH,
        STY,
        "Could the cases follow the order of `TokenType`? Makes a missing one "
        "easier to spot.",
        """\
@@ -110,6 +110,12 @@ final class PathParser {
         switch (token.type()) {
+            case WILDCARD -> parseWildcard();
+            case DOT -> parseMember();
+            case LBRACKET -> parseBracket();
+            case DOUBLE_DOT -> parseDescendant();
""",
    ),
    (
        711,
        JPATH,
        FD,
        "`charAt(pos + 1)` without a bounds check throws "
        "`StringIndexOutOfBoundsException` for a path ending in a dot, e.g. "
        "`$.a.`. It should be a `PathSyntaxException` pointing at the position.",
        """\
@@ -95,5 +95,7 @@ final class PathParser {
         if (c == '.') {
+            if (input.charAt(pos + 1) == '.') {
+                return Token.DOUBLE_DOT;
+            }
""",
    ),
    (
        712,
        JPATH,
        DOC,
        "`{@link Option#SUPPRESS_EXCEPTIONS}` — the constant is `SUPPRESS_ERRORS`, "
        "so the link is broken and the javadoc build warns.",
        """\
@@ -12,6 +12,8 @@ public final class Configuration {
+     * Unless {@link Option#SUPPRESS_EXCEPTIONS} is set, a missing property
+     * raises {@link PathNotFoundException}.
""",
    ),
    (
        713,
        JPATH,
        Q,
        "Why `List<Object>` rather than a small `NodeList` wrapper? I can see "
        "arguments both ways; curious what you had in mind for the Jackson "
        "adapter.",
        """\
@@ -25,5 +25,6 @@ public final class JsonPath {
+    public List<Object> evaluate(Object document) {
""",
    ),
    (
        714,
        JPATH,
        RD,
        "Every method in `Evaluator` has the same `instanceof Map` / "
        "`instanceof List` ladder. A tiny `JsonAdapter` interface (one impl for "
        "plain `Map`/`List`, one for Jackson's `JsonNode`) would remove it and "
        "make the Jackson module trivial.",
        """\
@@ -70,6 +70,14 @@ final class Evaluator {
+        if (node instanceof Map<?, ?> map) {
+            return new ArrayList<>(map.values());
+        } else if (node instanceof List<?> list) {
+            return new ArrayList<>(list);
+        }
""",
    ),
    (
        715,
        JPATH,
        PR,
        "Done in the latest push.",
        """\
@@ -95,5 +95,7 @@ final class PathParser {
         if (c == '.') {
+            if (input.charAt(pos + 1) == '.') {
+                return Token.DOUBLE_DOT;
+            }
""",
    ),
    (
        716,
        JPATH,
        FD,
        "With a negative `step` this still iterates upwards from `start`, so "
        "`[::-1]` returns an empty list instead of the reversed array. RFC 9535 "
        "defines the defaults differently when `step < 0` too.",
        """\
@@ -30,6 +30,9 @@ final class SliceSelector implements Selector {
         int from = start == null ? 0 : normalize(start, size);
         int to = end == null ? size : normalize(end, size);
+        for (int i = from; i < to; i += Math.abs(step)) {
+            out.add(list.get(i));
+        }
""",
    ),
    (
        717,
        JPATH,
        STY,
        "nit: stray blank lines inside the method.",
        """\
@@ -120,8 +120,11 @@ final class PathParser {
     private Selector parseWildcard() {
+
         expect(TokenType.WILDCARD);
+
+
         return WildcardSelector.INSTANCE;
""",
    ),
    (
        718,
        JPATH,
        RD,
        "Throwing bare `RuntimeException` everywhere means callers can't tell a "
        "malformed path from a missing property. I'd add `PathSyntaxException` "
        "and `PathNotFoundException` under a common `JsonPathException`.",
        """\
@@ -99,5 +99,6 @@ final class PathParser {
+            throw new RuntimeException("unexpected character at " + pos);
""",
    ),
    (
        719,
        JPATH,
        RD,
        "Every selector materialises a full `List<Object>` before the next one "
        "runs, even for `$.items[0]` on a 1M-element array. Having selectors "
        "return a lazy `Stream<Object>` would avoid building big intermediate "
        "lists.",
        """\
@@ -5,5 +5,5 @@ interface Selector {
-    void select(Object node, List<Object> out);
+    List<Object> select(List<Object> nodes);
""",
    ),
    (
        720,
        JPATH,
        Q,
        "Should compiled `JsonPath` instances be `Serializable`? Spark users "
        "have asked for it, but it locks us into the current field layout.",
        """\
@@ -10,5 +10,5 @@ import java.util.List;
-public final class JsonPath {
+public final class JsonPath implements Serializable {
""",
    ),
    (
        721,
        JPATH,
        PR,
        "This pull request has been automatically marked as stale because it "
        "has not had recent activity. It will be closed in 7 days if no further "
        "activity occurs.",
        "",
    ),
    (
        722,
        JPATH,
        DOC,
        "Please add `@since 2.1` to the Javadoc of the new option.",
        """\
@@ -20,5 +20,9 @@ public enum Option {
+    /**
+     * Reject paths that use non-RFC 9535 extensions.
+     */
+    STRICT_MODE,
""",
    ),
]
