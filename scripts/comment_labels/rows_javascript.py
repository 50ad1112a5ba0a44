"""Hand-labelled review comments from JavaScript repositories.

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

BRAMBLE = "brambleio/bramble"
MDLINT = "nightjar/mdlint"
BUDGET = "copperfield/bundle-budget"

REPOS = {BRAMBLE: "JavaScript", MDLINT: "JavaScript", BUDGET: "JavaScript"}

ROWS = [
    # brambleio/bramble: Express middleware collection
    (
        1901,
        BRAMBLE,
        FD,
        "The token is only checked for `POST`, so `PUT`, `PATCH` and `DELETE` "
        "are completely unprotected. Check "
        "`!SAFE_METHODS.has(req.method)` instead.",
        """\
@@ -22,6 +22,9 @@ function csrf(options = {}) {
   return function csrfMiddleware(req, res, next) {
+    if (req.method !== 'POST') {
+      return next();
+    }
""",
    ),
    (
        1902,
        BRAMBLE,
        FD,
        "Missing `return` — after sending the 400 we fall through to `next()`, "
        "the route handler responds again and Express logs "
        "`ERR_HTTP_HEADERS_SENT`.",
        """\
@@ -40,6 +40,9 @@ function validateBody(schema) {
     const { error } = schema.validate(req.body);
+    if (error) {
+      res.status(400).json({ error: error.message });
+    }
     next();
""",
    ),
    (
        1903,
        BRAMBLE,
        RD,
        "`session`, `csrf` and `locale` each parse `req.headers.cookie` "
        "themselves. Could they share a `getCookies(req)` that memoises on "
        "`req`, or just require `cookieParser` earlier in the chain?",
        """\
@@ -15,5 +15,7 @@ function locale(options = {}) {
+    const cookies = cookie.parse(req.headers.cookie || '');
+    const lang = cookies[options.cookieName] || negotiate(req);
""",
    ),
    (
        1904,
        BRAMBLE,
        STY,
        "nit: missing semicolon (rest of the file uses them).",
        """\
@@ -30,4 +30,5 @@ function requestId(options = {}) {
+    res.setHeader(header, id)
""",
    ),
    (
        1905,
        BRAMBLE,
        DOC,
        "The JSDoc says `@returns {Promise<void>}`, but this returns the "
        "middleware function synchronously.",
        """\
@@ -5,6 +5,11 @@
+/**
+ * Creates the session middleware.
+ * @param {SessionOptions} options
+ * @returns {Promise<void>}
+ */
 function session(options = {}) {
""",
    ),
    (
        1906,
        BRAMBLE,
        Q,
        "Should we honour an incoming `X-Request-Id` from the load balancer, or "
        "always generate our own? Trusting it helps tracing across services but "
        "lets any client pick IDs.",
        """\
@@ -28,4 +28,5 @@ function requestId(options = {}) {
+    const id = crypto.randomUUID();
""",
    ),
    (1907, BRAMBLE, PR, "LGTM", ""),
    (
        1908,
        BRAMBLE,
        FD,
        "`Math.random().toString(36)` is neither cryptographically secure nor "
        "long enough (~50 bits) for a session ID — they're guessable. Use "
        "`crypto.randomBytes(32).toString('base64url')`.",
        """\
@@ -50,5 +50,6 @@ function session(options = {}) {
     if (!sid) {
+      sid = Math.random().toString(36).slice(2);
""",
    ),
    (
        1909,
        BRAMBLE,
        RD,
        "Every middleware merges options with `Object.assign({}, defaults, "
        "opts)`, and nested objects like `cookie` get replaced wholesale, "
        "differently in each one. A shared `resolveOptions(defaults, opts)` "
        "would make this consistent.",
        """\
@@ -10,4 +10,5 @@ function session(options = {}) {
+  const opts = Object.assign({}, DEFAULTS, options);
""",
    ),
    (
        1910,
        BRAMBLE,
        FD,
        "`res.statusCode` is read right after `next()` returns, before the "
        "handler has responded (async handlers especially), so every line logs "
        "200. Log from `res.on('finish', ...)`.",
        """\
@@ -12,6 +12,9 @@ function accessLog(options = {}) {
     const start = process.hrtime.bigint();
+    next();
+    const ms = Number(process.hrtime.bigint() - start) / 1e6;
+    logger.info(`${req.method} ${req.url} ${res.statusCode} ${ms}ms`);
""",
    ),
    (
        1911,
        BRAMBLE,
        STY,
        "nit: `const`",
        """\
@@ -18,4 +18,5 @@ function rateLimit(options = {}) {
+  var hits = new Map();
""",
    ),
    (
        1912,
        BRAMBLE,
        DOC,
        "README: the option is `trustProxy`, not `trustProxies`.",
        """\
@@ -72,5 +72,6 @@ app.use(bramble.rateLimit({
   max: 100,
+  trustProxies: true,
 }));
""",
    ),
    (
        1913,
        BRAMBLE,
        RD,
        "The memory store is fine for development, but `session()` silently uses "
        "it in production too. I'd make `store` required when `NODE_ENV` is "
        "`production` (or at least warn once), like express-session does.",
        """\
@@ -12,5 +12,6 @@ function session(options = {}) {
   const opts = resolveOptions(DEFAULTS, options);
+  const store = opts.store || new MemoryStore();
""",
    ),
    (
        1914,
        BRAMBLE,
        Q,
        "Are we planning to support Express 5? Its async error handling would "
        "let us drop `wrapAsync` entirely.",
        "",
    ),
    (
        1915,
        BRAMBLE,
        FD,
        "This interval keeps the process alive: the test suite hangs after the "
        "last test and `server.close()` no longer lets Node exit. Call "
        "`.unref()` on it (and clear it in `store.close()`).",
        """\
@@ -20,5 +20,8 @@ class MemoryStore {
     this.sessions = new Map();
+    setInterval(() => this.prune(), this.pruneInterval);
""",
    ),
    (
        1916,
        BRAMBLE,
        PR,
        "Thanks, good catch!",
        """\
@@ -40,6 +40,9 @@ function validateBody(schema) {
     const { error } = schema.validate(req.body);
+    if (error) {
+      res.status(400).json({ error: error.message });
+    }
     next();
""",
    ),
    (
        1917,
        BRAMBLE,
        STY,
        "Arrow functions for these callbacks, like the rest of the file?",
        """\
@@ -60,5 +60,7 @@ class MemoryStore {
+    this.sessions.forEach(function (value, key) {
+      if (value.expires < now) this.sessions.delete(key);
+    }, this);
""",
    ),
    (
        1918,
        BRAMBLE,
        RD,
        "`rateLimit` and `slowDown` both implement a sliding-window counter, with "
        "slightly different off-by-one behaviour at the window edge. Extract a "
        "`WindowCounter` that both use.",
        """\
@@ -10,6 +10,10 @@ function slowDown(options = {}) {
+  const windows = new Map();
+  return function slowDownMiddleware(req, res, next) {
+    const key = options.keyGenerator(req);
+    const now = Date.now();
""",
    ),
    (
        1919,
        BRAMBLE,
        RD,
        "The factories all have different shapes now: `csrf(options)`, "
        "`session(store, options)`, `rateLimit(max, windowMs)`. Can we "
        "standardise on `factory(options)` before 1.0? Changing it later breaks "
        "everyone.",
        """\
@@ -5,5 +5,5 @@ const { resolveOptions } = require('./options');
-function rateLimit(options = {}) {
+function rateLimit(max, windowMs, options = {}) {
""",
    ),
    # nightjar/mdlint: Markdown linter
    (
        2001,
        MDLINT,
        FD,
        "This regex also matches lines inside fenced code blocks, so a shell "
        "comment like `# install deps` in a ```` ```bash ```` block triggers "
        "MD025 (multiple top-level headings). The rule should skip tokens inside "
        "fences.",
        """\
@@ -8,6 +8,9 @@ module.exports = {
   check(lines, report) {
     lines.forEach((line, i) => {
+      if (/^#\\s/.test(line)) {
+        topLevel.push(i + 1);
+      }
""",
    ),
    (
        2002,
        MDLINT,
        FD,
        "`line.length` counts UTF-16 code units, so every emoji counts as 2 "
        "and lines with a few emoji get flagged well below the limit. "
        "`[...line].length` (code points) is closer to what people expect.",
        """\
@@ -12,5 +12,6 @@ module.exports = {
+      if (line.length > options.lineLength) {
""",
    ),
    (
        2003,
        MDLINT,
        RD,
        "Each rule re-splits the source into lines, and several re-run the "
        "tokenizer too. Tokenize once in `lint()` and pass `{ lines, tokens }` "
        "to every rule — that's most of the time on large files.",
        """\
@@ -20,6 +20,8 @@ function lintText(text, config) {
   for (const rule of rules) {
+    const lines = text.split('\\n');
+    rule.check(lines, report);
""",
    ),
    (
        2004,
        MDLINT,
        STY,
        "nit: single quotes, per `.prettierrc`.",
        """\
@@ -3,4 +3,5 @@ const path = require('path');
+const { glob } = require("glob");
""",
    ),
    (
        2005,
        MDLINT,
        DOC,
        "The MD013 docs say the default line length is 80, but `defaults.js` sets 100.",
        """\
@@ -1,6 +1,6 @@
 # MD013 - Line length
-Lines longer than 80 characters are reported.
+Lines longer than `lineLength` characters (default: 80) are reported.
""",
    ),
    (
        2006,
        MDLINT,
        Q,
        "Should autofix be opt-in per rule (a `fixable: true` in the rule meta, "
        "like ESLint), or just the global `--fix` flag?",
        """\
@@ -40,6 +40,9 @@ function lintText(text, config) {
+  if (config.fix) {
+    return applyFixes(text, collected.flatMap((e) => e.fixes || []));
+  }
""",
    ),
    (2007, MDLINT, PR, "Nice work 👏", ""),
    (
        2008,
        MDLINT,
        FD,
        "The fixes are applied front to back, so once the first one changes the "
        "length of the text every later `range` points at the wrong offset. "
        "Sort by `range[0]` descending and apply from the end.",
        """\
@@ -30,6 +30,10 @@ function applyFixes(text, fixes) {
+  let out = text;
+  for (const fix of fixes) {
+    out = out.slice(0, fix.range[0]) + fix.text + out.slice(fix.range[1]);
+  }
""",
    ),
    (
        2009,
        MDLINT,
        RD,
        "`rules/index.js` eagerly `require`s all 60 rules, which is most of the "
        "startup time for `mdlint --version` and the editor plugin. A map from "
        "rule id to `() => require(...)` would load only what's enabled.",
        """\
@@ -1,5 +1,8 @@
+const md001 = require('./md001');
+const md003 = require('./md003');
+const md004 = require('./md004');
""",
    ),
    (
        2010,
        MDLINT,
        FD,
        "The default ignore list isn't passed to `glob` anymore, so "
        "`mdlint '**/*.md'` now lints everything under `node_modules` too (we "
        "excluded it before this refactor).",
        """\
@@ -14,5 +14,6 @@ async function expandFiles(patterns) {
-  return glob(patterns, { ignore: DEFAULT_IGNORES, nodir: true });
+  return glob(patterns, { nodir: true });
""",
    ),
    (
        2011,
        MDLINT,
        STY,
        "nit: keep this list sorted by rule id.",
        """\
@@ -4,6 +4,7 @@ module.exports = {
   'MD001': true,
   'MD013': { lineLength: 100 },
+  'MD009': true,
   'MD025': true,
""",
    ),
    (
        2012,
        MDLINT,
        DOC,
        "Please add `no-bare-urls` to the rules table in `docs/rules.md`.",
        "",
    ),
    (
        2013,
        MDLINT,
        RD,
        "Rules push `{ line, message }` into an array they're handed. An "
        "ESLint-style `context.report({ line, column, message, fix })` would let "
        "us add columns and fixes later without touching every rule again.",
        """\
@@ -5,6 +5,10 @@ module.exports = {
   check(lines, report) {
     lines.forEach((line, i) => {
+      if (BARE_URL.test(line)) {
+        report.push({ line: i + 1, message: 'Bare URL used' });
""",
    ),
    (
        2014,
        MDLINT,
        Q,
        "What should the config file be called — `.mdlintrc` or "
        "`mdlint.config.js`? Supporting both roughly doubles the loading code, "
        "so I'd like to pick one.",
        "",
    ),
    (
        2015,
        MDLINT,
        FD,
        "`readFileSync(file, 'utf8')` keeps the BOM, so the first line starts "
        "with `U+FEFF` and MD041 (first line must be a heading) fails for every "
        "file saved by Notepad. Strip a leading BOM.",
        """\
@@ -22,5 +22,6 @@ function lintFile(file, config) {
+  const text = fs.readFileSync(file, 'utf8');
   return lintText(text, config);
""",
    ),
    (
        2016,
        MDLINT,
        PR,
        "Done, thanks for the review.",
        """\
@@ -30,6 +30,10 @@ function applyFixes(text, fixes) {
+  let out = text;
+  for (const fix of fixes) {
+    out = out.slice(0, fix.range[0]) + fix.text + out.slice(fix.range[1]);
+  }
""",
    ),
    (
        2017,
        MDLINT,
        STY,
        """\
```suggestion
    return { lines, tokens };
```
""",
        """\
@@ -40,4 +40,5 @@ function prepare(text) {
+    return { lines: lines, tokens: tokens };
""",
    ),
    (
        2018,
        MDLINT,
        DOC,
        "`CONTRIBUTING.md` still says `npm test -- --watch`; the script is "
        "`npm run test:watch` since this PR.",
        """\
@@ -8,5 +8,6 @@
     "test": "node --test",
+    "test:watch": "node --test --watch",
""",
    ),
    (
        2019,
        MDLINT,
        RD,
        "Rule metadata (`id`, `alias`, `description`, `tags`) is split between "
        "`rules/index.js` and the rule files. Keeping it all in each module "
        "(`module.exports = { meta, check }`) would make generating "
        "`docs/rules.md` trivial.",
        """\
@@ -10,5 +10,6 @@ const RULES = [
   { id: 'MD001', alias: 'heading-increment', rule: require('./md001') },
+  { id: 'MD034', alias: 'no-bare-urls', rule: require('./md034') },
""",
    ),
    (
        2020,
        MDLINT,
        Q,
        "Should `<!-- mdlint-disable MD013 -->` apply to the next line only, or "
        "until a matching `enable`? markdownlint supports both with different "
        "keywords; not sure we need both.",
        "",
    ),
    (2021, MDLINT, PR, "All contributors have signed the CLA ✍️ ✅", ""),
    # copperfield/bundle-budget: bundle size budgets for webpack and rollup
    (
        2101,
        BUDGET,
        FD,
        "Budgets are documented in KiB, but this multiplies by 1000, so a "
        "`250` budget is checked against 250,000 bytes instead of 256,000 — "
        "bundles up to 6 kB over budget pass.",
        """\
@@ -18,5 +18,6 @@ function isOverBudget(size, budget) {
+  return size > budget.maxSize * 1000;
""",
    ),
    (
        2102,
        BUDGET,
        FD,
        "`console.warn` alone doesn't fail anything, so `failOnExceed: true` "
        "has no effect: the build still exits 0. Push an error onto "
        "`compilation.errors` so webpack exits non-zero.",
        """\
@@ -40,6 +40,9 @@ class BundleBudgetPlugin {
         for (const result of results.filter((r) => r.over)) {
+          if (this.options.failOnExceed) {
+            console.warn(formatFailure(result));
+          }
""",
    ),
    (
        2103,
        BUDGET,
        RD,
        "The webpack and rollup adapters both compute gzip sizes and format the "
        "report. Move that into a bundler-agnostic `checkBudgets(assets, "
        "budgets)` and keep the adapters to collecting assets.",
        """\
@@ -1,6 +1,12 @@
+const zlib = require('zlib');
+
+function rollupBundleBudget(options = {}) {
+  return {
+    name: 'bundle-budget',
+    generateBundle(_, bundle) {
""",
    ),
    (
        2104,
        BUDGET,
        STY,
        "nit: an arrow function avoids the `const self = this`.",
        """\
@@ -30,5 +30,7 @@ class BundleBudgetPlugin {
   apply(compiler) {
+    const self = this;
+    compiler.hooks.afterEmit.tapPromise('BundleBudget', function (compilation) {
""",
    ),
    (
        2105,
        BUDGET,
        DOC,
        "The README says `path` accepts glob patterns, but the matcher compares "
        "with `===`. Either the README or the code is wrong — I'd fix the README "
        "in this PR and open an issue for glob support.",
        """\
@@ -30,5 +30,6 @@ Options
 | option | description |
+| `path` | File name or glob pattern of the asset |
""",
    ),
    (
        2106,
        BUDGET,
        Q,
        "Should budgets apply to the gzip or the brotli size by default? Most "
        "CDNs serve brotli these days.",
        """\
@@ -25,5 +25,7 @@ function measure(asset) {
   const gz = zlib.gzipSync(asset.source, { level: 9 });
+  const br = zlib.brotliCompressSync(asset.source);
+  return { raw: asset.source.length, gzip: gz.length, brotli: br.length };
""",
    ),
    (2107, BUDGET, PR, "LGTM, ship it", ""),
    (
        2108,
        BUDGET,
        FD,
        "`path.relative` returns backslash-separated paths on Windows, so a "
        "budget for `js/main.*.js` never matches there. Normalise with "
        "`.split(path.sep).join('/')`.",
        """\
@@ -12,5 +12,6 @@ function collectAssets(outputPath, files) {
+    name: path.relative(outputPath, file),
""",
    ),
    (
        2109,
        BUDGET,
        RD,
        "`gzipSync` over every asset blocks the event loop for a few seconds on "
        "big builds. `util.promisify(zlib.gzip)` with `Promise.all` would let "
        "webpack keep going in the meantime.",
        """\
@@ -25,5 +25,6 @@ function measure(asset) {
+  const gz = zlib.gzipSync(asset.source, { level: 9 });
""",
    ),
    (
        2110,
        BUDGET,
        FD,
        "The config file is optional, but a missing `.budgetrc` now throws "
        "`ENOENT` and crashes the whole build. Catch `ENOENT` and fall back to "
        "the inline options.",
        """\
@@ -5,5 +5,6 @@ function loadConfig(cwd) {
+  return JSON.parse(fs.readFileSync(path.join(cwd, '.budgetrc'), 'utf8'));
""",
    ),
    (
        2111,
        BUDGET,
        STY,
        "Trailing whitespace on this line; `npm run lint -- --fix` cleans it up.",
        "",
    ),
    (
        2112,
        BUDGET,
        DOC,
        "Typo in the option description: *treshold* → *threshold*.",
        """\
@@ -40,5 +40,6 @@ Options
+| `warnAt` | Warn when an asset reaches this fraction of its budget (treshold) |
""",
    ),
    (
        2113,
        BUDGET,
        Q,
        "Would a `--json` reporter be useful for CI dashboards? Happy to add it "
        "in a follow-up if people want it.",
        "",
    ),
    (
        2114,
        BUDGET,
        RD,
        "The report table is built with manual `padEnd` arithmetic in two "
        "places; one small `formatTable(rows)` helper would replace ~40 lines "
        "and keep the columns aligned the same way in both reporters.",
        """\
@@ -50,6 +50,9 @@ function printReport(results) {
+  const nameWidth = Math.max(...results.map((r) => r.name.length));
+  for (const r of results) {
+    console.log(r.name.padEnd(nameWidth + 2) + formatSize(r.size).padStart(10));
""",
    ),
    (
        2115,
        BUDGET,
        PR,
        "🎉 thanks",
        """\
@@ -25,5 +25,6 @@ function measure(asset) {
+  const gz = zlib.gzipSync(asset.source, { level: 9 });
""",
    ),
    (
        2116,
        BUDGET,
        FD,
        "The baseline is read from `stats.json` inside `outputPath`, but with "
        "`output.clean: true` webpack empties that directory before emitting, "
        "so the previous build's stats are always gone and the delta column is "
        "always `n/a`. Keep the baseline outside the output directory.",
        """\
@@ -60,5 +60,6 @@ class BundleBudgetPlugin {
+    const baselinePath = path.join(compiler.options.output.path, 'stats.json');
""",
    ),
    (
        2117,
        BUDGET,
        STY,
        "nit: `isOverBudget` rather than `over` for the boolean.",
        """\
@@ -20,4 +20,5 @@ function checkBudgets(assets, budgets) {
+      const over = size > limit;
""",
    ),
    (
        2118,
        BUDGET,
        RD,
        "In watch mode `.budgetrc` is re-read and re-validated on every "
        "compilation. Load it once in the constructor and only reload when the "
        "file actually changes (`compiler.hooks.watchRun` gives us the changed "
        "files).",
        """\
@@ -35,5 +35,6 @@ class BundleBudgetPlugin {
     compiler.hooks.afterEmit.tapPromise('BundleBudget', async (compilation) => {
+      const budgets = validate(loadConfig(compiler.context));
""",
    ),
    (
        2119,
        BUDGET,
        Q,
        "Should a chunk's budget include its async children? I can see it both "
        "ways; webpack-bundle-analyzer reports them separately.",
        "",
    ),
    (2120, BUDGET, PR, "Thanks, LGTM now!", ""),
    (
        2121,
        BUDGET,
        DOC,
        "The option table says `maxSize` is in bytes, but the example uses "
        "`'250kb'`. If both are accepted, please document the units we parse.",
        """\
@@ -22,6 +22,6 @@ Usage
 new BundleBudgetPlugin({
-  budgets: [{ path: 'main.js', maxSize: 250000 }],
+  budgets: [{ path: 'main.js', maxSize: '250kb' }],
 });
""",
    ),
]
