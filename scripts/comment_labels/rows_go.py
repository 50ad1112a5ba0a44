"""Hand-labelled review comments from Go repositories.

Each row is ``(id, repo, category, body, diff_hunk)``; ``diff_hunk`` is ``""`` for
comments made on the pull request as a whole. Go code is written here with four-space
indentation and turned into gofmt's tabs by ``tabs()``.
"""

from __future__ import annotations

FD = "functional_defect"
RD = "refactoring_design"
DOC = "documentation"
STY = "style_nit"
Q = "question_discussion"
PR = "praise_noise"

PROBE = "saltmarsh/nsprobe"
GRID = "gridline/gridctl"
BLOB = "fernweh/blobsync"
BUCKET = "tallow/bucketd"

REPOS = {PROBE: "Go", GRID: "Go", BLOB: "Go", BUCKET: "Go"}


def tabs(hunk: str) -> str:
    """Replace each leading four spaces after a diff line's prefix by a tab."""
    lines = []
    for line in hunk.split("\n"):
        if line[:1] in {" ", "+", "-"}:
            prefix, rest = line[0], line[1:]
            code = rest.lstrip(" ")
            lines.append(prefix + "\t" * ((len(rest) - len(code)) // 4) + code)
        else:
            lines.append(line)
    return "\n".join(lines)


ROWS = [
    # saltmarsh/nsprobe: DNS probe exporter for Prometheus
    (
        801,
        PROBE,
        FD,
        "`err == nil` doesn't mean the lookup worked: an `NXDOMAIN` or `SERVFAIL` "
        "answer comes back without an error and is counted as a successful probe "
        "here. Check `resp.Rcode != dns.RcodeSuccess` too.",
        tabs("""\
@@ -54,8 +54,10 @@ func (p *Prober) probeOnce(ctx context.Context, t Target) Result {
     resp, rtt, err := p.client.ExchangeContext(ctx, msg, t.Server)
     if err != nil {
         return Result{Target: t.Name, Err: err}
     }
+    p.success.WithLabelValues(t.Name).Inc()
+    return Result{Target: t.Name, RTT: rtt, Answers: len(resp.Answer)}
"""),
    ),
    (
        802,
        PROBE,
        FD,
        "The ticker is never stopped and this loop has no way to exit, so every "
        "config reload that drops a target leaks a goroutine + ticker. Take a "
        "`ctx`, `defer ticker.Stop()`, and `select` on `ctx.Done()`.",
        tabs("""\
@@ -80,6 +80,12 @@ func (p *Prober) Start(targets []Target) {
+func (p *Prober) run(t Target) {
+    ticker := time.NewTicker(t.Interval)
+    for range ticker.C {
+        p.record(p.probeOnce(context.Background(), t))
+    }
+}
"""),
    ),
    (
        803,
        PROBE,
        RD,
        "`probeUDP` and `probeTCP` are identical apart from `client.Net`. One "
        "`probe(ctx, t, network string)` would do.",
        tabs("""\
@@ -100,6 +100,22 @@ func (p *Prober) probeUDP(ctx context.Context, t Target) Result {
+func (p *Prober) probeTCP(ctx context.Context, t Target) Result {
+    c := &dns.Client{Net: "tcp", Timeout: t.Timeout}
+    msg := new(dns.Msg)
+    msg.SetQuestion(dns.Fqdn(t.Query), t.QType)
"""),
    ),
    (
        804,
        PROBE,
        STY,
        "nit: `targetUrl` → `targetURL` (initialisms stay upper-case in Go).",
        tabs("""\
@@ -30,4 +30,5 @@ type Target struct {
+    targetUrl string
"""),
    ),
    (
        805,
        PROBE,
        DOC,
        "Doc comments on exported identifiers should start with the name "
        "(`// Prober runs ...`) — that's what godoc shows and revive will flag "
        "it otherwise.",
        tabs("""\
@@ -18,5 +18,7 @@ import (
+// runs DNS probes against the configured targets and records metrics.
+type Prober struct {
"""),
    ),
    (
        806,
        PROBE,
        Q,
        "Should the probe interval be per target or global? Per target is more "
        "flexible but complicates the scheduler a bit. I don't have a strong "
        "opinion.",
        tabs("""\
@@ -30,6 +30,7 @@ type Target struct {
     Name   string
     Server string
+    Interval time.Duration
"""),
    ),
    (
        807,
        PROBE,
        PR,
        "LGTM",
        tabs("""\
@@ -54,7 +54,7 @@ func (p *Prober) probeOnce(ctx context.Context, t Target) Result {
     resp, rtt, err := p.client.ExchangeContext(ctx, msg, t.Server)
-    if err != nil {
+    if err != nil || resp.Rcode != dns.RcodeSuccess {
         return Result{Target: t.Name, Err: err}
"""),
    ),
    (
        808,
        PROBE,
        FD,
        "`resp.Answer` is empty for a NODATA response, so `resp.Answer[0]` panics "
        "with index out of range and takes the whole exporter down. Guard on "
        "`len(resp.Answer) > 0`.",
        tabs("""\
@@ -62,5 +62,7 @@ func (p *Prober) probeOnce(ctx context.Context, t Target) Result {
+    name := resp.Answer[0].Header().Name
+    p.rtt.WithLabelValues(t.Name, name).Observe(rtt.Seconds())
"""),
    ),
    (
        809,
        PROBE,
        RD,
        "Registering the collectors in `init()` on the default registry makes "
        "`Prober` impossible to test in parallel (duplicate registration panics). "
        "Could `NewProber` take a `prometheus.Registerer`?",
        tabs("""\
@@ -10,5 +10,9 @@ var (
+func init() {
+    prometheus.MustRegister(probeSuccess, probeRTT)
+}
"""),
    ),
    (
        810,
        PROBE,
        FD,
        "`go.mod` still says `go 1.21`, so the loop variable is shared: every "
        "goroutine probes whatever `t` is when it starts running — usually the "
        "last target. Pass `t` as an argument (or bump to 1.22).",
        tabs("""\
@@ -80,5 +80,8 @@ func (p *Prober) Start(targets []Target) {
+    for _, t := range targets {
+        go func() { p.run(t) }()
+    }
"""),
    ),
    (
        811,
        PROBE,
        STY,
        "Please run `gofmt -s`; the element type in the composite literal is "
        "redundant.",
        tabs("""\
@@ -40,4 +40,7 @@ var defaultTargets = []Target{
+    Target{Name: "root", Server: "198.41.0.4:53", Query: "."},
+    Target{Name: "google", Server: "8.8.8.8:53", Query: "example.com"},
"""),
    ),
    (
        812,
        PROBE,
        DOC,
        "README says `--interval` defaults to 30s, but the flag default is "
        "`15 * time.Second`.",
        tabs("""\
@@ -25,4 +25,5 @@ func main() {
+    interval := flag.Duration("interval", 15*time.Second, "probe interval")
"""),
    ),
    (
        813,
        PROBE,
        Q,
        "Is DNS-over-HTTPS in scope for this exporter at all? If yes, I'd shape "
        "the `Prober` interface for it now so we don't have to break it later.",
        "",
    ),
    (
        814,
        PROBE,
        FD,
        "The `:=` inside the `if` declares a new `err`, so the outer `err` that's "
        "checked after the retry loop is always nil and timeouts get reported as "
        "successes.",
        tabs("""\
@@ -66,9 +66,12 @@ func (p *Prober) probeWithRetry(ctx context.Context, t Target) error
     var err error
     for i := 0; i < t.Retries; i++ {
+        if _, _, err := p.client.ExchangeContext(ctx, msg, t.Server); err == nil {
+            return nil
+        }
     }
     return err
"""),
    ),
    (
        815,
        PROBE,
        RD,
        "`dns.Client` is safe to reuse; building one per probe allocates a fresh "
        "dialer each time. Keep one per target on the struct.",
        tabs("""\
@@ -50,5 +50,6 @@ func (p *Prober) probeOnce(ctx context.Context, t Target) Result {
+    c := &dns.Client{Net: t.Network, Timeout: t.Timeout}
"""),
    ),
    (
        816,
        PROBE,
        PR,
        "Thanks, addressed in the last commit.",
        tabs("""\
@@ -30,4 +30,5 @@ type Target struct {
+    targetUrl string
"""),
    ),
    (
        817,
        PROBE,
        STY,
        "nit: the other methods use `p` as the receiver name, not `prober`.",
        tabs("""\
@@ -120,4 +120,5 @@ func (p *Prober) record(r Result) {
+func (prober *Prober) Stop() {
"""),
    ),
    (
        818,
        PROBE,
        FD,
        '`strings.Split(addr, ":")` breaks on IPv6 resolvers such as '
        "`[2001:db8::1]:53`. `net.SplitHostPort` handles both.",
        tabs("""\
@@ -140,5 +140,7 @@ func parseServer(addr string) (string, string, error) {
+    parts := strings.Split(addr, ":")
+    return parts[0], parts[1], nil
"""),
    ),
    (
        819,
        PROBE,
        RD,
        "The YAML config is loaded in three places now (`main`, `reload`, and the "
        "test helper) with slightly different defaulting. A single "
        "`LoadConfig(path) (Config, error)` that applies defaults would stop them "
        "drifting.",
        tabs("""\
@@ -60,6 +60,14 @@ func reload(path string) error {
+    data, err := os.ReadFile(path)
+    if err != nil {
+        return err
+    }
+    var cfg Config
+    if err := yaml.Unmarshal(data, &cfg); err != nil {
"""),
    ),
    (
        820,
        PROBE,
        Q,
        "Do we want `/debug/last` in production builds? It exposes raw responses, "
        "which some people may consider sensitive. Could sit behind "
        "`--web.enable-debug`.",
        tabs("""\
@@ -30,5 +30,6 @@ func main() {
+    http.HandleFunc("/debug/last", p.ServeLastResults)
"""),
    ),
    (
        821,
        PROBE,
        RD,
        "One goroutine + ticker per target is fine for a dozen targets, but "
        "people run this with thousands. A single scheduler loop over a "
        "min-heap of next-run times would use far fewer resources and make "
        "jittering the start times trivial.",
        tabs("""\
@@ -80,5 +80,8 @@ func (p *Prober) Start(targets []Target) {
+    for _, t := range targets {
+        go p.run(t)
+    }
"""),
    ),
    (
        822,
        PROBE,
        PR,
        """\
✅ Deploy Preview for *nsprobe-docs* ready!

🔨 Latest commit: `7d1c2e4`
😎 Browse the preview: https://deploy-preview-214--nsprobe-docs.netlify.app
""",
        "",
    ),
    # gridline/gridctl: cluster management CLI (cobra)
    (
        901,
        GRID,
        FD,
        "`os.Exit(1)` inside `RunE` skips the deferred `client.Close()` and the "
        "spinner cleanup, so the terminal is left without a cursor. Return the "
        "error and let `Execute` decide the exit code.",
        tabs("""\
@@ -40,8 +40,11 @@ var drainCmd = &cobra.Command{
     RunE: func(cmd *cobra.Command, args []string) error {
         defer client.Close()
         if err := client.Drain(cmd.Context(), args[0]); err != nil {
+            fmt.Fprintln(os.Stderr, err)
+            os.Exit(1)
         }
"""),
    ),
    (
        902,
        GRID,
        FD,
        """\
We never look at `resp.StatusCode`. On a 401 the body is `{"error": "unauthorized"}`, \
which unmarshals happily into an empty `[]Node`, so `gridctl nodes ls` prints an \
empty table instead of telling you to log in.
""",
        tabs("""\
@@ -70,6 +70,9 @@ func (c *Client) ListNodes(ctx context.Context) ([]Node, error) {
     defer resp.Body.Close()
+    var nodes []Node
+    if err := json.NewDecoder(resp.Body).Decode(&nodes); err != nil {
+        return nil, err
+    }
"""),
    ),
    (
        903,
        GRID,
        RD,
        "Every command builds its own `http.Client` and loads the token itself — "
        "I count nine copies. Could we add `newAPIClient(cmd)` in `root.go` and "
        "use it everywhere?",
        tabs("""\
@@ -25,6 +25,12 @@ var poolsCmd = &cobra.Command{
     RunE: func(cmd *cobra.Command, args []string) error {
+        token, err := loadToken(cfgPath)
+        if err != nil {
+            return err
+        }
+        client := api.New(&http.Client{Timeout: 30 * time.Second}, token)
"""),
    ),
    (
        904,
        GRID,
        STY,
        "nit: error strings start lower-case and have no trailing punctuation "
        "(`failed to drain node: %w`).",
        tabs("""\
@@ -52,4 +52,5 @@ func drain(ctx context.Context, c *api.Client, node string) error {
+        return fmt.Errorf("Failed to drain node: %w.", err)
"""),
    ),
    (
        905,
        GRID,
        DOC,
        "The help example says `--grace 30`, but the flag is a `time.Duration`, "
        "so that fails with `missing unit in duration`. Should be `--grace 30s`.",
        tabs("""\
@@ -20,6 +20,8 @@ var drainCmd = &cobra.Command{
     Use:   "drain NODE",
     Short: "Evict workloads from a node",
+    Example: "  gridctl drain node-7 --grace 30",
"""),
    ),
    (
        906,
        GRID,
        Q,
        "Should `drain` wait until the pods are rescheduled, or return once the "
        "evictions are accepted? Both seem reasonable — maybe a `--wait` flag?",
        tabs("""\
@@ -44,6 +44,10 @@ var drainCmd = &cobra.Command{
+        if err := client.EvictAll(ctx, args[0]); err != nil {
+            return err
+        }
+        return nil
"""),
    ),
    (907, GRID, PR, "🚢", ""),
    (
        908,
        GRID,
        FD,
        "This file holds the bearer token, and `0644` makes it world-readable on "
        "shared machines. Use `0600` for the file and `0700` for the directory.",
        tabs("""\
@@ -90,5 +90,6 @@ func saveConfig(path string, cfg *Config) error {
     data, err := yaml.Marshal(cfg)
+    return os.WriteFile(path, data, 0o644)
"""),
    ),
    (
        909,
        GRID,
        RD,
        "`printTable` now exists in `nodes.go`, `pools.go` and `jobs.go`, each with "
        "hand-rolled padding. `text/tabwriter` would handle alignment and we could "
        "share one helper.",
        tabs("""\
@@ -80,6 +80,12 @@ func runPools(cmd *cobra.Command, args []string) error {
+func printTable(pools []Pool) {
+    fmt.Printf("%-20s %-8s %s\\n", "NAME", "NODES", "STATUS")
+    for _, p := range pools {
+        fmt.Printf("%-20s %-8d %s\\n", p.Name, p.Nodes, p.Status)
"""),
    ),
    (
        910,
        GRID,
        FD,
        "`cancel` is discarded, so the timer lives until the timeout fires and "
        "`go vet` reports `lostcancel`. `defer cancel()`.",
        tabs("""\
@@ -33,5 +33,6 @@ func runStatus(cmd *cobra.Command, args []string) error {
+    ctx, _ := context.WithTimeout(cmd.Context(), statusTimeout)
"""),
    ),
    (
        911,
        GRID,
        STY,
        "nit:\n```suggestion\n\tif len(args) != 1 {\n```",
        tabs("""\
@@ -28,4 +28,5 @@ func runLogs(cmd *cobra.Command, args []string) error {
+    if !(len(args) == 1) {
"""),
    ),
    (
        912,
        GRID,
        DOC,
        "The usage string refers to `--retry`, but the flag is registered as "
        "`--retries`.",
        tabs("""\
@@ -60,4 +60,6 @@ func init() {
+    applyCmd.Flags().Int("retries", 3,
+        "how often to retry; see --retry-delay. Use --retry 0 to disable")
"""),
    ),
    (
        913,
        GRID,
        RD,
        "I'd keep `cmd/` thin and move the drain logic into `internal/drain` so the "
        "operator can reuse it. Right now it all lives in the cobra `RunE` and "
        "can only be tested by executing the command.",
        tabs("""\
@@ -40,6 +40,30 @@ var drainCmd = &cobra.Command{
+        pods, err := client.PodsOnNode(ctx, args[0])
+        if err != nil {
+            return err
+        }
+        for _, pod := range pods {
+            if err := client.Evict(ctx, pod, grace); err != nil {
"""),
    ),
    (
        914,
        GRID,
        Q,
        "What's our policy on renaming flags? `--node-pool` → `--pool` will break "
        "people's scripts. Do we keep a hidden alias for a release, or just call "
        "it out in the release notes?",
        tabs("""\
@@ -48,5 +48,5 @@ func init() {
-    nodesCmd.Flags().String("node-pool", "", "filter by pool")
+    nodesCmd.Flags().String("pool", "", "filter by pool")
"""),
    ),
    (
        915,
        GRID,
        FD,
        "`resp.Body` is only closed on the success path. Every failed attempt in "
        "the retry loop leaves a connection open, and after enough retries we "
        "run out of sockets.",
        tabs("""\
@@ -100,8 +100,12 @@ func (c *Client) do(req *http.Request) (*http.Response, error) {
         resp, err := c.http.Do(req)
         if err != nil {
             continue
         }
+        if resp.StatusCode >= 500 {
+            time.Sleep(backoff(attempt))
+            continue
+        }
"""),
    ),
    (
        916,
        GRID,
        PR,
        "Thanks for the quick turnaround! 🙏",
        tabs("""\
@@ -100,8 +100,12 @@ func (c *Client) do(req *http.Request) (*http.Response, error) {
         resp, err := c.http.Do(req)
         if err != nil {
             continue
         }
+        if resp.StatusCode >= 500 {
+            time.Sleep(backoff(attempt))
+            continue
+        }
"""),
    ),
    (
        917,
        GRID,
        STY,
        "Please group imports as stdlib / blank line / third-party; `goimports` "
        "does it for you.",
        tabs("""\
@@ -1,8 +1,9 @@
 import (
     "context"
+    "github.com/spf13/cobra"
     "fmt"
     "os"
"""),
    ),
    (
        918,
        GRID,
        RD,
        "The `--output table|json|yaml` switch is copy-pasted into every command. "
        "A `Printer` interface picked once in `PersistentPreRunE` would remove "
        "that duplication and make adding `wide` easy.",
        tabs("""\
@@ -60,6 +60,15 @@ func runNodes(cmd *cobra.Command, args []string) error {
+    switch output {
+    case "json":
+        return json.NewEncoder(os.Stdout).Encode(nodes)
+    case "yaml":
+        return yaml.NewEncoder(os.Stdout).Encode(nodes)
+    default:
+        printTable(nodes)
+    }
"""),
    ),
    (
        919,
        GRID,
        FD,
        "`io.ReadAll` waits for the end of the stream, so `gridctl logs -f` prints "
        "nothing until the server closes the connection (i.e. never), while "
        "memory keeps growing. `io.Copy(os.Stdout, resp.Body)` streams it.",
        tabs("""\
@@ -44,5 +44,7 @@ func runLogs(cmd *cobra.Command, args []string) error {
+    data, err := io.ReadAll(resp.Body)
+    os.Stdout.Write(data)
"""),
    ),
    (
        920,
        GRID,
        DOC,
        "Could you add `GRIDCTL_CONTEXT` to the environment variable table in "
        "`docs/configuration.md`?",
        tabs("""\
@@ -15,4 +15,7 @@ func currentContext() string {
+    if v := os.Getenv("GRIDCTL_CONTEXT"); v != "" {
+        return v
+    }
"""),
    ),
    (
        921,
        GRID,
        RD,
        "Context resolution lives in `cmd/root.go`, but `internal/api` needs it "
        "for token refresh, so this PR makes `internal/api` import `cmd`. Move "
        "it into `internal/config` and keep the dependency pointing one way.",
        tabs("""\
@@ -3,6 +3,7 @@ import (
     "net/http"
     "time"
+    "github.com/gridline/gridctl/cmd"
 )
"""),
    ),
    (922, GRID, PR, "/retest", ""),
    # fernweh/blobsync: sync local directories with S3-compatible storage
    (
        1001,
        BLOB,
        FD,
        "For multipart uploads the ETag isn't the MD5 of the object (it's "
        "`md5(part md5s)-N`), so every file above the multipart threshold looks "
        "changed and is re-uploaded on every run.",
        tabs("""\
@@ -80,5 +80,7 @@ func needsUpload(local LocalFile, remote *Object) bool {
+    sum := md5.Sum(local.Data)
+    return hex.EncodeToString(sum[:]) != strings.Trim(remote.ETag, `"`)
"""),
    ),
    (
        1002,
        BLOB,
        FD,
        "`filepath.Join` uses backslashes on Windows, so the object keys become "
        "`photos\\2023\\a.jpg`. Keys always need forward slashes: "
        "`path.Join(prefix, filepath.ToSlash(rel))`.",
        tabs("""\
@@ -45,5 +45,6 @@ func keyFor(prefix, root, file string) (string, error) {
     rel, err := filepath.Rel(root, file)
+    return filepath.Join(prefix, rel), err
"""),
    ),
    (
        1003,
        BLOB,
        RD,
        "This hand-rolled pool (channel + WaitGroup + error slice) is what "
        "`errgroup.Group` with `SetLimit(n)` gives us, plus cancellation of the "
        "remaining uploads when one fails.",
        tabs("""\
@@ -100,6 +100,20 @@ func uploadAll(ctx context.Context, files []LocalFile, n int) error
+    jobs := make(chan LocalFile)
+    var wg sync.WaitGroup
+    for i := 0; i < n; i++ {
+        wg.Add(1)
+        go func() {
"""),
    ),
    (
        1004,
        BLOB,
        STY,
        "nit: no need for `else` after the `return`.",
        tabs("""\
@@ -60,6 +60,10 @@ func classify(o Object) Kind {
+    if strings.HasSuffix(o.Key, "/") {
+        return KindDir
+    } else {
+        return KindFile
+    }
"""),
    ),
    (
        1005,
        BLOB,
        DOC,
        "The doc comment says `DryRun` only prints what would be deleted, but "
        "with this change it prints uploads too.",
        tabs("""\
@@ -20,5 +20,6 @@ type SyncOptions struct {
     // DryRun prints the objects that would be deleted without deleting them.
     DryRun bool
"""),
    ),
    (
        1006,
        BLOB,
        Q,
        "Do we want `--delete` on by default in v2? rsync and aws-cli users will "
        "expect it off. I'd keep it off, but curious what others think.",
        tabs("""\
@@ -30,5 +30,6 @@ func init() {
+    syncCmd.Flags().Bool("delete", false, "delete remote objects missing locally")
"""),
    ),
    (
        1007,
        BLOB,
        PR,
        "LGTM 👍",
        tabs("""\
@@ -60,6 +60,10 @@ func classify(o Object) Kind {
+    if strings.HasSuffix(o.Key, "/") {
+        return KindDir
+    } else {
+        return KindFile
+    }
"""),
    ),
    (
        1008,
        BLOB,
        FD,
        "`errCh` is unbuffered and only drained after `wg.Wait()`. The first "
        "worker that fails blocks on the send, so `wg.Wait()` never returns — any "
        "upload error deadlocks the sync.",
        tabs("""\
@@ -112,8 +112,12 @@ func uploadAll(ctx context.Context, files []LocalFile, n int) error
+    errCh := make(chan error)
     for _, f := range files {
         wg.Add(1)
         go func(f LocalFile) {
             defer wg.Done()
             if err := upload(ctx, f); err != nil {
+                errCh <- err
             }
         }(f)
     }
+    wg.Wait()
"""),
    ),
    (
        1009,
        BLOB,
        RD,
        "Loading the whole bucket listing into a `map[string]Object` is fine for "
        "10k objects, but some users have tens of millions. Both listings come "
        "back sorted by key, so a merge-join over two iterators would do the diff "
        "in constant memory.",
        tabs("""\
@@ -30,6 +30,10 @@ func diff(ctx context.Context, local []LocalFile, b Bucket) (Plan, er
+    remote := map[string]Object{}
+    for obj := range b.List(ctx) {
+        remote[obj.Key] = obj
+    }
"""),
    ),
    (
        1010,
        BLOB,
        FD,
        "`defer f.Close()` inside the loop only runs when `uploadAll` returns, so "
        "syncing a directory with more than ~1024 files fails with `too many open "
        "files`. Close it at the end of each iteration (or move the body into a "
        "function).",
        tabs("""\
@@ -130,6 +130,9 @@ func uploadSequential(ctx context.Context, files []LocalFile) error
     for _, lf := range files {
+        f, err := os.Open(lf.Path)
+        if err != nil {
+            return err
+        }
+        defer f.Close()
"""),
    ),
    (
        1011,
        BLOB,
        STY,
        "nit: `ctx` goes first by convention.",
        tabs("""\
@@ -70,4 +70,5 @@ type Bucket interface {
+    Delete(keys []string, ctx context.Context) error
"""),
    ),
    (
        1012,
        BLOB,
        DOC,
        'README typo: "matched agains the relative path" → "against".',
        tabs("""\
@@ -48,6 +48,8 @@ Filtering
 Use `--exclude` to skip files:
+
+Patterns are matched agains the relative path, using shell glob syntax.
"""),
    ),
    (
        1013,
        BLOB,
        RD,
        "`Sync` has eight positional parameters now, four of them `bool`. An "
        "options struct would make the call sites readable and let us add more "
        "without breaking callers.",
        tabs("""\
@@ -15,5 +15,6 @@ package sync
-func Sync(ctx context.Context, src, dst string, del bool) error {
+func Sync(ctx context.Context, src, dst string, del, dry, follow,
+    checksum bool, concurrency int) error {
"""),
    ),
    (
        1014,
        BLOB,
        Q,
        "How should we treat keys ending in `/` (the folder placeholders the S3 "
        "console creates)? Skip them, or mirror them as empty directories? I'm "
        "honestly not sure what users expect.",
        tabs("""\
@@ -70,6 +70,7 @@ func diff(ctx context.Context, local []LocalFile, b Bucket) (Plan, er
     for obj := range b.List(ctx) {
+        key := strings.TrimPrefix(obj.Key, prefix)
"""),
    ),
    (
        1015,
        BLOB,
        FD,
        "`==` on `time.Time` also compares location and the monotonic reading, "
        "and S3 `LastModified` only has second precision, so right now every "
        "file looks modified. Use `Truncate(time.Second).Equal(...)`.",
        tabs("""\
@@ -88,5 +88,6 @@ func needsUpload(local LocalFile, remote *Object) bool {
+    return local.ModTime != remote.LastModified
"""),
    ),
    (
        1016,
        BLOB,
        PR,
        "Nice, thanks!",
        tabs("""\
@@ -130,6 +130,9 @@ func uploadSequential(ctx context.Context, files []LocalFile) error
     for _, lf := range files {
+        f, err := os.Open(lf.Path)
+        if err != nil {
+            return err
+        }
+        defer f.Close()
"""),
    ),
    (
        1017,
        BLOB,
        STY,
        '`fmt.Sprintf("%s", key)` is just `key`.',
        tabs("""\
@@ -52,4 +52,5 @@ func (b *s3Bucket) Delete(ctx context.Context, keys []string) error {
+        key := fmt.Sprintf("%s", k)
+        ids = append(ids, types.ObjectIdentifier{Key: aws.String(key)})
"""),
    ),
    (
        1018,
        BLOB,
        RD,
        "Could the S3 dependency be a small interface (`PutObject`, "
        "`ListObjectsV2`, `DeleteObjects`)? Then the sync logic can be tested "
        "against an in-memory fake instead of MinIO in Docker.",
        tabs("""\
@@ -10,5 +10,6 @@ type Syncer struct {
+    client *s3.Client
"""),
    ),
    (
        1019,
        BLOB,
        FD,
        "On retry the same `*os.File` is passed again, but its offset is already "
        "at EOF, so the second attempt uploads an empty object and reports "
        "success. `f.Seek(0, io.SeekStart)` before each attempt.",
        tabs("""\
@@ -150,7 +150,10 @@ func upload(ctx context.Context, b Bucket, lf LocalFile) error {
     f, err := os.Open(lf.Path)
+    for attempt := 0; attempt < maxAttempts; attempt++ {
+        if err = b.Put(ctx, lf.Key, f); err == nil {
+            return nil
+        }
"""),
    ),
    (
        1020,
        BLOB,
        DOC,
        "Please add `--concurrency` to the flags table in the README; it's the "
        "first thing people ask about in issues.",
        tabs("""\
@@ -30,6 +30,7 @@ Flags
 | `--delete` | remove remote objects that no longer exist locally |
 | `--dry-run` | print the plan without changing anything |
+| `--checksum` | compare MD5 instead of size and mtime |
"""),
    ),
    (
        1021,
        BLOB,
        RD,
        "Hashing every local file on every run is what makes large trees slow. "
        "A small cache of `(path, size, mtime) → md5` next to the config would "
        "make incremental syncs nearly free.",
        tabs("""\
@@ -60,5 +60,8 @@ func scanLocal(root string) ([]LocalFile, error) {
+        sum, err := md5File(path)
+        if err != nil {
+            return err
+        }
"""),
    ),
    (
        1022,
        BLOB,
        Q,
        "What should we do with symlinks: follow them, upload the link target, "
        "or skip with a warning? I don't think we've ever decided explicitly.",
        tabs("""\
@@ -50,6 +50,8 @@ func scanLocal(root string) ([]LocalFile, error) {
     err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
+        if d.Type()&fs.ModeSymlink != 0 {
"""),
    ),
    # tallow/bucketd: token-bucket rate limiting daemon backed by Redis
    (
        1101,
        BUCKET,
        FD,
        "`INCR` and `EXPIRE` are two round trips; if we crash (or the connection "
        "drops) between them the key never expires and that client stays limited "
        "forever. Do it atomically in a Lua script or a `MULTI`.",
        tabs("""\
@@ -40,6 +40,9 @@ func (r *RedisStore) Take(ctx context.Context, key string) (int64, err
+    n, err := r.rdb.Incr(ctx, key).Result()
+    if n == 1 {
+        r.rdb.Expire(ctx, key, r.window)
+    }
"""),
    ),
    (
        1102,
        BUCKET,
        FD,
        "`strconv.Atoi` accepts negative numbers, so `?cost=-100` *adds* tokens to "
        "the bucket. Reject `cost <= 0` with a 400.",
        tabs("""\
@@ -30,5 +30,8 @@ func (h *Handler) take(w http.ResponseWriter, r *http.Request) {
+    cost, err := strconv.Atoi(r.URL.Query().Get("cost"))
+    if err != nil {
+        cost = 1
+    }
"""),
    ),
    (
        1103,
        BUCKET,
        RD,
        "The Redis and in-memory stores both implement the refill arithmetic, "
        "slightly differently. I'd pull it into a pure `refill(state, now, rate) "
        "state` and let the stores only deal with persistence — it's also much "
        "easier to property-test that way.",
        tabs("""\
@@ -30,6 +30,9 @@ func (m *MemoryStore) Take(key string, cost int) (int64, error) {
+    elapsed := now.Sub(b.last).Seconds()
+    b.tokens = math.Min(float64(m.capacity), b.tokens+elapsed*m.rate)
+    b.last = now
"""),
    ),
    (
        1104,
        BUCKET,
        STY,
        "nit: `bucketsMap` → `buckets`; the type already says it's a map.",
        tabs("""\
@@ -12,5 +12,6 @@ type MemoryStore struct {
     mu         sync.Mutex
+    bucketsMap map[string]*bucket
"""),
    ),
    (
        1105,
        BUCKET,
        DOC,
        "`Deprecated:` has to start its own paragraph (blank `//` line before it) "
        "for godoc and staticcheck to pick it up.",
        tabs("""\
@@ -50,5 +50,7 @@ func (h *Handler) Routes() http.Handler {
+// TakeLegacy handles the old /take endpoint.
+// Deprecated: use /v1/take.
 func (h *Handler) TakeLegacy(w http.ResponseWriter, r *http.Request) {
"""),
    ),
    (
        1106,
        BUCKET,
        Q,
        'Should `/v1/take` answer 429, or 200 with `{"allowed": false}`? I lean '
        "towards 429 but it's an API change for the Python client.",
        tabs("""\
@@ -36,6 +36,8 @@ func (h *Handler) take(w http.ResponseWriter, r *http.Request) {
+    w.Header().Set("Content-Type", "application/json")
+    json.NewEncoder(w).Encode(takeResponse{Allowed: ok, Remaining: remaining})
"""),
    ),
    (
        1107,
        BUCKET,
        PR,
        "LGTM, nice tests.",
        tabs("""\
@@ -30,6 +30,9 @@ func (m *MemoryStore) Take(key string, cost int) (int64, error) {
+    elapsed := now.Sub(b.last).Seconds()
+    b.tokens = math.Min(float64(m.capacity), b.tokens+elapsed*m.rate)
+    b.last = now
"""),
    ),
    (
        1108,
        BUCKET,
        FD,
        "`Load` followed by `Store` isn't atomic. Two concurrent first requests "
        "for the same key each create a full bucket and one is lost, so a new "
        "client effectively gets twice the burst. `LoadOrStore` fixes it.",
        tabs("""\
@@ -25,6 +25,10 @@ func (m *MemoryStore) get(key string) *bucket {
+    if b, ok := m.buckets.Load(key); ok {
+        return b.(*bucket)
+    }
+    b := newBucket(m.capacity)
+    m.buckets.Store(key, b)
"""),
    ),
    (
        1109,
        BUCKET,
        RD,
        "In the profile you attached this `fmt.Sprintf` is ~18% of CPU. "
        "Precomputing the `bucket:<ns>:` prefix once per namespace and "
        "concatenating would remove most of it.",
        tabs("""\
@@ -38,4 +38,5 @@ func (r *RedisStore) Take(ctx context.Context, key string) (int64, err
+    rkey := fmt.Sprintf("bucket:%s:%s", r.namespace, key)
"""),
    ),
    (
        1110,
        BUCKET,
        FD,
        "The error from `ListenAndServe` is dropped. If the port is taken the "
        "daemon keeps running with no listener, and the health check (served "
        "on the admin port) still says OK.",
        tabs("""\
@@ -40,5 +40,7 @@ func main() {
+    go srv.ListenAndServe()
+    go admin.ListenAndServe()
"""),
    ),
    (
        1111,
        BUCKET,
        STY,
        "Please run `goimports` — `log/slog` ended up in the third-party group.",
        tabs("""\
@@ -1,8 +1,9 @@
 import (
     "context"
     "net/http"
     "github.com/redis/go-redis/v9"
+    "log/slog"
 )
"""),
    ),
    (
        1112,
        BUCKET,
        DOC,
        "The OpenAPI spec says `rate` is per minute, but the handler treats it "
        "as per second.",
        """\
@@ -40,6 +40,8 @@ components:
         rate:
           type: integer
+          description: Tokens added per minute.
""",
    ),
    (
        1113,
        BUCKET,
        RD,
        "I'd move the HTTP handlers out of `main.go` into `internal/api` with a "
        "constructor that takes the `Store` interface. At the moment they can "
        "only be tested by starting the whole daemon.",
        tabs("""\
@@ -60,6 +60,20 @@ func main() {
+    mux.HandleFunc("/v1/take", func(w http.ResponseWriter, r *http.Request) {
+        key := r.URL.Query().Get("key")
+        remaining, err := store.Take(r.Context(), key, 1)
"""),
    ),
    (
        1114,
        BUCKET,
        Q,
        "Are we OK requiring Redis 7 for `EXPIRE ... NX`? I think ElastiCache in "
        "some regions is still on 6.x.",
        tabs("""\
@@ -44,4 +44,5 @@ func (r *RedisStore) Take(ctx context.Context, key string) (int64, err
+    r.rdb.ExpireNX(ctx, rkey, r.window)
"""),
    ),
    (
        1115,
        BUCKET,
        FD,
        "`Shutdown(context.Background())` waits for in-flight requests "
        "indefinitely, and `/v1/wait` long-polls for up to 10 minutes — so a "
        "rollout hangs until k8s SIGKILLs us. Give it a deadline shorter than "
        "`terminationGracePeriodSeconds`.",
        tabs("""\
@@ -52,5 +52,7 @@ func main() {
     <-stop
+    if err := srv.Shutdown(context.Background()); err != nil {
+        slog.Error("shutdown", "err", err)
+    }
"""),
    ),
    (
        1116,
        BUCKET,
        PR,
        "Thanks, makes sense. Resolving.",
        tabs("""\
@@ -12,5 +12,6 @@ type MemoryStore struct {
     mu         sync.Mutex
+    bucketsMap map[string]*bucket
"""),
    ),
    (
        1117,
        BUCKET,
        STY,
        "nit: `var err error = nil` → `var err error`",
        tabs("""\
@@ -60,4 +60,5 @@ func (m *MemoryStore) Take(key string, cost int) (int64, error) {
+    var err error = nil
"""),
    ),
    (
        1118,
        BUCKET,
        RD,
        "`Store` has seven methods but the handlers only call `Take` and `Peek`. "
        "Defining the small interface where it's consumed would make the test "
        "fakes two methods instead of seven.",
        tabs("""\
@@ -8,6 +8,14 @@ package store
+type Store interface {
+    Take(ctx context.Context, key string, cost int) (int64, error)
+    Peek(ctx context.Context, key string) (int64, error)
+    Reset(ctx context.Context, key string) error
"""),
    ),
    (
        1119,
        BUCKET,
        RD,
        "`Take` costs two Redis round trips (`GET`, then `SET`). Moving the "
        "refill-and-take into a Lua script would make it one round trip — by "
        "your own benchmark that's most of the p99.",
        tabs("""\
@@ -40,6 +40,10 @@ func (r *RedisStore) Take(ctx context.Context, key string) (int64, er
+    state, err := r.rdb.Get(ctx, rkey).Bytes()
+    b := decodeBucket(state)
+    b.refill(time.Now(), r.rate)
+    r.rdb.Set(ctx, rkey, b.encode(), r.window)
"""),
    ),
    (
        1120,
        BUCKET,
        Q,
        "Do we want per-key overrides (say, a higher limit for internal "
        "services) in this config format, or should that wait for the admin "
        "API?",
        "",
    ),
    (
        1121,
        BUCKET,
        PR,
        "Thanks @oskar-t, the benchmarks convinced me. Approving.",
        "",
    ),
    (
        1122,
        BUCKET,
        DOC,
        "There's now a package comment in both `store.go` and `doc.go`; godoc "
        "only shows one of them. Please keep it in `doc.go`.",
        tabs("""\
@@ -1,3 +1,4 @@
+// Package store implements token buckets on Redis and in memory.
 package store
"""),
    ),
]
