"""kettle-io/kettle: a job queue with an HTTP API and workers (Go).

Go sources are written here with four-space indentation and converted to gofmt's tabs
by ``go()``; ``E()`` does the same for edits.
"""

from __future__ import annotations

import base64
import hashlib
import re

from spec import (
    Comment,
    Edit,
    FileChange,
    IssueComment,
    IssueSpec,
    PullSpec,
    RepoSpec,
)


def go(text: str) -> str:
    """Drop a leading newline and turn each leading group of 4 spaces into a tab."""
    text = text.removeprefix("\n")
    return re.sub(r"(?m)^((?:    )+)", lambda m: "\t" * (len(m[1]) // 4), text)


def t(text: str) -> str:
    return text.removeprefix("\n")


def E(old: str, new: str) -> Edit:  # noqa: N802
    return Edit(go(old), go(new))


def gosum(module: str, version: str) -> list[str]:
    """Two go.sum lines with stable, made-up hashes."""
    out = []
    for suffix in ("", "/go.mod"):
        digest = hashlib.sha256(f"{module}@{version}{suffix}".encode()).digest()
        out.append(f"{module} {version}{suffix} h1:{base64.b64encode(digest).decode()}")
    return out


UUID_13 = gosum("github.com/google/uuid", "v1.3.0")
UUID_14 = gosum("github.com/google/uuid", "v1.4.0")
PROM_MODULES = [
    ("github.com/beorn7/perks", "v1.0.1"),
    ("github.com/cespare/xxhash/v2", "v2.2.0"),
    ("github.com/golang/protobuf", "v1.5.3"),
    ("github.com/matttproud/golang_protobuf_extensions", "v1.0.4"),
    ("github.com/prometheus/client_golang", "v1.17.0"),
    ("github.com/prometheus/client_model", "v0.5.0"),
    ("github.com/prometheus/common", "v0.44.0"),
    ("github.com/prometheus/procfs", "v0.11.1"),
    ("golang.org/x/sys", "v0.11.0"),
    ("google.golang.org/protobuf", "v1.31.0"),
]


def gosum_file(*modules: tuple[str, str]) -> str:
    lines: list[str] = []
    for module, version in sorted(modules):
        lines += gosum(module, version)
    return "\n".join(lines) + "\n"


GO_MOD = go(
    """
module github.com/kettle-io/kettle

go 1.20

require github.com/google/uuid v1.3.0
"""
)

README = t(
    """
# kettle

A small job queue for Go services: enqueue jobs over HTTP, process them with a
pool of workers, retry failures. Jobs are kept in memory with a visibility
timeout, so a crashed worker's job is handed to someone else.

```
go run ./cmd/kettle -addr :8080 -workers 8
curl -X POST localhost:8080/jobs -d '{"type": "echo", "body": {"hello": "world"}}'
curl localhost:8080/jobs/<id>
curl localhost:8080/stats
```

## Deprecated API

`/v0/enqueue` and `/v0/status` still work but answer with `Deprecation: true`.
They will be removed in 1.0.
"""
)

QUEUE_GO = go(
    """
// Package queue implements an in-memory job queue with visibility timeouts.
package queue

import (
    "encoding/json"
    "errors"
    "sync"
    "time"

    "github.com/google/uuid"
)

// ErrNotFound is returned for unknown or already acknowledged jobs.
var ErrNotFound = errors.New("queue: job not found")

// Job is a unit of work.
type Job struct {
    ID       string          `json:"id"`
    Type     string          `json:"type"`
    Body     json.RawMessage `json:"body"`
    Attempts int             `json:"attempts"`
    Created  time.Time       `json:"created"`
}

// Queue is a FIFO of jobs. A dequeued job is invisible to other consumers
// until it is acked, nacked, or its visibility timeout expires.
type Queue struct {
    mu         sync.Mutex
    ready      []*Job
    inflight   map[string]inflightJob
    visibility time.Duration
    stats      Stats
}

type inflightJob struct {
    job      *Job
    deadline time.Time
}

// Stats counts what happened to jobs since the queue was created.
type Stats struct {
    Enqueued int `json:"enqueued"`
    Acked    int `json:"acked"`
    Nacked   int `json:"nacked"`
    Expired  int `json:"expired"`
}

// New returns an empty queue with the given visibility timeout.
func New(visibility time.Duration) *Queue {
    return &Queue{
        inflight:   make(map[string]inflightJob),
        visibility: visibility,
    }
}

// Enqueue adds a job and returns it with its ID set.
func (q *Queue) Enqueue(jobType string, body json.RawMessage) *Job {
    job := &Job{ID: uuid.NewString(), Type: jobType, Body: body, Created: time.Now()}
    q.mu.Lock()
    q.ready = append(q.ready, job)
    q.stats.Enqueued++
    q.mu.Unlock()
    return job
}

// Dequeue returns the next ready job, or nil if there is none.
func (q *Queue) Dequeue() *Job {
    q.mu.Lock()
    defer q.mu.Unlock()
    q.requeueExpired(time.Now())
    if len(q.ready) == 0 {
        return nil
    }
    job := q.ready[0]
    q.ready = q.ready[1:]
    job.Attempts++
    q.inflight[job.ID] = inflightJob{job: job, deadline: time.Now().Add(q.visibility)}
    return job
}

// Ack marks a job as done.
func (q *Queue) Ack(id string) error {
    q.mu.Lock()
    defer q.mu.Unlock()
    if _, ok := q.inflight[id]; !ok {
        return ErrNotFound
    }
    delete(q.inflight, id)
    q.stats.Acked++
    return nil
}

// Nack returns a job to the queue for another attempt.
func (q *Queue) Nack(id string) error {
    q.mu.Lock()
    defer q.mu.Unlock()
    entry, ok := q.inflight[id]
    if !ok {
        return ErrNotFound
    }
    delete(q.inflight, id)
    q.ready = append(q.ready, entry.job)
    q.stats.Nacked++
    return nil
}

// Get returns a job that is ready or in flight.
func (q *Queue) Get(id string) (*Job, bool) {
    q.mu.Lock()
    defer q.mu.Unlock()
    if entry, ok := q.inflight[id]; ok {
        return entry.job, true
    }
    for _, job := range q.ready {
        if job.ID == id {
            return job, true
        }
    }
    return nil, false
}

// Stats returns a snapshot of the counters.
func (q *Queue) Stats() Stats {
    return q.stats
}

// Len returns the number of ready jobs.
func (q *Queue) Len() int {
    q.mu.Lock()
    defer q.mu.Unlock()
    return len(q.ready)
}

func (q *Queue) requeueExpired(now time.Time) {
    for id, entry := range q.inflight {
        if now.After(entry.deadline) {
            delete(q.inflight, id)
            q.ready = append(q.ready, entry.job)
            q.stats.Expired++
        }
    }
}
"""
)

QUEUE_TEST_GO = go(
    """
package queue

import (
    "testing"
    "time"
)

func TestEnqueueDequeueAck(t *testing.T) {
    q := New(time.Minute)
    job := q.Enqueue("email", []byte(`{"to":"a@example.com"}`))
    got := q.Dequeue()
    if got == nil || got.ID != job.ID {
        t.Fatalf("Dequeue() = %v, want %s", got, job.ID)
    }
    if q.Dequeue() != nil {
        t.Fatal("in-flight job was handed out twice")
    }
    if err := q.Ack(job.ID); err != nil {
        t.Fatal(err)
    }
    if err := q.Ack(job.ID); err != ErrNotFound {
        t.Fatalf("second Ack = %v, want ErrNotFound", err)
    }
}

func TestVisibilityTimeout(t *testing.T) {
    q := New(10 * time.Millisecond)
    job := q.Enqueue("email", nil)
    q.Dequeue()
    time.Sleep(20 * time.Millisecond)
    again := q.Dequeue()
    if again == nil || again.ID != job.ID || again.Attempts != 2 {
        t.Fatalf("expired job not redelivered: %+v", again)
    }
}
"""
)

POOL_GO = go(
    """
// Package worker runs jobs from a queue with a fixed number of goroutines.
package worker

import (
    "context"
    "log"
    "sync"
    "time"

    "github.com/kettle-io/kettle/queue"
)

// Handler processes one job. Returning an error nacks the job.
type Handler func(ctx context.Context, job *queue.Job) error

// Pool pulls jobs from a queue and dispatches them to handlers by type.
type Pool struct {
    q        *queue.Queue
    handlers map[string]Handler
    workers  int
    poll     time.Duration
    wg       sync.WaitGroup
}

// NewPool creates a pool with n workers polling q every poll interval.
func NewPool(q *queue.Queue, n int, poll time.Duration) *Pool {
    return &Pool{q: q, handlers: make(map[string]Handler), workers: n, poll: poll}
}

// Handle registers the handler for a job type. Call it before Start.
func (p *Pool) Handle(jobType string, h Handler) {
    p.handlers[jobType] = h
}

// Start launches the workers. They stop when ctx is cancelled.
func (p *Pool) Start(ctx context.Context) {
    for i := 0; i < p.workers; i++ {
        p.wg.Add(1)
        go p.run(ctx)
    }
}

// Wait blocks until all workers have stopped.
func (p *Pool) Wait() {
    p.wg.Wait()
}

func (p *Pool) run(ctx context.Context) {
    defer p.wg.Done()
    for {
        select {
        case <-ctx.Done():
            return
        default:
        }
        job := p.q.Dequeue()
        if job == nil {
            time.Sleep(p.poll)
            continue
        }
        p.process(ctx, job)
    }
}

func (p *Pool) process(ctx context.Context, job *queue.Job) {
    h, ok := p.handlers[job.Type]
    if !ok {
        log.Printf("no handler for job type %q, dropping %s", job.Type, job.ID)
        _ = p.q.Ack(job.ID)
        return
    }
    if err := h(ctx, job); err != nil {
        log.Printf("job %s failed: %v", job.ID, err)
        _ = p.q.Nack(job.ID)
        return
    }
    _ = p.q.Ack(job.ID)
}
"""
)

POOL_TEST_GO = go(
    """
package worker

import (
    "context"
    "errors"
    "testing"
    "time"

    "github.com/kettle-io/kettle/queue"
)

func TestPoolProcessesJobs(t *testing.T) {
    q := queue.New(time.Minute)
    done := make(chan string, 1)
    pool := NewPool(q, 2, time.Millisecond)
    pool.Handle("ping", func(ctx context.Context, job *queue.Job) error {
        done <- job.ID
        return nil
    })
    ctx, cancel := context.WithCancel(context.Background())
    defer cancel()
    pool.Start(ctx)
    job := q.Enqueue("ping", nil)
    select {
    case id := <-done:
        if id != job.ID {
            t.Fatalf("processed %s, want %s", id, job.ID)
        }
    case <-time.After(time.Second):
        t.Fatal("job not processed")
    }
}

func TestFailedJobIsNacked(t *testing.T) {
    q := queue.New(time.Minute)
    pool := NewPool(q, 1, time.Millisecond)
    pool.Handle("fail", func(ctx context.Context, job *queue.Job) error {
        return errors.New("boom")
    })
    job := q.Enqueue("fail", nil)
    pool.process(context.Background(), q.Dequeue())
    if got, _ := q.Get(job.ID); got == nil {
        t.Fatal("failed job was dropped")
    }
}
"""
)

SERVER_GO = go(
    """
// Package api exposes the queue over HTTP.
package api

import (
    "encoding/json"
    "net/http"
    "strings"

    "github.com/kettle-io/kettle/queue"
)

// Server is the HTTP API.
type Server struct {
    q   *queue.Queue
    mux *http.ServeMux
}

// NewServer wires the routes.
func NewServer(q *queue.Queue) *Server {
    s := &Server{q: q, mux: http.NewServeMux()}
    s.mux.HandleFunc("/jobs", s.handleJobs)
    s.mux.HandleFunc("/jobs/", s.handleJob)
    s.mux.HandleFunc("/stats", s.handleStats)
    registerV0(s.mux, q)
    return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
    s.mux.ServeHTTP(w, r)
}

type enqueueRequest struct {
    Type string          `json:"type"`
    Body json.RawMessage `json:"body"`
}

func (s *Server) handleJobs(w http.ResponseWriter, r *http.Request) {
    if r.Method != http.MethodPost {
        http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
        return
    }
    var req enqueueRequest
    if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
        http.Error(w, "invalid JSON: "+err.Error(), http.StatusBadRequest)
        return
    }
    if req.Type == "" {
        http.Error(w, "missing job type", http.StatusBadRequest)
        return
    }
    job := s.q.Enqueue(req.Type, req.Body)
    writeJSON(w, http.StatusCreated, job)
}

func (s *Server) handleJob(w http.ResponseWriter, r *http.Request) {
    id := strings.TrimPrefix(r.URL.Path, "/jobs/")
    if r.Method == http.MethodGet {
        job, ok := s.q.Get(id)
        if !ok {
            http.Error(w, "not found", http.StatusNotFound)
            return
        }
        writeJSON(w, http.StatusOK, job)
        return
    }
    http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
    writeJSON(w, http.StatusOK, s.q.Stats())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
    w.Header().Set("Content-Type", "application/json")
    w.WriteHeader(status)
    _ = json.NewEncoder(w).Encode(v)
}
"""
)

V0_GO = go(
    """
package api

import (
    "net/http"

    "github.com/kettle-io/kettle/queue"
)

// registerV0 keeps the pre-1.0 endpoints alive.
//
// Deprecated: remove in 1.0.
func registerV0(mux *http.ServeMux, q *queue.Queue) {
    mux.HandleFunc("/v0/enqueue", func(w http.ResponseWriter, r *http.Request) {
        jobType := r.URL.Query().Get("type")
        job := q.Enqueue(jobType, nil)
        w.Header().Set("Deprecation", "true")
        writeJSON(w, http.StatusOK, map[string]string{"id": job.ID})
    })
    mux.HandleFunc("/v0/status", func(w http.ResponseWriter, r *http.Request) {
        w.Header().Set("Deprecation", "true")
        writeJSON(w, http.StatusOK, map[string]int{"ready": q.Len()})
    })
}
"""
)

SERVER_TEST_GO = go(
    """
package api

import (
    "net/http"
    "net/http/httptest"
    "strings"
    "testing"
    "time"

    "github.com/kettle-io/kettle/queue"
)

func TestEnqueueAndGet(t *testing.T) {
    srv := NewServer(queue.New(time.Minute))
    body := strings.NewReader(`{"type": "echo", "body": {"n": 1}}`)
    rec := httptest.NewRecorder()
    srv.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/jobs", body))
    if rec.Code != http.StatusCreated {
        t.Fatalf("POST /jobs = %d: %s", rec.Code, rec.Body)
    }
}

func TestEnqueueRequiresType(t *testing.T) {
    srv := NewServer(queue.New(time.Minute))
    rec := httptest.NewRecorder()
    req := httptest.NewRequest(http.MethodPost, "/jobs", strings.NewReader(`{}`))
    srv.ServeHTTP(rec, req)
    if rec.Code != http.StatusBadRequest {
        t.Fatalf("POST /jobs without type = %d, want 400", rec.Code)
    }
}
"""
)

MAIN_GO = go(
    """
package main

import (
    "context"
    "flag"
    "log"
    "net/http"
    "time"

    "github.com/kettle-io/kettle/api"
    "github.com/kettle-io/kettle/queue"
    "github.com/kettle-io/kettle/worker"
)

func main() {
    addr := flag.String("addr", ":8080", "HTTP listen address")
    workers := flag.Int("workers", 4, "number of worker goroutines")
    visibility := flag.Duration("visibility", 30*time.Second, "visibility timeout")
    flag.Parse()

    q := queue.New(*visibility)
    pool := worker.NewPool(q, *workers, 100*time.Millisecond)
    pool.Handle("echo", func(ctx context.Context, job *queue.Job) error {
        log.Printf("echo %s: %s", job.ID, job.Body)
        return nil
    })
    pool.Start(context.Background())

    log.Printf("kettle listening on %s", *addr)
    log.Fatal(http.ListenAndServe(*addr, api.NewServer(q)))
}
"""
)

CI = t(
    """
name: go

on: [push, pull_request]

jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-go@v4
        with:
          go-version: "1.20"
      - run: go vet ./...
      - run: go test ./...
"""
)

CODECOV_HEAD = "## [Codecov](https://app.codecov.io/gh/kettle-io/kettle) Report\n"

# --------------------------------------------------------------------------- pulls

PR_SHUTDOWN = PullSpec(
    title="Graceful shutdown on SIGINT/SIGTERM",
    body=(
        "Kubernetes sends SIGTERM before killing the pod. Until now kettle died "
        "immediately, dropping in-flight HTTP requests and abandoning running "
        "jobs until their visibility timeout. Now we stop accepting requests, "
        "let the workers finish and exit."
    ),
    author="arjun-m",
    branch="graceful-shutdown",
    labels=("enhancement",),
    changes=(
        FileChange(
            "cmd/kettle/main.go",
            edits=(
                E(
                    """
    "log"
    "net/http"
    "time"
""",
                    """
    "log"
    "net/http"
    "os"
    "os/signal"
    "syscall"
    "time"
""",
                ),
                E(
                    """
    pool.Start(context.Background())

    log.Printf("kettle listening on %s", *addr)
    log.Fatal(http.ListenAndServe(*addr, api.NewServer(q)))
""",
                    """
    sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
    ctx, stop := signal.NotifyContext(context.Background(), sigs...)
    defer stop()
    pool.Start(ctx)

    srv := &http.Server{Addr: *addr, Handler: api.NewServer(q)}
    go func() {
        log.Printf("kettle listening on %s", *addr)
        if err := srv.ListenAndServe(); err != nil {
            log.Fatal(err)
        }
    }()

    <-ctx.Done()
    log.Print("shutting down")
    srv.Shutdown(context.Background())
    pool.Wait()
""",
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            "cmd/kettle/main.go",
            edits=(
                E('    "context"\n', '    "context"\n    "errors"\n'),
                E(
                    "        if err := srv.ListenAndServe(); err != nil {\n",
                    "        err := srv.ListenAndServe()\n"
                    "        if err != nil && !errors.Is(err, http.ErrServerClosed) "
                    "{\n",
                ),
                E(
                    "    srv.Shutdown(context.Background())\n",
                    """
    shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
    defer cancel()
    if err := srv.Shutdown(shutdownCtx); err != nil {
        log.Printf("http shutdown: %v", err)
    }
""",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            "closed",
            "sofia-lind",
            "`ListenAndServe` returns `http.ErrServerClosed` as soon as `Shutdown` "
            "is called, so this `log.Fatal` fires on every clean shutdown and calls "
            "`os.Exit(1)` before `pool.Wait()` has a chance to run. Exactly the "
            "abandoned-jobs problem this PR is fixing.",
            path="cmd/kettle/main.go",
            anchor="if err := srv.ListenAndServe(); err != nil {",
            outdated=True,
            association="OWNER",
        ),
        Comment(
            "closed-r1",
            "arjun-m",
            "Oof, yes. Fixed with `errors.Is(err, http.ErrServerClosed)`.",
            reply_to="closed",
            association="CONTRIBUTOR",
        ),
        Comment(
            "deadline",
            "tomasz-w",
            "`Shutdown(context.Background())` waits forever for idle keep-alive "
            "connections to close... well, it closes idle ones, but a slow client "
            "mid-request keeps us alive until Kubernetes SIGKILLs us after 30 s "
            "anyway. Give it a deadline below `terminationGracePeriodSeconds` and "
            "check the error.",
            path="cmd/kettle/main.go",
            anchor="srv.Shutdown(context.Background())",
            outdated=True,
        ),
        Comment(
            "deadline-r1",
            "arjun-m",
            "Done, 15 s, leaving the other half of the default grace period for "
            "the workers.",
            reply_to="deadline",
            association="CONTRIBUTOR",
        ),
        Comment(
            "ctx",
            "sofia-lind",
            "The workers get the signal context, so on SIGTERM every *running* "
            "handler sees `ctx.Done()` immediately. Handlers that respect their "
            "context will abort and nack, which is the opposite of draining. I'd "
            "give handlers a context that is only cancelled when the drain "
            "deadline passes.",
            path="cmd/kettle/main.go",
            anchor="pool.Start(ctx)",
            association="OWNER",
        ),
        Comment(
            "ctx-r1",
            "arjun-m",
            "Agreed, but that needs `Pool.Start` to take two contexts (stop "
            "fetching vs. abort running). Can I do that in a follow-up? This PR "
            "already fixes the HTTP side.",
            reply_to="ctx",
            association="CONTRIBUTOR",
        ),
        Comment(
            "ctx-r2",
            "sofia-lind",
            "Sure, please open an issue so we don't forget.",
            reply_to="ctx",
            association="OWNER",
        ),
        Comment(
            "second-signal",
            "tomasz-w",
            "Call `stop()` as soon as the first signal arrives: it restores the "
            "default handler, so a second Ctrl-C kills a stuck shutdown instead of "
            "being swallowed.\n\n```suggestion\n"
            + go(
                """
    <-ctx.Done()
    stop() // a second signal now kills the process immediately
    log.Print("shutting down")
"""
            )
            + "```",
            path="cmd/kettle/main.go",
            anchor='log.Print("shutting down")',
            start_anchor="<-ctx.Done()",
        ),
        Comment(
            "lgtm",
            "hana-k",
            "LGTM",
            path="cmd/kettle/main.go",
            anchor='"os/signal"',
            association="MEMBER",
        ),
    ),
    conversation=(
        IssueComment(
            "codecov[bot]",
            CODECOV_HEAD + "Attention: `14 lines` in your changes are missing "
            "coverage. Please review.\n| Files | Coverage Δ |\n|---|---|\n"
            "| cmd/kettle/main.go | `0.00% <0.00%> (ø)` |\n",
            author_type="Bot",
            association="NONE",
        ),
    ),
)

PR_RACE = PullSpec(
    title="Fix data race in Queue.Stats",
    body=(
        "Fixes #1\n\n`Stats()` copied the counters without holding the mutex "
        "while `Enqueue`/`Ack` update them. `go test -race` flags it with the new "
        "test; CI now always runs with `-race`."
    ),
    author="hana-k",
    branch="stats-race",
    author_association="MEMBER",
    labels=("bug",),
    changes=(
        FileChange(
            "queue/queue.go",
            edits=(
                E(
                    """
func (q *Queue) Stats() Stats {
    return q.stats
""",
                    """
func (q *Queue) Stats() Stats {
    q.mu.Lock()
    defer q.mu.Unlock()
    return q.stats
""",
                ),
            ),
        ),
        FileChange(
            "queue/queue_test.go",
            edits=(
                E(
                    """
import (
    "testing"
""",
                    """
import (
    "sync"
    "testing"
""",
                ),
                E(
                    "func TestVisibilityTimeout(t *testing.T) {",
                    """
func TestStatsConcurrent(t *testing.T) {
    q := New(time.Minute)
    var wg sync.WaitGroup
    for i := 0; i < 8; i++ {
        wg.Add(1)
        go func() {
            defer wg.Done()
            for j := 0; j < 100; j++ {
                q.Enqueue("t", nil)
                _ = q.Stats()
            }
        }()
    }
    wg.Wait()
    if got := q.Stats().Enqueued; got != 800 {
        t.Fatalf("Enqueued = %d, want 800", got)
    }
}

func TestVisibilityTimeout(t *testing.T) {""",
                ),
            ),
        ),
        FileChange(
            ".github/workflows/ci.yml",
            edits=(
                Edit(
                    "      - run: go test ./...\n", "      - run: go test -race ./...\n"
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            "race-ci",
            "sofia-lind",
            "We should have had `-race` from day one. Every test in this repo is "
            "about concurrency.",
            path=".github/workflows/ci.yml",
            anchor="- run: go test ./...",
            side="LEFT",
            association="OWNER",
        ),
        Comment(
            "race-ci-r1",
            "tomasz-w",
            "It roughly triples the test time (4 s -> 11 s), still fine.",
            reply_to="race-ci",
        ),
        Comment(
            "atomic",
            "tomasz-w",
            "Alternative: make the counters `atomic.Int64` and drop the lock here. "
            "`/stats` is scraped every 5 s by our dashboards, so contention on "
            "`q.mu` from it is negligible, though. Fine either way.",
            path="queue/queue.go",
            anchor="func (q *Queue) Stats() Stats {",
        ),
        Comment(
            "atomic-r1",
            "hana-k",
            "I'd keep a single lock: atomics would make the snapshot inconsistent "
            "(e.g. `Acked > Enqueued` for a moment), which confuses the dashboard.",
            reply_to="atomic",
            association="MEMBER",
        ),
        Comment(
            "test-time",
            "arjun-m",
            "nit: without `-race` this test passes even on the old code, so it's "
            "only meaningful in CI. A comment saying so would help the next person "
            "who runs `go test` locally and wonders.",
            path="queue/queue_test.go",
            anchor="func TestStatsConcurrent(t *testing.T) {",
            association="CONTRIBUTOR",
        ),
        Comment(
            "loopvar",
            "priit-t",
            "Not an issue here since the goroutine doesn't capture `i`, but once "
            "we move to Go 1.22 the per-iteration loop variable makes this pattern "
            "safe anyway.",
            path="queue/queue_test.go",
            anchor="for i := 0; i < 8; i++ {",
            association="CONTRIBUTOR",
        ),
    ),
    conversation=(
        IssueComment(
            "github-actions[bot]",
            "✅ `go test -race ./...` passed (3 packages, 11.2 s)",
            author_type="Bot",
            association="NONE",
        ),
        IssueComment("sofia-lind", "lgtm 👍", association="OWNER"),
    ),
)

PR_BACKOFF = PullSpec(
    title="Retry failed jobs with exponential backoff",
    body=(
        "A nacked job went straight back to the end of the queue, so a job "
        "failing because a downstream service is down was retried in a hot loop "
        "by every worker. Nack now delays the next attempt by `1s << (attempts-1)`."
    ),
    author="priit-t",
    branch="retry-backoff",
    labels=("enhancement",),
    changes=(
        FileChange(
            "queue/queue.go",
            edits=(
                E(
                    """
    ID       string          `json:"id"`
    Type     string          `json:"type"`
    Body     json.RawMessage `json:"body"`
    Attempts int             `json:"attempts"`
    Created  time.Time       `json:"created"`
}
""",
                    """
    ID        string          `json:"id"`
    Type      string          `json:"type"`
    Body      json.RawMessage `json:"body"`
    Attempts  int             `json:"attempts"`
    Created   time.Time       `json:"created"`
    NotBefore time.Time       `json:"not_before,omitempty"`
}
""",
                ),
                E(
                    """
    visibility time.Duration
    stats      Stats
}
""",
                    """
    visibility time.Duration
    retryBase  time.Duration
    stats      Stats
}
""",
                ),
                E(
                    """
        visibility: visibility,
    }
""",
                    """
        visibility: visibility,
        retryBase:  time.Second,
    }
""",
                ),
                E(
                    """
    q.requeueExpired(time.Now())
    if len(q.ready) == 0 {
        return nil
    }
    job := q.ready[0]
    q.ready = q.ready[1:]
    job.Attempts++
    q.inflight[job.ID] = inflightJob{job: job, deadline: time.Now().Add(q.visibility)}
    return job
}
""",
                    """
    now := time.Now()
    q.requeueExpired(now)
    for i, job := range q.ready {
        if job.NotBefore.After(now) {
            continue
        }
        q.ready = append(q.ready[:i], q.ready[i+1:]...)
        job.Attempts++
        q.inflight[job.ID] = inflightJob{job: job, deadline: now.Add(q.visibility)}
        return job
    }
    return nil
}
""",
                ),
                E(
                    """
    delete(q.inflight, id)
    q.ready = append(q.ready, entry.job)
    q.stats.Nacked++
""",
                    """
    delete(q.inflight, id)
    delay := q.retryBase << (entry.job.Attempts - 1)
    entry.job.NotBefore = time.Now().Add(delay)
    q.ready = append(q.ready, entry.job)
    q.stats.Nacked++
""",
                ),
            ),
        ),
        FileChange(
            "queue/queue_test.go",
            edits=(
                E(
                    "func TestVisibilityTimeout(t *testing.T) {",
                    """
func TestNackDelaysRetry(t *testing.T) {
    q := New(time.Minute)
    q.retryBase = 20 * time.Millisecond
    job := q.Enqueue("flaky", nil)
    q.Dequeue()
    if err := q.Nack(job.ID); err != nil {
        t.Fatal(err)
    }
    if q.Dequeue() != nil {
        t.Fatal("nacked job was redelivered before its backoff")
    }
    time.Sleep(30 * time.Millisecond)
    if got := q.Dequeue(); got == nil || got.ID != job.ID {
        t.Fatalf("job not redelivered after backoff: %v", got)
    }
}

func TestVisibilityTimeout(t *testing.T) {""",
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            "queue/queue.go",
            edits=(
                E(
                    "    delay := q.retryBase << (entry.job.Attempts - 1)\n",
                    """
    shift := entry.job.Attempts - 1
    if shift > 10 {
        shift = 10 // about 17 minutes with the default 1s base
    }
    delay := q.retryBase << shift
""",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            "overflow",
            "tomasz-w",
            "`time.Duration` is an int64 of nanoseconds: `1s << 34` already "
            "overflows, and from then on the delay is negative or zero, so a job "
            "that has failed 35 times is retried in a hot loop again. Cap the "
            "shift (or the delay).",
            path="queue/queue.go",
            anchor="delay := q.retryBase << (entry.job.Attempts - 1)",
            outdated=True,
        ),
        Comment(
            "overflow-r1",
            "priit-t",
            "Good catch. Capped the shift at 10 (~17 min). No `min` builtin since "
            "we're still on Go 1.20.",
            reply_to="overflow",
            association="CONTRIBUTOR",
        ),
        Comment(
            "scan",
            "sofia-lind",
            "`Dequeue` now scans `ready` linearly, skipping delayed jobs. After an "
            "outage with 50k delayed jobs at the front, every worker poll walks "
            "all of them under the lock. A separate min-heap keyed by `NotBefore` "
            "would keep `Dequeue` O(log n).",
            path="queue/queue.go",
            anchor="if job.NotBefore.After(now) {",
            start_anchor="for i, job := range q.ready {",
            association="OWNER",
        ),
        Comment(
            "scan-r1",
            "priit-t",
            "Agreed. I kept it simple for now; I'd like to do the heap together "
            "with blocking dequeue since both change how `Dequeue` finds the next "
            "job.",
            reply_to="scan",
            association="CONTRIBUTOR",
        ),
        Comment(
            "append",
            "hana-k",
            "Modifying `q.ready` while ranging over it is safe only because we "
            "return right after. Worth a comment, it looks like a bug at first "
            "glance.",
            path="queue/queue.go",
            anchor="q.ready = append(q.ready[:i], q.ready[i+1:]...)",
            association="MEMBER",
        ),
        Comment(
            "poison",
            "tomasz-w",
            "Without a maximum number of attempts a poison job now retries every "
            "17 minutes forever. Do we want a `MaxAttempts` plus a dead-letter "
            "list before this ships?",
            path="queue/queue.go",
            anchor="entry.job.NotBefore = time.Now().Add(delay)",
        ),
        Comment(
            "poison-r1",
            "sofia-lind",
            "Yes, but as its own PR; this one is already an improvement over the "
            "hot loop.",
            reply_to="poison",
            association="OWNER",
        ),
        Comment(
            "sleep-test",
            "arjun-m",
            "Sleep-based tests get flaky under `-race` on shared runners. Could "
            "`Queue` take a clock (`now func() time.Time`) so the test can move "
            "time instead?",
            path="queue/queue_test.go",
            anchor="time.Sleep(30 * time.Millisecond)",
            association="CONTRIBUTOR",
        ),
        Comment(
            "json",
            "hana-k",
            "`omitempty` does nothing for `time.Time` (it's a struct), so "
            "`not_before` will always be serialized as `0001-01-01T00:00:00Z`. Use "
            "`*time.Time` if you want it omitted.",
            path="queue/queue.go",
            anchor='NotBefore time.Time       `json:"not_before,omitempty"`',
            association="MEMBER",
        ),
    ),
    conversation=(
        IssueComment(
            "codecov[bot]",
            CODECOV_HEAD + "Merging #5 will **increase** coverage by `1.20%`.\n",
            author_type="Bot",
            association="NONE",
        ),
    ),
)

PR_BODYLIMIT = PullSpec(
    title="api: limit request body size and return 413",
    body=(
        "Fixes #2\n\n`POST /jobs` read the whole body into memory, so one client "
        "could OOM the server with a multi-GB request. Bodies are now capped at "
        "1 MiB and oversized requests get `413 Request Entity Too Large`."
    ),
    author="arjun-m",
    branch="body-limit",
    labels=("security",),
    changes=(
        FileChange(
            "api/server.go",
            edits=(
                E(
                    """
// Server is the HTTP API.
""",
                    """
// maxBodyBytes caps the size of a job submission.
const maxBodyBytes = 1 << 20

// Server is the HTTP API.
""",
                ),
                E(
                    """
    var req enqueueRequest
    if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
        http.Error(w, "invalid JSON: "+err.Error(), http.StatusBadRequest)
""",
                    """
    r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
    var req enqueueRequest
    if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
        if strings.Contains(err.Error(), "request body too large") {
            http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
            return
        }
        http.Error(w, "invalid JSON: "+err.Error(), http.StatusBadRequest)
""",
                ),
            ),
        ),
        FileChange(
            "api/server_test.go",
            edits=(
                E(
                    "func TestEnqueueRequiresType(t *testing.T) {",
                    """
func TestEnqueueRejectsLargeBodies(t *testing.T) {
    srv := NewServer(queue.New(time.Minute))
    payload := `{"type": "echo", "body": "` + strings.Repeat("x", 2<<20) + `"}`
    rec := httptest.NewRecorder()
    req := httptest.NewRequest(http.MethodPost, "/jobs", strings.NewReader(payload))
    srv.ServeHTTP(rec, req)
    if rec.Code != http.StatusRequestEntityTooLarge {
        t.Fatalf("POST /jobs with 2 MiB = %d, want 413", rec.Code)
    }
}

func TestEnqueueRequiresType(t *testing.T) {""",
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            "api/server.go",
            edits=(
                E('    "encoding/json"\n', '    "encoding/json"\n    "errors"\n'),
                E(
                    """
        if strings.Contains(err.Error(), "request body too large") {
""",
                    """
        var tooLarge *http.MaxBytesError
        if errors.As(err, &tooLarge) {
""",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            "errors-as",
            "tomasz-w",
            "Matching on the error text breaks silently if the stdlib rewords the "
            "message. Since Go 1.19 `MaxBytesReader` returns `*http.MaxBytesError`; "
            "use `errors.As`.",
            path="api/server.go",
            anchor='if strings.Contains(err.Error(), "request body too large") {',
            outdated=True,
        ),
        Comment(
            "errors-as-r1",
            "arjun-m",
            "Done, TIL about `MaxBytesError`.",
            reply_to="errors-as",
            association="CONTRIBUTOR",
        ),
        Comment(
            "leak",
            "sofia-lind",
            "Pre-existing, but since we're here: echoing `err.Error()` back "
            "exposes decoder internals (`json: cannot unmarshal number into Go "
            "struct field enqueueRequest.type of type string`). It's an internal "
            "API, so I'm OK with it, just flagging.",
            path="api/server.go",
            anchor='http.Error(w, "invalid JSON: "+err.Error(), http.StatusBadRequest)',
            association="OWNER",
        ),
        Comment(
            "configurable",
            "hana-k",
            "1 MiB is fine as a default, but some of our users enqueue rendered "
            "HTML. Make it a `Server` option (`WithMaxBody`) rather than a const?",
            path="api/server.go",
            anchor="const maxBodyBytes = 1 << 20",
            association="MEMBER",
        ),
        Comment(
            "configurable-r1",
            "arjun-m",
            "I'd rather not add options before someone asks: large payloads "
            "should be stored elsewhere and referenced by URL. Happy to add it "
            "when there's an issue.",
            reply_to="configurable",
            association="CONTRIBUTOR",
        ),
        Comment(
            "unknown-fields",
            "priit-t",
            "While we're validating input: `DisallowUnknownFields` would catch "
            'clients sending `{"typ": ...}` typos, which currently fail with the '
            'confusing "missing job type".\n\n```suggestion\n'
            + go(
                """
    dec := json.NewDecoder(r.Body)
    dec.DisallowUnknownFields()
    if err := dec.Decode(&req); err != nil {
"""
            )
            + "```",
            path="api/server.go",
            anchor="if err := json.NewDecoder(r.Body).Decode(&req); err != nil {",
            association="CONTRIBUTOR",
        ),
        Comment(
            "unknown-fields-r1",
            "sofia-lind",
            "That would break clients that send extra metadata today (the Ruby "
            "client sends `priority`). Let's not.",
            reply_to="unknown-fields",
            association="OWNER",
        ),
        Comment(
            "test-mem",
            "tomasz-w",
            "This test allocates 2 MiB strings twice; fine. 👍",
            path="api/server_test.go",
            anchor='strings.Repeat("x", 2<<20)',
        ),
    ),
    conversation=(
        IssueComment(
            "sonarcloud[bot]",
            "**Quality Gate passed**\n\n0 New issues\n0 Security Hotspots\n"
            "100.0% Coverage on New Code\n0.0% Duplication on New Code",
            author_type="Bot",
            association="NONE",
        ),
    ),
)

PR_UUID = PullSpec(
    title="Bump github.com/google/uuid from 1.3.0 to 1.4.0",
    body=(
        "Bumps [github.com/google/uuid](https://github.com/google/uuid) from "
        "1.3.0 to 1.4.0.\n<details>\n<summary>Release notes</summary>\n"
        "<h2>v1.4.0</h2>\n<h3>Features</h3>\n<ul>\n<li>UUIDs slice type with "
        "Strings() convenience method</li>\n</ul>\n</details>\n\nDependabot will "
        "resolve any conflicts with this PR as long as you don't alter it "
        "yourself."
    ),
    author="dependabot[bot]",
    branch="dependabot/go_modules/github.com/google/uuid-1.4.0",
    author_association="NONE",
    labels=("dependencies", "go"),
    commit_message="Bump github.com/google/uuid from 1.3.0 to 1.4.0",
    changes=(
        FileChange(
            "go.mod",
            edits=(
                Edit(
                    "require github.com/google/uuid v1.3.0",
                    "require github.com/google/uuid v1.4.0",
                ),
            ),
        ),
        FileChange("go.sum", content="\n".join(UUID_14) + "\n"),
    ),
    comments=(
        Comment(
            "v7",
            "hana-k",
            "1.4.0 doesn't have v7 UUIDs yet (that's 1.5/1.6); once it does, "
            "time-ordered job IDs would make `ready` debugging much nicer.",
            path="go.mod",
            anchor="require github.com/google/uuid v1.4.0",
            association="MEMBER",
        ),
        Comment(
            "sum",
            "tomasz-w",
            "+1",
            path="go.sum",
            anchor="github.com/google/uuid v1.4.0 h1:",
        ),
    ),
    conversation=(
        IssueComment(
            "github-actions[bot]",
            "✅ `go test -race ./...` passed (3 packages, 10.8 s)",
            author_type="Bot",
            association="NONE",
        ),
        IssueComment("sofia-lind", "@dependabot merge", association="OWNER"),
    ),
)

PR_PANIC = PullSpec(
    title="worker: recover from panicking handlers",
    body=(
        "A panic in any handler crashed the whole process, taking every "
        "in-flight job with it. Workers now recover, log the panic and nack the "
        "job."
    ),
    author="priit-t",
    branch="recover-panics",
    labels=("bug",),
    changes=(
        FileChange(
            "worker/pool.go",
            edits=(
                E(
                    """
func (p *Pool) process(ctx context.Context, job *queue.Job) {
    h, ok := p.handlers[job.Type]
""",
                    """
func (p *Pool) process(ctx context.Context, job *queue.Job) {
    defer func() {
        if r := recover(); r != nil {
            log.Printf("job %s panicked: %v", job.ID, r)
            _ = p.q.Nack(job.ID)
        }
    }()
    h, ok := p.handlers[job.Type]
""",
                ),
            ),
        ),
        FileChange(
            "worker/pool_test.go",
            edits=(
                E(
                    "func TestFailedJobIsNacked(t *testing.T) {",
                    """
func TestPanickingHandlerIsRecovered(t *testing.T) {
    q := queue.New(time.Minute)
    pool := NewPool(q, 1, time.Millisecond)
    pool.Handle("boom", func(ctx context.Context, job *queue.Job) error {
        panic("handler bug")
    })
    job := q.Enqueue("boom", nil)
    pool.process(context.Background(), q.Dequeue())
    if got, _ := q.Get(job.ID); got == nil {
        t.Fatal("panicked job was dropped")
    }
}

func TestFailedJobIsNacked(t *testing.T) {""",
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            "worker/pool.go",
            edits=(
                E('    "log"\n', '    "log"\n    "runtime/debug"\n'),
                E(
                    '            log.Printf("job %s panicked: %v", job.ID, r)\n',
                    '            log.Printf("job %s panicked: %v\\n%s", job.ID, r, '
                    "debug.Stack())\n",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            "stack",
            "sofia-lind",
            "Please log the stack (`debug.Stack()`). Without it, a recovered panic "
            "is much harder to debug than the crash was, because the crash at least "
            "printed a trace.",
            path="worker/pool.go",
            anchor='log.Printf("job %s panicked: %v", job.ID, r)',
            outdated=True,
            association="OWNER",
        ),
        Comment(
            "stack-r1",
            "priit-t",
            "Done.",
            reply_to="stack",
            association="CONTRIBUTOR",
        ),
        Comment(
            "retry",
            "tomasz-w",
            "Panics are usually deterministic (nil map, index out of range), so "
            "nacking means we'll panic again on every retry, with backoff, "
            "forever. Should a panic count as a permanent failure instead?",
            path="worker/pool.go",
            anchor="_ = p.q.Nack(job.ID)",
            start_anchor="if r := recover(); r != nil {",
        ),
        Comment(
            "retry-r1",
            "priit-t",
            "Some of ours are transient (a panic in a third-party client on a "
            "timeout), so I'd keep retrying and rely on the max-attempts limit "
            "once it exists.",
            reply_to="retry",
            association="CONTRIBUTOR",
        ),
        Comment(
            "goexit",
            "hana-k",
            "Note that `recover()` returns nil for `runtime.Goexit` (e.g. "
            "`t.FailNow()` in a handler under test), so those jobs stay in flight "
            "until the visibility timeout. Probably fine.",
            path="worker/pool.go",
            anchor="defer func() {",
            association="MEMBER",
        ),
        Comment(
            "test-nice",
            "arjun-m",
            "nice",
            path="worker/pool_test.go",
            anchor='panic("handler bug")',
            association="CONTRIBUTOR",
        ),
    ),
    conversation=(
        IssueComment(
            "codecov[bot]",
            CODECOV_HEAD + "All modified and coverable lines are covered by tests "
            ":white_check_mark:\n",
            author_type="Bot",
            association="NONE",
        ),
        IssueComment("sofia-lind", "Thanks!", association="OWNER"),
    ),
)

PR_BLOCKING = PullSpec(
    title="Block in DequeueWait instead of polling",
    body=(
        "Idle workers polled `Dequeue` every 100 ms: up to 100 ms of latency per "
        "job and constant lock traffic from idle workers. `DequeueWait(ctx)` "
        "blocks until `Enqueue` signals or the context is cancelled."
    ),
    author="tomasz-w",
    branch="dequeue-wait",
    author_association="MEMBER",
    labels=("performance",),
    changes=(
        FileChange(
            "queue/queue.go",
            edits=(
                E(
                    """
import (
    "encoding/json"
""",
                    """
import (
    "context"
    "encoding/json"
""",
                ),
                E(
                    """
    retryBase  time.Duration
    stats      Stats
}
""",
                    """
    retryBase  time.Duration
    stats      Stats
    notify     chan struct{}
}
""",
                ),
                E(
                    """
        retryBase:  time.Second,
    }
""",
                    """
        retryBase:  time.Second,
        notify:     make(chan struct{}, 1),
    }
""",
                ),
                E(
                    """
    q.stats.Enqueued++
    q.mu.Unlock()
    return job
}
""",
                    """
    q.stats.Enqueued++
    q.mu.Unlock()
    select {
    case q.notify <- struct{}{}:
    default:
    }
    return job
}

// DequeueWait blocks until a job is ready or ctx is done.
func (q *Queue) DequeueWait(ctx context.Context) (*Job, error) {
    for {
        if job := q.Dequeue(); job != nil {
            return job, nil
        }
        select {
        case <-ctx.Done():
            return nil, ctx.Err()
        case <-q.notify:
        }
    }
}
""",
                ),
            ),
        ),
        FileChange(
            "worker/pool.go",
            edits=(
                E(
                    """
    for {
        select {
        case <-ctx.Done():
            return
        default:
        }
        job := p.q.Dequeue()
        if job == nil {
            time.Sleep(p.poll)
            continue
        }
        p.process(ctx, job)
    }
""",
                    """
    for {
        job, err := p.q.DequeueWait(ctx)
        if err != nil {
            return
        }
        p.process(ctx, job)
    }
""",
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            "queue/queue.go",
            edits=(
                E(
                    """
        case <-q.notify:
        }
""",
                    """
        case <-q.notify: // woken by Enqueue
        case <-time.After(q.retryBase):
            // Delayed retries become ready without an Enqueue to signal them.
        }
""",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            "delayed",
            "priit-t",
            "Jobs delayed by a nack become ready without anyone signalling "
            "`notify`, so with only delayed jobs in the queue every worker sleeps "
            "here forever (until the next unrelated `Enqueue`).",
            path="queue/queue.go",
            anchor="case <-q.notify:",
            start_anchor="case <-ctx.Done():",
            outdated=True,
            association="CONTRIBUTOR",
        ),
        Comment(
            "delayed-r1",
            "tomasz-w",
            "Right, I forgot about the backoff. Added a fallback wake-up every "
            "`retryBase`; the heap from the backoff review will let us sleep until "
            "exactly the next `NotBefore` later.",
            reply_to="delayed",
        ),
        Comment(
            "timer",
            "hana-k",
            "`time.After` in a loop allocates a timer per iteration that isn't "
            "collected until it fires (before Go 1.23). With 1 s it's at most one "
            "pending timer per worker, so fine, but a reused `time.Timer` would be "
            "cleaner.",
            path="queue/queue.go",
            anchor="case <-time.After(q.retryBase):",
            association="MEMBER",
        ),
        Comment(
            "wakeone",
            "sofia-lind",
            "With a buffer of 1, ten `Enqueue`s in a burst wake one worker; the "
            "others only notice on their next fallback tick or when that worker "
            "loops. Since the woken worker calls `Dequeue` once per job that's "
            "still correct, just slower to fan out. Was that considered?",
            path="queue/queue.go",
            anchor="case q.notify <- struct{}{}:",
            association="OWNER",
        ),
        Comment(
            "wakeone-r1",
            "tomasz-w",
            "Yes: each woken worker re-signals implicitly by looping, and in the "
            "benchmark a burst of 1000 jobs is picked up by all 8 workers within "
            "2 ms. A `sync.Cond` broadcast would wake everyone for every job.",
            reply_to="wakeone",
        ),
        Comment(
            "poll-field",
            "arjun-m",
            "`Pool.poll` and the `poll` argument of `NewPool` are unused now. "
            "Remove them (breaking) or deprecate?",
            path="worker/pool.go",
            anchor="time.Sleep(p.poll)",
            side="LEFT",
            association="CONTRIBUTOR",
        ),
        Comment(
            "poll-field-r1",
            "tomasz-w",
            "Deprecate in this release, remove in 1.0 together with /v0.",
            reply_to="poll-field",
        ),
    ),
    conversation=(
        IssueComment(
            "github-actions[bot]",
            "Benchmark `BenchmarkEnqueueToProcess`: 51.3 ms/op → 0.09 ms/op",
            author_type="Bot",
            association="NONE",
        ),
        IssueComment("sofia-lind", "🎉", association="OWNER"),
    ),
)

PR_PAYLOAD = PullSpec(
    title="Rename Job.Body to Job.Payload",
    body=(
        '"Body" is confusing next to HTTP request bodies in the API package '
        "(`req.Body` vs `r.Body`). Rename the field to `Payload`."
    ),
    author="arjun-m",
    branch="rename-payload",
    labels=("refactor",),
    changes=(
        FileChange(
            "queue/queue.go",
            edits=(
                E(
                    '    Body      json.RawMessage `json:"body"`\n',
                    '    Payload   json.RawMessage `json:"payload"`\n',
                ),
                E(
                    "func (q *Queue) Enqueue(jobType string, body json.RawMessage) "
                    "*Job {\n"
                    "    job := &Job{ID: uuid.NewString(), Type: jobType, Body: body, "
                    "Created: time.Now()}\n",
                    "func (q *Queue) Enqueue(jobType string, payload json.RawMessage) "
                    "*Job {\n"
                    "    job := &Job{\n        ID:      uuid.NewString(),\n"
                    "        Type:    jobType,\n        Payload: payload,\n"
                    "        Created: time.Now(),\n    }\n",
                ),
            ),
        ),
        FileChange(
            "api/server.go",
            edits=(
                E(
                    """
    Type string          `json:"type"`
    Body json.RawMessage `json:"body"`
""",
                    """
    Type    string          `json:"type"`
    Payload json.RawMessage `json:"payload"`
""",
                ),
                E(
                    "job := s.q.Enqueue(req.Type, req.Body)",
                    "job := s.q.Enqueue(req.Type, req.Payload)",
                ),
            ),
        ),
        FileChange(
            "cmd/kettle/main.go",
            edits=(
                E(
                    'log.Printf("echo %s: %s", job.ID, job.Body)',
                    'log.Printf("echo %s: %s", job.ID, job.Payload)',
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            "queue/queue.go",
            edits=(
                E(
                    '    Payload   json.RawMessage `json:"payload"`\n',
                    '    Payload   json.RawMessage `json:"body"` // "body" on the '
                    "wire until API v2\n",
                ),
            ),
        ),
        FileChange(
            "api/server.go",
            edits=(
                E(
                    '    Payload json.RawMessage `json:"payload"`\n',
                    '    Payload json.RawMessage `json:"body"`\n',
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            "wire",
            "sofia-lind",
            "This changes the wire format, not just the Go name: every client "
            'POSTs `{"body": ...}` and reads `job.body`. With this, their '
            "payloads are silently dropped (unknown field) and `GET /jobs/{id}` "
            "returns `payload`. Keep the JSON name `body`.",
            path="queue/queue.go",
            anchor='Payload   json.RawMessage `json:"payload"`',
            outdated=True,
            association="OWNER",
        ),
        Comment(
            "wire-r1",
            "arjun-m",
            'Yikes, I only thought about the Go API. Kept `json:"body"` in both '
            "structs, with a note.",
            reply_to="wire",
            association="CONTRIBUTOR",
        ),
        Comment(
            "wire-req",
            "priit-t",
            "Same problem in the request struct.",
            path="api/server.go",
            anchor='Payload json.RawMessage `json:"payload"`',
            outdated=True,
            association="CONTRIBUTOR",
        ),
        Comment(
            "wire-req-r1",
            "arjun-m",
            "Fixed as well.",
            reply_to="wire-req",
            association="CONTRIBUTOR",
        ),
        Comment(
            "literal",
            "hana-k",
            "nit: the keyed literal is nicer, thanks for splitting it.",
            path="queue/queue.go",
            anchor="Payload: payload,",
            association="MEMBER",
        ),
        Comment(
            "breaking-go",
            "tomasz-w",
            "It's still a breaking change for Go importers of `queue.Job`. Since "
            "we're pre-1.0 that's allowed, but it needs a changelog line.",
            path="queue/queue.go",
            anchor='Body      json.RawMessage `json:"body"`',
            side="LEFT",
        ),
        Comment(
            "breaking-go-r1",
            "arjun-m",
            "Added to the draft release notes.",
            reply_to="breaking-go",
            association="CONTRIBUTOR",
        ),
    ),
)

PR_V0 = PullSpec(
    title="Remove deprecated /v0 endpoints",
    body=(
        "`/v0/enqueue` and `/v0/status` have answered with `Deprecation: true` "
        "since 0.6, and the access logs show no traffic on them for 90 days."
    ),
    author="hana-k",
    branch="drop-v0",
    author_association="MEMBER",
    labels=("breaking-change",),
    changes=(
        FileChange("api/v0.go", delete=True),
        FileChange(
            "api/server.go",
            edits=(E("    registerV0(s.mux, q)\n", ""),),
        ),
        FileChange(
            "README.md",
            edits=(
                Edit(
                    "\n## Deprecated API\n\n`/v0/enqueue` and `/v0/status` still work "
                    "but answer with `Deprecation: true`.\nThey will be removed in "
                    "1.0.\n",
                    "",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            "gone",
            "sofia-lind",
            "Could we keep a tiny handler answering `410 Gone` with a pointer to "
            "`/jobs` for one release? A plain 404 from the mux looks like a "
            "misconfigured URL to anyone who missed the deprecation.",
            path="api/server.go",
            anchor='s.mux.HandleFunc("/stats", s.handleStats)',
            association="OWNER",
        ),
        Comment(
            "gone-r1",
            "hana-k",
            "90 days without a single request; I don't think anyone will notice. "
            "But it's three lines, so sure, I'll add it in a follow-up with a test.",
            reply_to="gone",
            association="MEMBER",
        ),
        Comment(
            "type-check",
            "tomasz-w",
            "Good riddance: this one never validated `type`, so an empty type "
            "could be enqueued and was dropped by the workers.",
            path="api/v0.go",
            anchor='jobType := r.URL.Query().Get("type")',
            side="LEFT",
        ),
        Comment(
            "lgtm",
            "priit-t",
            "LGTM",
            path="README.md",
            anchor="curl localhost:8080/stats",
            association="CONTRIBUTOR",
        ),
    ),
)

METRICS_GO = go(
    """
// Package metrics defines kettle's Prometheus metrics.
package metrics

import "github.com/prometheus/client_golang/prometheus"

// JobsProcessed counts finished jobs by type and outcome (ok, failed, dropped).
var JobsProcessed = prometheus.NewCounterVec(
    prometheus.CounterOpts{
        Name: "kettle_jobs_processed_total",
        Help: "Jobs processed, by type and outcome.",
    },
    []string{"type", "outcome", "job_id"},
)

// JobDuration observes handler run time in seconds.
var JobDuration = prometheus.NewHistogramVec(
    prometheus.HistogramOpts{
        Name:    "kettle_job_duration_seconds",
        Help:    "Handler run time.",
        Buckets: prometheus.DefBuckets,
    },
    []string{"type"},
)

func init() {
    prometheus.MustRegister(JobsProcessed, JobDuration)
}
"""
)

PR_METRICS = PullSpec(
    title="Export Prometheus metrics",
    body=(
        "Adds `/metrics` with `kettle_jobs_processed_total{type,outcome}` and "
        "`kettle_job_duration_seconds{type}`. Pulls in client_golang."
    ),
    author="priit-t",
    branch="prometheus",
    labels=("enhancement", "observability"),
    changes=(
        FileChange("metrics/metrics.go", content=METRICS_GO),
        FileChange(
            "worker/pool.go",
            edits=(
                E(
                    '    "github.com/kettle-io/kettle/queue"\n',
                    '    "github.com/kettle-io/kettle/metrics"\n'
                    '    "github.com/kettle-io/kettle/queue"\n',
                ),
                E(
                    """
    if err := h(ctx, job); err != nil {
        log.Printf("job %s failed: %v", job.ID, err)
        _ = p.q.Nack(job.ID)
        return
    }
    _ = p.q.Ack(job.ID)
""",
                    """
    start := time.Now()
    err := h(ctx, job)
    metrics.JobDuration.WithLabelValues(job.Type).Observe(time.Since(start).Seconds())
    if err != nil {
        log.Printf("job %s failed: %v", job.ID, err)
        metrics.JobsProcessed.WithLabelValues(job.Type, "failed", job.ID).Inc()
        _ = p.q.Nack(job.ID)
        return
    }
    metrics.JobsProcessed.WithLabelValues(job.Type, "ok", job.ID).Inc()
    _ = p.q.Ack(job.ID)
""",
                ),
            ),
        ),
        FileChange(
            "api/server.go",
            edits=(
                E(
                    '    "github.com/kettle-io/kettle/queue"\n',
                    '    "github.com/kettle-io/kettle/queue"\n'
                    '    "github.com/prometheus/client_golang/prometheus/promhttp"\n',
                ),
                E(
                    '    s.mux.HandleFunc("/stats", s.handleStats)\n',
                    '    s.mux.HandleFunc("/stats", s.handleStats)\n'
                    '    s.mux.Handle("/metrics", promhttp.Handler())\n',
                ),
            ),
        ),
        FileChange(
            "go.mod",
            content=go(
                """
module github.com/kettle-io/kettle

go 1.20

require (
    github.com/google/uuid v1.4.0
    github.com/prometheus/client_golang v1.17.0
)

require (
    github.com/beorn7/perks v1.0.1 // indirect
    github.com/cespare/xxhash/v2 v2.2.0 // indirect
    github.com/golang/protobuf v1.5.3 // indirect
    github.com/matttproud/golang_protobuf_extensions v1.0.4 // indirect
    github.com/prometheus/client_model v0.5.0 // indirect
    github.com/prometheus/common v0.44.0 // indirect
    github.com/prometheus/procfs v0.11.1 // indirect
    golang.org/x/sys v0.11.0 // indirect
    google.golang.org/protobuf v1.31.0 // indirect
)
"""
            ),
        ),
        FileChange(
            "go.sum",
            content=gosum_file(("github.com/google/uuid", "v1.4.0"), *PROM_MODULES),
        ),
    ),
    fixups=(
        FileChange(
            "metrics/metrics.go",
            edits=(
                E(
                    '    []string{"type", "outcome", "job_id"},\n',
                    '    []string{"type", "outcome"},\n',
                ),
            ),
        ),
        FileChange(
            "worker/pool.go",
            edits=(
                E(
                    'WithLabelValues(job.Type, "failed", job.ID)',
                    'WithLabelValues(job.Type, "failed")',
                ),
                E(
                    'WithLabelValues(job.Type, "ok", job.ID)',
                    'WithLabelValues(job.Type, "ok")',
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            "cardinality",
            "tomasz-w",
            "`job_id` as a label creates a new time series per job. At our volume "
            "that's millions of series per day, which will take down Prometheus. "
            "Per-job data belongs in logs or traces, not metrics.",
            path="metrics/metrics.go",
            anchor='[]string{"type", "outcome", "job_id"},',
            outdated=True,
        ),
        Comment(
            "cardinality-r1",
            "priit-t",
            "Removed, sorry, left over from debugging.",
            reply_to="cardinality",
            association="CONTRIBUTOR",
        ),
        Comment(
            "type-label",
            "sofia-lind",
            "`type` is chosen by whoever calls `POST /jobs`, so it's unbounded too: "
            "a client with a bug (or a malicious one) can create a series per "
            "request. Only use registered handler types as label values and map "
            "everything else to `unknown`.",
            path="worker/pool.go",
            anchor='metrics.JobsProcessed.WithLabelValues(job.Type, "ok").Inc()',
            association="OWNER",
        ),
        Comment(
            "type-label-r1",
            "priit-t",
            "Jobs without a handler never reach this line (they're dropped "
            "earlier), so the label values here are always registered types. "
            "I'll add a comment.",
            reply_to="type-label",
            association="CONTRIBUTOR",
        ),
        Comment(
            "type-label-r2",
            "sofia-lind",
            "Ah right, good.",
            reply_to="type-label",
            association="OWNER",
        ),
        Comment(
            "default-registry",
            "hana-k",
            "Registering on the global default registry in `init()` makes the "
            "package impossible to import twice in tests with different setups "
            "and panics on duplicate registration if anyone embeds kettle. A "
            "`metrics.New(reg prometheus.Registerer)` would be friendlier.",
            path="metrics/metrics.go",
            anchor="prometheus.MustRegister(JobsProcessed, JobDuration)",
            association="MEMBER",
        ),
        Comment(
            "deps",
            "tomasz-w",
            "client_golang pulls in protobuf and x/sys; binary grows from 7.1 to "
            "11.4 MB. Acceptable for what we get, just noting.",
            path="go.mod",
            anchor="github.com/prometheus/client_golang v1.17.0",
        ),
        Comment(
            "buckets",
            "arjun-m",
            "`DefBuckets` top out at 10 s; our report jobs take minutes, so they "
            "all land in `+Inf`. Could we use `ExponentialBuckets(0.01, 4, 10)`?"
            "\n\n```suggestion\n"
            + go(
                """
        Buckets: prometheus.ExponentialBuckets(0.01, 4, 10), // 10 ms .. ~43 min
"""
            )
            + "```",
            path="metrics/metrics.go",
            anchor="Buckets: prometheus.DefBuckets,",
            association="CONTRIBUTOR",
        ),
    ),
    conversation=(
        IssueComment(
            "codecov[bot]",
            CODECOV_HEAD + "Merging #12 will **decrease** coverage by `2.31%`.\n"
            "| Files | Coverage Δ |\n|---|---|\n| metrics/metrics.go | `0.00% <0.00%> "
            "(ø)` |\n",
            author_type="Bot",
            association="NONE",
        ),
        IssueComment(
            "sonarcloud[bot]",
            "**Quality Gate passed**\n\n0 New issues\n0 Security Hotspots\n"
            "71.4% Coverage on New Code",
            author_type="Bot",
            association="NONE",
        ),
    ),
)

PR_BOLT = PullSpec(
    title="Persist jobs in BoltDB",
    body=(
        "Jobs are lost on restart. This stores every job in a bbolt file and "
        "reloads it on startup."
    ),
    author="dbnerd",
    branch="bolt-store",
    state="closed",
    author_association="FIRST_TIME_CONTRIBUTOR",
    changes=(
        FileChange(
            "store/bolt.go",
            content=go(
                """
// Package store persists jobs in a bbolt database.
package store

import (
    "encoding/json"

    "go.etcd.io/bbolt"

    "github.com/kettle-io/kettle/queue"
)

var bucket = []byte("jobs")

// Bolt stores jobs by ID.
type Bolt struct {
    db *bbolt.DB
}

// Open opens (or creates) the database file.
func Open(path string) (*Bolt, error) {
    db, err := bbolt.Open(path, 0o644, nil)
    if err != nil {
        return nil, err
    }
    return &Bolt{db: db}, nil
}

// Save writes a job.
func (b *Bolt) Save(job *queue.Job) error {
    data, _ := json.Marshal(job)
    return b.db.Update(func(tx *bbolt.Tx) error {
        bk, _ := tx.CreateBucketIfNotExists(bucket)
        return bk.Put([]byte(job.ID), data)
    })
}
"""
            ),
        ),
    ),
    comments=(
        Comment(
            "errs",
            "tomasz-w",
            "Both errors are ignored here; `CreateBucketIfNotExists` fails on a "
            "read-only tx or a full disk and `bk` is then nil, so `Put` panics.",
            path="store/bolt.go",
            anchor="bk, _ := tx.CreateBucketIfNotExists(bucket)",
        ),
        Comment(
            "fsync",
            "hana-k",
            "One `Update` per job means one fsync per enqueue: ~2-5 ms on SSDs, "
            "which caps us at a few hundred jobs/s. `db.Batch` would help.",
            path="store/bolt.go",
            anchor="return b.db.Update(func(tx *bbolt.Tx) error {",
            association="MEMBER",
        ),
        Comment(
            "wiring",
            "tomasz-w",
            "Nothing calls `Save` or reloads on startup, and acks never delete, "
            "so this is only the first piece.",
            path="store/bolt.go",
            anchor="func (b *Bolt) Save(job *queue.Job) error {",
        ),
    ),
    conversation=(
        IssueComment(
            "sofia-lind",
            "Thank you for the contribution! Persistence is on the roadmap, but "
            "we want it behind a `Store` interface in the queue (so Postgres and "
            "Redis can implement it too), and with the write path batched. This "
            "PR also isn't wired into the queue yet. I'm closing it in favour of "
            "the design issue; your input there would be very welcome.",
            association="OWNER",
        ),
        IssueComment(
            "dbnerd",
            "Understood, I'll comment on the design issue.",
            association="NONE",
        ),
    ),
)

REPO = RepoSpec(
    owner="kettle-io",
    name="kettle",
    language="Go",
    description="A small job queue for Go services, with an HTTP API and workers",
    stars=964,
    license_spdx="Apache-2.0",
    topics=("job-queue", "golang", "workers", "http-api"),
    created_at="2023-02-06T11:20:00Z",
    files={
        "go.mod": GO_MOD,
        "go.sum": "\n".join(UUID_13) + "\n",
        "README.md": README,
        ".github/workflows/ci.yml": CI,
        "queue/queue.go": QUEUE_GO,
        "queue/queue_test.go": QUEUE_TEST_GO,
        "worker/pool.go": POOL_GO,
        "worker/pool_test.go": POOL_TEST_GO,
        "api/server.go": SERVER_GO,
        "api/server_test.go": SERVER_TEST_GO,
        "api/v0.go": V0_GO,
        "cmd/kettle/main.go": MAIN_GO,
    },
    issues=(
        IssueSpec(
            number=1,
            title="DATA RACE in Queue.Stats under go test -race",
            body=(
                "```\nWARNING: DATA RACE\nRead at 0x00c0001b4090 by goroutine 9:\n"
                "  github.com/kettle-io/kettle/queue.(*Queue).Stats()\n"
                "      queue/queue.go:112 +0x44\nPrevious write at 0x00c0001b4090 "
                "by goroutine 8:\n  github.com/kettle-io/kettle/queue.(*Queue)."
                "Enqueue()\n```"
            ),
            author="hana-k",
            labels=("bug",),
        ),
        IssueSpec(
            number=2,
            title="POST /jobs accepts arbitrarily large bodies",
            body=(
                "A 3 GB request made the server allocate until the OOM killer "
                "stepped in. There should be a size limit."
            ),
            author="secops-sam",
            labels=("security",),
        ),
    ),
    pulls=(
        PR_SHUTDOWN,
        PR_RACE,
        PR_BACKOFF,
        PR_BODYLIMIT,
        PR_UUID,
        PR_PANIC,
        PR_BLOCKING,
        PR_PAYLOAD,
        PR_V0,
        PR_METRICS,
        PR_BOLT,
    ),
)
