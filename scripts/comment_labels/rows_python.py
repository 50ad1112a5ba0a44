"""Hand-labelled review comments from Python repositories.

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

SKY = "orbit-labs/skyline"
PGT = "mossy/pg-tiny"
FEED = "hollowpine/feedcrawler"
TOK = "lumen-ai/tokenkit"

REPOS = {SKY: "Python", PGT: "Python", FEED: "Python", TOK: "Python"}

ROWS = [
    # orbit-labs/skyline: metrics dashboard backend (FastAPI + Postgres)
    (
        101,
        SKY,
        FD,
        "`fromtimestamp(ts)` gives you a naive *local* datetime, but `ts` is UTC "
        "everywhere else. On any box not running in UTC every bucket is shifted by "
        "the offset. Use `datetime.fromtimestamp(ts, tz=timezone.utc)`.",
        """\
@@ -58,7 +58,9 @@ def bucketize(points, step):
     out = defaultdict(list)
     for ts, value in points:
-        bucket_start = ts - ts % step
+        dt = datetime.fromtimestamp(ts)
+        bucket_start = dt.replace(second=0, microsecond=0)
         out[bucket_start].append(value)
""",
    ),
    (
        102,
        SKY,
        RD,
        "This does one `Series.objects.get()` per panel, so a dashboard with 40 "
        "panels is 40 round trips. Could we collect the `series_id`s first and do a "
        "single `filter(id__in=...)`, then look them up from a dict?",
        """\
@@ -112,6 +112,11 @@ class DashboardView:
     def render(self, dashboard):
         panels = []
         for panel in dashboard.panels:
+            series = Series.objects.get(id=panel.series_id)
+            panels.append(self._render_panel(panel, series))
""",
    ),
    (
        103,
        SKY,
        STY,
        "nit: `tmp_res` → `resampled`?",
        """\
@@ -30,4 +30,6 @@ def resample(frame, rule):
     frame = frame.sort_index()
+    tmp_res = frame.resample(rule).mean()
+    return tmp_res.dropna()
""",
    ),
    (
        104,
        SKY,
        DOC,
        "The docstring still says this returns `list[Point]`, but with `yield from` "
        "it's a generator now. Anyone doing `len(read_points(...))` will get a "
        "`TypeError` — please update the `Returns:` section (or keep the list).",
        '''\
@@ -74,11 +74,11 @@ def read_points(path):
     """Read points from a CSV export.
     Returns:
         list[Point]: parsed points, oldest first.
     """
     with open(path, newline="") as fh:
-        return [Point.from_row(r) for r in csv.reader(fh)]
+        yield from (Point.from_row(r) for r in csv.reader(fh))
''',
    ),
    (
        105,
        SKY,
        PR,
        "LGTM 🚀",
        """\
@@ -12,7 +12,7 @@ class Settings(BaseSettings):
     database_url: str
     retention_days: int = 14
-    max_panels: int = 64
+    max_panels: int = 128
""",
    ),
    (
        106,
        SKY,
        FD,
        "`?step=0` passes the `QueryParams` validator (it only checks `>= 0`), so "
        "this line is a `ZeroDivisionError` → 500. Either make the validator `gt=0` "
        "or clamp to the minimum resolution here.",
        """\
@@ -20,6 +20,8 @@ def downsample(points, step):
     if not points:
         return []
+    n_buckets = (points[-1].ts - points[0].ts) // step
+    width = max(1, len(points) // n_buckets)
""",
    ),
    (
        107,
        SKY,
        Q,
        "Do we expect plugins to call `register_panel` at import time, or only from "
        "their `setup()` hook? Asking because it decides whether the registry should "
        "live at module level or on the app object.",
        """\
@@ -9,3 +9,12 @@ from .models import PanelType
 _REGISTRY: dict[str, PanelType] = {}
+
+def register_panel(kind: str, panel: PanelType) -> None:
+    _REGISTRY[kind] = panel
""",
    ),
    (
        108,
        SKY,
        RD,
        "`ThresholdRule.evaluate` and `AnomalyRule.evaluate` are now ~80% the same "
        "(window fetch, NaN handling, comparison). I'd pull the shared part into a "
        "`_windowed_values()` on `BaseRule` so the two can't drift apart.",
        """\
@@ -140,6 +140,24 @@ class AnomalyRule(BaseRule):
     def evaluate(self, series, now):
+        start = now - self.window
+        values = [v for ts, v in series.between(start, now)]
+        values = [v for v in values if not math.isnan(v)]
+        if len(values) < self.min_points:
+            return RuleResult.insufficient(self.name)
""",
    ),
    (
        109,
        SKY,
        FD,
        "`except Exception: pass` swallows the asyncpg timeout too, so a slow query "
        "just renders an empty chart and nothing is logged. Please keep raising "
        "`QueryError` (or at least `logger.exception`) — the API should return a "
        "504 here, not `[]`.",
        """\
@@ -88,9 +88,11 @@ async def fetch_series(conn, query):
     try:
         rows = await conn.fetch(query.sql, *query.args)
-    except asyncpg.PostgresError as exc:
-        raise QueryError(str(exc)) from exc
+    except Exception:
+        rows = []
     return [Point(r["ts"], r["value"]) for r in rows]
""",
    ),
    (
        110,
        SKY,
        DOC,
        "Typo in the README snippet: `--prot` should be `--port`.",
        """\
@@ -41,6 +41,6 @@ Run the development server:
 ```bash
-skyline serve
+skyline serve --prot 8080 --reload
 ```
""",
    ),
    (
        111,
        SKY,
        STY,
        "Import order is off here (stdlib after third-party). `ruff check --fix` "
        "will sort it.",
        """\
@@ -1,5 +1,7 @@
 from fastapi import APIRouter
+import json
+import os
 from pydantic import BaseModel
""",
    ),
    (
        112,
        SKY,
        Q,
        "Why `maxsize=128`? Is that from something we measured or just the default? "
        "Fine either way, just curious how many themes we expect.",
        """\
@@ -14,5 +14,6 @@ from functools import lru_cache
+@lru_cache(maxsize=128)
 def load_theme(name: str) -> Theme:
     path = THEMES_DIR / f"{name}.toml"
""",
    ),
    (
        113,
        SKY,
        PR,
        "Thanks, fixed in 3f2a9c1.",
        """\
@@ -30,4 +30,6 @@ def resample(frame, rule):
     frame = frame.sort_index()
+    tmp_res = frame.resample(rule).mean()
""",
    ),
    (
        114,
        SKY,
        FD,
        "`json.dumps(panel.options)` will blow up on the `Decimal` thresholds that "
        "come back from Postgres `numeric` columns — same crash as #412. Pass "
        "`default=str` or convert in `PanelOptions.to_dict()`.",
        """\
@@ -201,6 +201,8 @@ class PanelSerializer:
     def dump(self, panel):
+        options = json.dumps(panel.options)
+        return {"id": panel.id, "options": options}
""",
    ),
    (
        115,
        SKY,
        RD,
        "`self.points.sort()` inside `add_point` makes a batch insert O(n² log n). "
        "Nothing reads the buffer until `flush()`, so just append here and sort once "
        "when flushing.",
        """\
@@ -33,6 +33,8 @@ class WriteBuffer:
     def add_point(self, point: Point) -> None:
         self.points.append(point)
+        self.points.sort(key=attrgetter("ts"))
         if len(self.points) >= self.max_size:
             self.flush()
""",
    ),
    (
        116,
        SKY,
        DOC,
        "Can you add a CHANGELOG entry under *Unreleased*? Default retention going "
        "from 30 to 14 days is something self-hosters will definitely want to read "
        "about before upgrading.",
        """\
@@ -12,7 +12,7 @@ class Settings(BaseSettings):
     database_url: str
-    retention_days: int = 30
+    retention_days: int = 14
     max_panels: int = 64
""",
    ),
    (
        117,
        SKY,
        STY,
        """\
nit:
```suggestion
    if not series:
```
""",
        """\
@@ -95,5 +95,7 @@ def summarize(series):
+    if len(series) == 0:
+        return Summary.empty()
""",
    ),
    (
        118,
        SKY,
        Q,
        "Is the plan to drop the v1 `/api/query` endpoint once this lands, or keep "
        "both for a release? Would be good to decide before we document the new "
        "one.",
        "",
    ),
    (
        119,
        SKY,
        FD,
        """\
Two workers can both read `status == "pending"` and both start the export; nothing \
between the check and the `save()` prevents it.

Could this be a single `UPDATE exports SET status='running' WHERE id=$1 AND \
status='pending' RETURNING id` and bail out if no row comes back?
""",
        """\
@@ -52,8 +52,11 @@ async def run_export(export_id):
     export = await Export.get(export_id)
+    if export.status != "pending":
+        return
+    export.status = "running"
+    await export.save()
""",
    ),
    (
        120,
        SKY,
        RD,
        "I'd rather `render_png` didn't know about HTTP. Return `bytes` and let the "
        "route set `Content-Type` — then `skyline snapshot` on the CLI can reuse it "
        "without faking a `Response`.",
        """\
@@ -18,6 +18,12 @@ from fastapi.responses import Response
-def render_png(panel):
-    return chart.to_png(panel)
+def render_png(panel) -> Response:
+    data = chart.to_png(panel)
+    return Response(content=data, media_type="image/png")
""",
    ),
    (
        121,
        SKY,
        PR,
        "Nice cleanup, much easier to follow now 👍",
        """\
@@ -33,12 +33,8 @@ class WriteBuffer:
-    def add_point(self, point):
-        if point is None:
-            return
-        else:
-            self.points.append(point)
+    def add_point(self, point: Point) -> None:
+        self.points.append(point)
""",
    ),
    (
        122,
        SKY,
        FD,
        "`filters=[]` as a default is shared between calls, and line 47 appends to "
        "it — so filters from one request leak into the next. Use `None` and create "
        "the list inside.",
        """\
@@ -40,6 +40,8 @@ from .sql import Select
-def build_query(metric):
+def build_query(metric, filters=[]):
     q = Select("points").where(metric=metric)
""",
    ),
    (
        123,
        SKY,
        RD,
        "Every `PanelType` subclass overrides `default_options()` just to "
        "return a constant dict. A class attribute (`DEFAULT_OPTIONS: "
        "ClassVar[dict]`) merged in the base class would remove six "
        "near-identical methods.",
        """\
@@ -30,6 +30,10 @@ class HeatmapPanel(PanelType):
+    def default_options(self) -> dict:
+        return {"palette": "viridis", "buckets": 20, "log_scale": False}
""",
    ),
    # mossy/pg-tiny: a small pure-Python PostgreSQL client
    (
        201,
        PGT,
        FD,
        "The length field in the message header counts its own 4 bytes, so "
        "`_recv_exact(length)` reads 4 bytes into the next message and the stream "
        "desyncs on the following read. The old `length - 4` was right.",
        """\
@@ -66,8 +66,8 @@ class Connection:
     def _read_message(self):
         header = self._recv_exact(5)
         kind = header[:1]
         (length,) = struct.unpack("!i", header[1:5])
-        payload = self._recv_exact(length - 4)
+        payload = self._recv_exact(length)
         return kind, payload
""",
    ),
    (
        202,
        PGT,
        FD,
        "`schema` comes straight from the DSN query string, so this f-string is an "
        "injection vector (`?schema=public;DROP TABLE users`). Please run it "
        "through `quote_ident()` from `pgtiny.sql`.",
        """\
@@ -120,6 +120,8 @@ def connect(dsn: str, **kwargs) -> Connection:
     conn = Connection(params)
     conn.startup()
+    if schema := params.get("schema"):
+        conn.execute(f"SET search_path TO {schema}")
     return conn
""",
    ),
    (
        203,
        PGT,
        RD,
        "There are three copies of the `while len(buf) < n: buf += sock.recv(...)` "
        "loop now (`_recv_exact`, `_read_startup`, `copy_out`). Can the other two "
        "go through `_recv_exact`?",
        """\
@@ -210,6 +210,12 @@ class Connection:
     def copy_out(self, sql, sink):
         self._send(b"Q", sql.encode() + b"\\0")
+        buf = b""
+        while len(buf) < 5:
+            buf += self.sock.recv(65536)
""",
    ),
    (
        204,
        PGT,
        STY,
        "nit: `l` is easy to misread as `1` — `length`?",
        """\
@@ -71,4 +71,5 @@ class Connection:
+        l = int.from_bytes(data[1:5], "big")
""",
    ),
    (
        205,
        PGT,
        DOC,
        "The docstring says parameters use `%s` placeholders, but the code and the "
        "tests use `$1`, `$2`. Please fix it before this ends up in the API "
        "reference.",
        '''\
@@ -150,6 +150,10 @@ class Connection:
     def execute(self, sql: str, *params):
+        """Run ``sql`` with ``params``.
+
+        Placeholders are written ``%s`` and are bound server side.
+        """
''',
    ),
    (
        206,
        PGT,
        Q,
        "Would it make sense to do `sslmode=verify-full` in this PR too, or keep it "
        "to `require` and do certificate verification separately?",
        """\
@@ -95,6 +95,10 @@ def _open_socket(params):
+    if params.get("sslmode") == "require":
+        ctx = ssl.create_default_context()
+        ctx.check_hostname = False
+        ctx.verify_mode = ssl.CERT_NONE
""",
    ),
    (207, PGT, PR, "lgtm", ""),
    (
        208,
        PGT,
        FD,
        """\
What happens if the server sends an `ErrorResponse` in the middle of `COPY OUT`? \
There's no `case b"E"` in this `match`, so I think we'd loop forever waiting for \
`CopyDone`.

Should raise `DatabaseError` and drain until `ReadyForQuery`.
""",
        """\
@@ -220,9 +220,14 @@ class Connection:
         while True:
             kind, payload = self._read_message()
             match kind:
                 case b"d":
                     sink.write(payload)
+                case b"c":
+                    break
""",
    ),
    (
        209,
        PGT,
        RD,
        "`Connection` is collecting a lot of concerns (protocol parsing, type "
        "conversion, pool hooks). How about moving the `_decode_*` functions into a "
        "`types.py` registry keyed by OID? That would also let users register "
        "decoders for their own types.",
        """\
@@ -300,6 +300,18 @@ class Connection:
+    def _decode_numeric(self, raw: bytes) -> Decimal:
+        return Decimal(raw.decode())
+
+    def _decode_uuid(self, raw: bytes) -> UUID:
+        return UUID(raw.decode())
""",
    ),
    (
        210,
        PGT,
        STY,
        "Use an f-string here, the rest of the module already moved off "
        "`%`-formatting.",
        """\
@@ -88,4 +88,5 @@ class Connection:
+        log.debug("sending %s bytes to %s" % (len(data), self.host))
""",
    ),
    (
        211,
        PGT,
        FD,
        "`connect_timeout` is parsed from the DSN but never passed to "
        "`create_connection`, so `connect()` to a dead host now hangs forever "
        "(before this PR we at least had the 10s default).",
        """\
@@ -101,7 +101,7 @@ def _open_socket(params):
     host, port = params["host"], int(params.get("port", 5432))
-    sock = socket.create_connection((host, port), timeout=10)
+    sock = socket.create_connection((host, port))
     sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
""",
    ),
    (
        212,
        PGT,
        DOC,
        "README still shows `pgtiny.connect(host=..., db=...)`; the keyword was "
        "renamed to `dbname` in this PR.",
        """\
@@ -20,7 +20,7 @@ Quick start
 import pgtiny
 conn = pgtiny.connect(host="localhost", db="app")
""",
    ),
    (
        213,
        PGT,
        RD,
        "A `raw=True` flag that changes the return type from `list[Row]` to "
        "`list[bytes]` is hard to type and easy to misuse. I'd add a separate "
        "`fetch_raw()` instead.",
        """\
@@ -170,5 +170,9 @@ class Connection:
-    def fetch(self, sql, *params):
+    def fetch(self, sql, *params, raw=False):
         rows = self._run(sql, params)
+        if raw:
+            return [r.buffer for r in rows]
""",
    ),
    (
        214,
        PGT,
        Q,
        "How does this behave behind PgBouncer in transaction mode? IIRC named "
        "prepared statements don't survive there. Maybe none of our users care, "
        "just want to make sure we thought about it.",
        """\
@@ -180,4 +180,8 @@ class Connection:
+    def prepare(self, name: str, sql: str) -> Statement:
+        self._send(b"P", name.encode() + b"\\0" + sql.encode() + b"\\0\\0\\0")
""",
    ),
    (
        215,
        PGT,
        FD,
        "Hardcoding `utf-8` breaks on a `SQL_ASCII` database with latin-1 data — "
        "`decode()` will raise mid-result. We receive `client_encoding` in "
        "`ParameterStatus`; let's use that.",
        """\
@@ -310,5 +310,5 @@ class Connection:
     def _decode_text(self, raw: bytes) -> str:
-        return raw.decode(self.encoding)
+        return raw.decode("utf-8")
""",
    ),
    (
        216,
        PGT,
        PR,
        "Done.",
        """\
@@ -71,4 +71,5 @@ class Connection:
+        l = int.from_bytes(data[1:5], "big")
""",
    ),
    (
        217,
        PGT,
        STY,
        "`isinstance(value, (int, float))` rather than `type(value) in (int, float)`.",
        """\
@@ -40,5 +40,7 @@ def encode_param(value):
+    if type(value) in (int, float):
+        return str(value).encode()
""",
    ),
    (
        218,
        PGT,
        RD,
        "The pool lock is held across the whole `acquire()`, including opening a "
        "new TCP connection + auth. Under load that serialises every new "
        "connection. Only the free-list pop/append needs to be inside the lock.",
        """\
@@ -30,8 +30,12 @@ class Pool:
     def acquire(self) -> Connection:
         with self._lock:
             if self._free:
                 return self._free.pop()
+            conn = connect(self.dsn)
+            self._in_use.add(conn)
+            return conn
""",
    ),
    (
        219,
        PGT,
        DOC,
        "`# TODO(bob): remove` — who's bob? 🙂 Could you link the issue instead, so "
        "whoever finds this knows when it's safe to delete?",
        """\
@@ -12,4 +12,5 @@ import struct
+# TODO(bob): remove
 LEGACY_AUTH = True
""",
    ),
    (
        220,
        PGT,
        PR,
        "+1",
        """\
@@ -30,8 +30,8 @@ class Pool:
     def acquire(self) -> Connection:
-        with self._lock:
-            if self._free:
-                return self._free.pop()
+        with self._lock:
+            conn = self._free.pop() if self._free else None
+        return conn or self._connect()
""",
    ),
    (
        221,
        PGT,
        RD,
        "A `dict` per row dominates memory on large results (1M rows ≈ 400 MB "
        "in the benchmark). Building one lightweight `Row` class per "
        "`RowDescription` — tuple storage plus a shared name→index map — "
        "would cut that substantially.",
        """\
@@ -240,6 +240,9 @@ class Connection:
             case b"D":
                 values = self._parse_data_row(payload)
+                rows.append(dict(zip(columns, values)))
""",
    ),
    # hollowpine/feedcrawler: async RSS/Atom crawler
    (
        301,
        FEED,
        FD,
        """\
If one feed raises, `gather` propagates the first exception and the other tasks \
keep running unobserved — we lose their results and get `Task exception was never \
retrieved` in the logs.

Either pass `return_exceptions=True` and handle them, or use an `asyncio.TaskGroup`.
""",
        """\
@@ -44,6 +44,8 @@ class Crawler:
     async def crawl(self, feeds):
         tasks = [self.fetch_feed(f) for f in feeds]
+        results = await asyncio.gather(*tasks)
+        return [r for r in results if r]
""",
    ),
    (
        302,
        FEED,
        RD,
        "Each `fetch_feed` call creates its own `ClientSession`, so we never reuse "
        "connections. Sessions are meant to be long-lived — create one in "
        "`Crawler.__aenter__` and pass it down.",
        """\
@@ -60,6 +60,8 @@ class Crawler:
     async def fetch_feed(self, feed):
+        async with aiohttp.ClientSession(headers=self.headers) as session:
+            async with session.get(feed.url) as resp:
""",
    ),
    (
        303,
        FEED,
        FD,
        "`feed.last_fetched` is a naive local datetime, so this formats local time "
        "but labels it `GMT`. Servers east of us will answer 304 for feeds that "
        "actually changed. Store it as UTC or convert before formatting.",
        """\
@@ -70,5 +70,7 @@ class Crawler:
         headers = {}
+        if feed.last_fetched:
+            headers["If-Modified-Since"] = feed.last_fetched.strftime(
+                "%a, %d %b %Y %H:%M:%S GMT"
+            )
""",
    ),
    (
        304,
        FEED,
        STY,
        """\
nit:
```suggestion
        is_ok = resp.status == 200
```
""",
        """\
@@ -81,4 +81,5 @@ class Crawler:
+        is_ok = True if resp.status == 200 else False
""",
    ),
    (
        305,
        FEED,
        DOC,
        "Could you document the unit of `max_age`? The code treats it as seconds "
        'but the CLI help says "days".',
        """\
@@ -15,6 +15,8 @@ def prune(store, max_age):
+    cutoff = time.time() - max_age
+    store.delete_older_than(cutoff)
""",
    ),
    (
        306,
        FEED,
        Q,
        "Should we respect `robots.txt` for feed URLs at all? Most aggregators "
        "don't, but we publish a user agent with a contact address. Happy to defer "
        "this to a separate issue.",
        """\
@@ -60,6 +60,8 @@ class Crawler:
     async def fetch_feed(self, feed):
+        headers = {"User-Agent": USER_AGENT}
+        async with self.session.get(feed.url, headers=headers) as resp:
""",
    ),
    (
        307,
        FEED,
        FD,
        "This retries on *every* exception, including the `ValueError` the XML "
        "parser raises on a malformed feed — so a broken feed gets fetched 5 times "
        "with backoff (~30s per run). Only retry on `aiohttp.ClientError` and "
        "`asyncio.TimeoutError`.",
        """\
@@ -90,7 +90,10 @@ class Crawler:
         for attempt in range(self.retries):
             try:
                 return await self._fetch_and_parse(feed)
-            except aiohttp.ClientError:
+            except Exception:
                 await asyncio.sleep(2**attempt)
""",
    ),
    (
        308,
        FEED,
        RD,
        "`entry.id in [e.id for e in seen]` builds a list and scans it for every "
        "entry — quadratic for big feeds. Keep a `seen_ids: set[str]` next to "
        "`seen`.",
        """\
@@ -120,5 +120,7 @@ def dedupe(entries, seen):
     fresh = []
     for entry in entries:
+        if entry.id in [e.id for e in seen]:
+            continue
""",
    ),
    (
        309,
        FEED,
        PR,
        "Thanks for picking this up!",
        """\
@@ -60,6 +60,8 @@ class Crawler:
     async def fetch_feed(self, feed):
+        async with aiohttp.ClientSession(headers=self.headers) as session:
+            async with session.get(feed.url) as resp:
""",
    ),
    (
        310,
        FEED,
        FD,
        "`urljoin` is applied to `<link>` but not to enclosures, so relative "
        "podcast enclosures get stored as `/media/ep12.mp3` and the downloader "
        "can't fetch them.",
        """\
@@ -140,6 +140,9 @@ def parse_item(node, base_url):
     link = urljoin(base_url, node.findtext("link", ""))
+    enclosures = [
+        Enclosure(url=e.get("url"), type=e.get("type"))
+        for e in node.findall("enclosure")
+    ]
""",
    ),
    (
        311,
        FEED,
        DOC,
        'Small typo in the docstring: "recieved" → "received".',
        '''\
@@ -52,6 +52,7 @@ class FetchResult:
+    """Body and headers of a feed as recieved from the server."""
''',
    ),
    (
        312,
        FEED,
        STY,
        """\
```suggestion
        for index, entry in enumerate(entries):
```
rather than keeping `i` by hand.
""",
        """\
@@ -160,5 +160,8 @@ def assign_positions(entries):
+        i = 0
+        for entry in entries:
+            entry.position = i
+            i += 1
""",
    ),
    (
        313,
        FEED,
        RD,
        "I'd make `Storage` a `typing.Protocol` instead of an ABC: the sqlite and "
        "memory backends share no implementation, and with a Protocol the tests "
        "can pass a plain fake without subclassing.",
        """\
@@ -1,6 +1,14 @@
+from abc import ABC, abstractmethod
+
+class Storage(ABC):
+    @abstractmethod
+    def save(self, feed_id: str, entries: list[Entry]) -> None: ...
""",
    ),
    (
        314,
        FEED,
        Q,
        "What's the motivation for dropping `feedparser` in favour of our own "
        "parser — speed, or the dependency footprint? Worth a sentence in the PR "
        "description either way.",
        """\
@@ -1,6 +1,6 @@
-import feedparser
+from .parser import parse_feed
 import aiohttp
""",
    ),
    (
        315,
        FEED,
        FD,
        "The new ETag is stored before we know the body parsed. If parsing fails we "
        "still save it, the next run gets a 304, and the broken content is never "
        "retried. Move this after `parse_feed` succeeds.",
        """\
@@ -100,6 +100,7 @@ class Crawler:
         body = await resp.read()
+        feed.etag = resp.headers.get("ETag")
         entries = parse_feed(body, feed.url)
""",
    ),
    (
        316,
        FEED,
        RD,
        "`crawl_one()` is ~140 lines now doing fetch, parse, dedupe and persist "
        "inline. Splitting it into `fetch → parse → store` stages would let us "
        "test the retry logic without mocking the database.",
        """\
@@ -40,6 +40,40 @@ class Crawler:
+    async def crawl_one(self, feed):
+        for attempt in range(self.retries):
+            try:
+                async with self.session.get(feed.url, headers=headers) as resp:
+                    body = await resp.read()
""",
    ),
    (
        317,
        FEED,
        PR,
        "CI is green ✅ will merge once @mira approves.",
        "",
    ),
    (
        318,
        FEED,
        DOC,
        "The example in `docs/config.md` still uses `concurrency: 10`; the key is "
        "`max_concurrency` after this change.",
        """\
@@ -22,5 +22,5 @@ class Config(BaseModel):
-    concurrency: int = 10
+    max_concurrency: int = 10
""",
    ),
    (
        319,
        FEED,
        STY,
        "nit: `pathlib.Path` like the rest of the module; the `os.path.join` "
        "sticks out.",
        """\
@@ -30,4 +30,5 @@ def cache_path(root, feed_id):
+    return os.path.join(root, "cache", f"{feed_id}.xml")
""",
    ),
    (
        320,
        FEED,
        FD,
        "`ClientTimeout(total=None)` disables the timeout completely. One stalled "
        "server now holds a semaphore slot forever, and after `max_concurrency` of "
        "those the crawl stops making progress.",
        """\
@@ -36,5 +36,5 @@ class Crawler:
-        self.timeout = aiohttp.ClientTimeout(total=30)
+        self.timeout = aiohttp.ClientTimeout(total=None, sock_connect=10)
""",
    ),
    (
        321,
        FEED,
        Q,
        "Do we want OPML import in this PR or as a follow-up? It feels like a "
        "separate concern, and this one is already pretty big.",
        """\
@@ -0,0 +1,20 @@
+\"\"\"Import subscriptions from an OPML file.\"\"\"
+import xml.etree.ElementTree as ET
""",
    ),
    (
        322,
        FEED,
        RD,
        "`86400 * 7` is now in three places (`prune`, `Config`, the CLI default). "
        "A single `DEFAULT_MAX_AGE = timedelta(days=7)` would keep them in sync.",
        """\
@@ -60,4 +60,5 @@ def main(argv=None):
+    parser.add_argument("--max-age", type=int, default=86400 * 7)
""",
    ),
    # lumen-ai/tokenkit: tokenizer training and encoding utilities
    (
        401,
        TOK,
        FD,
        "When two pairs have the same count, `max(pairs, key=pairs.get)` returns "
        "whichever was inserted first, which depends on corpus order. So training "
        "on a shuffled corpus gives different merges. Break ties on the pair "
        "itself: `max(pairs, key=lambda p: (pairs[p], p))`.",
        """\
@@ -48,6 +48,7 @@ def train_bpe(words, num_merges):
     for _ in range(num_merges):
         pairs = count_pairs(words)
+        best = max(pairs, key=pairs.get)
""",
    ),
    (
        402,
        TOK,
        FD,
        "`encode('utf-8')[:max_bytes]` can cut a multi-byte character in half, "
        "and then `.decode()` raises `UnicodeDecodeError`. Try it with "
        '`truncate("héllo", 2)`.',
        """\
@@ -12,4 +12,6 @@ def truncate(text: str, max_bytes: int) -> str:
+    data = text.encode("utf-8")[:max_bytes]
+    return data.decode("utf-8")
""",
    ),
    (
        403,
        TOK,
        RD,
        "The vocab JSON is parsed in every `Tokenizer.__init__`, and the server "
        "builds a tokenizer per request. Could we cache `load_vocab(path)` or let "
        "the constructor take a preloaded `Vocab`?",
        """\
@@ -20,6 +20,8 @@ class Tokenizer:
     def __init__(self, vocab_path: str, merges_path: str):
+        with open(vocab_path, encoding="utf-8") as fh:
+            self.vocab = json.load(fh)
""",
    ),
    (
        404,
        TOK,
        STY,
        "nit: `TOKEN_pattern` → `TOKEN_PATTERN`",
        """\
@@ -5,3 +5,4 @@ import regex
+TOKEN_pattern = regex.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+")
""",
    ),
    (
        405,
        TOK,
        DOC,
        "Please say in the docstring that `offsets` are character offsets, not "
        "byte offsets. Some HF tokenizers return byte offsets and people will "
        "assume the same here.",
        '''\
@@ -70,6 +70,9 @@ class Tokenizer:
     def encode_with_offsets(self, text):
+        """Encode ``text`` and return ``(ids, offsets)``."""
''',
    ),
    (406, TOK, PR, "🎉", ""),
    (
        407,
        TOK,
        Q,
        "Is the order of `special_tokens` significant? If `['<eos>', '<pad>']` and "
        "the reverse give different ids we should document that; if not, maybe "
        "sort them so it never matters.",
        """\
@@ -30,4 +30,7 @@ class Tokenizer:
+        for token in special_tokens:
+            self.vocab.setdefault(token, len(self.vocab))
""",
    ),
    (
        408,
        TOK,
        RD,
        "`if kind == 'bpe': ... elif kind == 'wordpiece': ...` now shows up in "
        "`encode`, `decode`, `save` and `from_pretrained`. A small `Model` base "
        "class with `encode_word`/`decode_ids` would get rid of all four branches.",
        """\
@@ -90,6 +90,12 @@ class Tokenizer:
     def decode(self, ids):
+        if self.kind == "bpe":
+            return self._decode_bpe(ids)
+        elif self.kind == "wordpiece":
+            return self._decode_wordpiece(ids)
""",
    ),
    (
        409,
        TOK,
        FD,
        "`str.split()` with no argument collapses runs of whitespace, so "
        "`decode(encode(text))` no longer round-trips for text with double spaces, "
        "tabs or newlines. The round-trip test only uses single spaces, which is "
        "why it still passes.",
        """\
@@ -40,5 +40,5 @@ def pre_tokenize(text):
-    return TOKEN_PATTERN.findall(text)
+    return text.split()
""",
    ),
    (
        410,
        TOK,
        STY,
        "`list[int]` rather than `typing.List[int]`; we're 3.11+ and the rest of "
        "the package uses the builtins.",
        """\
@@ -1,5 +1,6 @@
+from typing import List
@@ -60,4 +61,4 @@ class Tokenizer:
-    def encode(self, text: str) -> list[int]:
+    def encode(self, text: str) -> List[int]:
""",
    ),
    (
        411,
        TOK,
        DOC,
        "The changelog says `add_tokens` returns the number of tokens added, but "
        "it returns the list of new ids.",
        """\
@@ -3,6 +3,8 @@
 ## Unreleased
+- `Tokenizer.add_tokens()` now returns the number of tokens added.
""",
    ),
    (
        412,
        TOK,
        FD,
        "The cache key is just `text`, but the result also depends on "
        "`add_special_tokens`. `encode(x)` followed by "
        "`encode(x, add_special_tokens=False)` returns the cached ids *with* "
        "BOS/EOS.",
        """\
@@ -60,6 +60,9 @@ class Tokenizer:
     def encode(self, text, add_special_tokens=True):
+        if text in self._cache:
+            return self._cache[text]
""",
    ),
    (
        413,
        TOK,
        RD,
        "If we're changing the on-disk format anyway, could we write one "
        "`tokenizer.json` instead of `vocab.json` + `merges.txt`? One file is "
        "easier to version and to load atomically.",
        """\
@@ -110,6 +110,10 @@ class Tokenizer:
     def save(self, directory):
+        (directory / "vocab.json").write_text(json.dumps(self.vocab))
+        (directory / "merges.txt").write_text(self._merges_text())
""",
    ),
    (
        414,
        TOK,
        Q,
        "Out of curiosity, why byte-level fallback instead of `<unk>`? I don't "
        "object, but it adds 256 entries to every vocab and I'd like to understand "
        "the trade-off.",
        """\
@@ -25,5 +25,8 @@ class Tokenizer:
+        for b in range(256):
+            self.vocab.setdefault(f"<0x{b:02X}>", len(self.vocab))
""",
    ),
    (
        415,
        TOK,
        PR,
        "Thanks, that's much clearer.",
        '''\
@@ -70,6 +70,10 @@ class Tokenizer:
     def encode_with_offsets(self, text):
+        """Encode ``text`` and return ``(ids, offsets)``.
+
+        Offsets are character offsets into ``text``, not byte offsets.
+        """
''',
    ),
    (
        416,
        TOK,
        STY,
        """\
nit, a comprehension reads better than the append loop:
```suggestion
        return [self.vocab[t] for t in tokens]
```
""",
        """\
@@ -80,5 +80,8 @@ class Tokenizer:
+        ids = []
+        for t in tokens:
+            ids.append(self.vocab[t])
+        return ids
""",
    ),
    (
        417,
        TOK,
        FD,
        "`pickle.load` on a path that comes from `--tokenizer` is arbitrary code "
        "execution if someone points it at an untrusted file (and people *will* "
        "download tokenizers from the internet). We already have the JSON format; "
        "please don't add a pickle path.",
        """\
@@ -20,5 +20,8 @@ def load(path):
+    if path.endswith(".pkl"):
+        with open(path, "rb") as fh:
+            return pickle.load(fh)
""",
    ),
    (
        418,
        TOK,
        RD,
        "Rescanning all pairs after each merge is O(V·M). A heap keyed by count "
        "(with lazy invalidation) gets this close to O(M log V) — with 50k merges "
        "this loop is 90% of the profile.",
        """\
@@ -48,6 +48,9 @@ def train_bpe(words, num_merges):
     for _ in range(num_merges):
         pairs = count_pairs(words)
         best = max(pairs, key=lambda p: (pairs[p], p))
+        words = apply_merge(words, best)
""",
    ),
    (
        419,
        TOK,
        RD,
        "`normalize()` now runs in `encode()` and again in `encode_batch()`, "
        "which calls `encode()`. It's idempotent so nothing breaks, but "
        "normalisation belongs in `pre_tokenize` — one call site, one place to "
        "configure it.",
        """\
@@ -100,6 +100,8 @@ class Tokenizer:
     def encode_batch(self, texts):
+        texts = [unicodedata.normalize("NFC", t) for t in texts]
         return [self.encode(t) for t in texts]
""",
    ),
    (
        420,
        TOK,
        Q,
        "Should `decode` skip special tokens by default? HF defaults to "
        "`skip_special_tokens=False` and people trip over it all the time, but "
        "matching HF might still be the least surprising option. Thoughts?",
        """\
@@ -90,5 +90,5 @@ class Tokenizer:
-    def decode(self, ids):
+    def decode(self, ids, skip_special_tokens=True):
""",
    ),
    (
        421,
        TOK,
        PR,
        """\
## Codecov Report
Patch coverage: **94.12%** of modified lines in pull request #318 are covered.
Project coverage is 88.40% (+0.31%) compared to base `a1c9e07`.
""",
        "",
    ),
    (
        422,
        TOK,
        DOC,
        "Could the module docstring show `train_bpe` on a tiny in-memory corpus? "
        "The README only demonstrates the CLI and people keep asking how to "
        "train from Python.",
        """\
@@ -1,3 +1,5 @@
+\"\"\"Byte-pair encoding: training and merges.\"\"\"
+
 from collections import Counter
""",
    ),
]
