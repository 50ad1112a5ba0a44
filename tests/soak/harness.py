"""Fault-injection soak: ingest through critique, killed and restarted, must end
exactly where a fault-free run ends.

Two local servers run in this process for the whole soak, so they outlive every
kill: the GitHub-compatible server over the bundled sample and an OpenAI-compatible
server whose model is a deterministic extract of each comment (the point is the
data path, not the summaries). Both inject faults at ``fault_rate``: 429 with
Retry-After, secondary rate limits, 5xx, timeouts, dropped connections, truncated
or malformed bodies. ``kedro run`` runs in a child process of a project copy and is
killed with SIGKILL at random moments, ``kills`` times, then run to the end.

A reference project runs the same pipelines once against fault-free servers. At the
end every record partition of the soaked project must equal the reference's (as a
multiset of records: nothing lost, nothing duplicated), every JSON and JSONL file
must parse (nothing truncated), and no temporary file may be left behind.

    python -m tests.soak.harness [--kills 3] [--fault-rate 0.2] [--rounds 1]
        [--seed 0] [--write docs/reliability.md]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from prreview.atomic import TMP_PREFIX
from prreview.github import server as github_server
from prreview.llm import server as llm_server
from prreview.llm.local_model import GenerationParams, GenerationResult, Message
from tests.conftest import SAMPLE, copy_project

PIPELINES = ("ingest", "filter_train", "filter", "summarize", "codediff", "critique")
# every record the data path writes, by partition; compared as multisets of records
COMPARED = (
    "data/02_intermediate/pull_requests",
    "data/02_intermediate/review_comments",
    "data/02_intermediate/issue_comments",
    "data/02_intermediate/linked_issues",
    "data/02_intermediate/pull_diffs",
    "data/03_primary/filtered_comments",
    "data/03_primary/comment_summaries",
    "data/04_feature/codediff_files",
    "data/04_feature/critique_data",
    "data/05_model_input/critique_sft.jsonl",
)
VOLATILE = ("cached",)  # a summary read from the cache says so; its text is the same
GITHUB_FAULTS = (
    "rate_limit_429",
    "secondary_rate_limit_403",
    "server_error_500",
    "bad_gateway_502",
    "unavailable_503",
    "timeout",
    "drop_connection",
    "truncated_body",
)
LLM_FAULTS = (
    "rate_limit_429",
    "server_error_500",
    "unavailable_503",
    "drop_connection",
    "malformed_json",
    "slow",
)
FAKE_TOKEN = "ghp_soakFAKEtoken000000000000000000000000"  # noqa: S105 - a decoy
FAKE_API_KEY = "sk-soak-FAKE-key-0000000000000000000000"


class ExtractiveModel:
    """A deterministic stand-in for a chat model: the comment's first sentence."""

    def generate(
        self, batch: Sequence[Sequence[Message]], params: Sequence[GenerationParams]
    ) -> list[GenerationResult]:
        results = []
        for chat, _ in zip(batch, params, strict=True):
            text = chat[-1]["content"]
            comment = text.split("Review comment:\n", 1)[-1].split("\n\nRewrite", 1)[0]
            first = comment.split(". ", 1)[0].strip()
            words = first.split()[:40]
            answer = " ".join(words) + ("." if words else "")
            results.append(
                GenerationResult(answer, "stop", len(text.split()), len(words))
            )
        return results


@dataclass
class SoakSettings:
    kills: int = 3
    fault_rate: float = 0.2  # per request, split evenly between the kinds
    seed: int = 0
    min_kill_s: float = 1.0
    max_attempts: int = 60  # kedro runs at most, kills included
    run_timeout_s: float = 900.0
    retry_after_s: float = 1.0  # what the servers' 429s and secondary limits ask

    @property
    def max_retries(self) -> int:
        """Enough that a request gives up about once in 10^7 at this fault rate."""
        if self.fault_rate <= 0:
            return 3
        return max(10, math.ceil(math.log(1e-7) / math.log(self.fault_rate)))


@dataclass
class SoakResult:
    kills: int = 0
    runs: int = 0
    failed_runs: int = 0  # exited non-zero (and were restarted)
    faults: dict[str, int] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    client_retries: dict[str, int] = field(default_factory=dict)
    records_compared: int = 0
    differences: list[str] = field(default_factory=list)
    broken_files: list[str] = field(default_factory=list)
    leftover_files: list[str] = field(default_factory=list)
    reference_seconds: float = 0.0
    soak_seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not (self.differences or self.broken_files or self.leftover_files)


# ------------------------------------------------------------------------ servers


def _rates(kinds: Sequence[str], total: float) -> dict[str, float]:
    return {kind: total / len(kinds) for kind in kinds} if total > 0 else {}


@contextmanager
def servers(
    fault_rate: float, seed: int, retry_after_s: float = 1.0
) -> Iterator[tuple[Any, Any]]:
    """The GitHub and OpenAI-compatible servers, injecting faults at ``fault_rate``."""
    github_faults = github_server.FaultConfig(
        rates=_rates(GITHUB_FAULTS, fault_rate),
        seed=seed,
        retry_after_s=retry_after_s,
        slow_delay_s=0.2,
        timeout_hold_s=6.0,
    )
    llm_faults = llm_server.FaultConfig(
        rates=_rates(LLM_FAULTS, fault_rate),
        seed=seed + 1,
        retry_after_s=min(retry_after_s, 0.2),
        slow_delay_s=0.2,
    )
    with ExitStack() as stack:
        github = stack.enter_context(
            github_server.serve_in_thread(
                github_server.ServerConfig(snapshot=SAMPLE, faults=github_faults)
            )
        )
        llm = stack.enter_context(
            llm_server.serve_in_thread(
                llm_server.ServerConfig(
                    backend=ExtractiveModel(),
                    model_name="soak-model",
                    api_key=FAKE_API_KEY,
                    parallel_batches=4,
                    faults=llm_faults,
                )
            )
        )
        yield github, llm


def project_conf(github: Any, llm: Any, max_retries: int = 15) -> dict[str, str]:
    """conf/local files pointing a project copy at the two servers, with the fake
    token and key as credentials and retries sized for a faulty network."""
    catalog = f"""\
github_api:
  type: prreview.datasets.GitHubAPIDataset
  base_url: {github.base_url}
  etag_cache: data/01_raw/github_api/etag_cache.sqlite
  credentials: github
summarizer:
  type: prreview.datasets.ChatBackendDataset
  backend: openai
  model: soak-model
  base_url: {llm.base_url}
  cache: data/02_intermediate/summarize_cache.sqlite
  concurrency: 8
  timeout_s: 5
  max_retries: {max_retries}
  retry_base_delay_s: 0.05
  retry_max_delay_s: 0.5
  credentials: openai
"""
    credentials = f"""\
github:
  token: {FAKE_TOKEN}
openai:
  api_key: {FAKE_API_KEY}
"""
    parameters = f"""\
ingest:
  fetch:              # small pages: many more requests to fail, pagination under faults
    page_size: 1
    thread_page_size: 1
  client:
    timeout_s: 3
    max_retries: {max_retries}
    max_rate_limit_waits: {max_retries}  # waited out, not given up
    backoff_base_s: 0.05
    backoff_max_s: 0.5
    secondary_limit_wait_s: 1
"""
    return {
        "catalog.yml": catalog,
        "credentials.yml": credentials,
        "parameters.yml": parameters,
    }


# ------------------------------------------------------------------------- runs


def _kedro(project: Path, log: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "KEDRO_DISABLE_TELEMETRY": "true",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    env.pop("OPENAI_API_KEY", None)
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and kedro
            [
                sys.executable,
                "-m",
                "kedro",
                "run",
                "--pipelines",
                ",".join(PIPELINES),
                "--runner",
                "ThreadRunner",
            ],
            cwd=project,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as one
        )


def run_to_end(project: Path, log: Path, timeout_s: float) -> float:
    """One uninterrupted run; its seconds. A failure names the log."""
    started = time.monotonic()
    process = _kedro(project, log)
    try:
        code = process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise RuntimeError(f"run did not end in {timeout_s} s; see {log}") from None
    if code != 0:
        raise RuntimeError(f"kedro run exited {code}; see {log}")
    return time.monotonic() - started


def soak_runs(
    project: Path, log: Path, settings: SoakSettings, typical_s: float
) -> SoakResult:
    """Run, kill at a random moment, restart, ``kills`` times; then run to the end."""
    result = SoakResult()
    rng = random.Random(settings.seed)
    started = time.monotonic()
    while result.runs < settings.max_attempts:
        result.runs += 1
        process = _kedro(project, log)
        if result.kills < settings.kills:
            deadline = rng.uniform(settings.min_kill_s, max(typical_s, 2.0))
            try:
                code = process.wait(timeout=deadline)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                result.kills += 1
                continue
        else:
            code = process.wait(timeout=settings.run_timeout_s)
        if code != 0:
            result.failed_runs += 1
            continue
        if result.kills >= settings.kills:
            break
    else:
        raise RuntimeError(
            f"no clean finish after {settings.max_attempts} runs; see {log}"
        )
    result.soak_seconds = time.monotonic() - started
    return result


# ---------------------------------------------------------------------- checking


def _records(path: Path) -> Counter[str]:
    """A JSONL file's records (volatile fields dropped) as a multiset."""
    found: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            for name in VOLATILE:
                record.pop(name, None)
            found[json.dumps(record, sort_keys=True)] += 1
    return found


def _files(root: Path, relative: str) -> dict[str, Path]:
    base = root / relative
    if base.is_file():
        return {relative: base}
    return {str(p.relative_to(root)): p for p in sorted(base.rglob("*.jsonl"))}


def compare(reference: Path, soaked: Path) -> tuple[int, list[str]]:
    """Records compared, and every difference as a readable line."""
    compared, differences = 0, []
    for relative in COMPARED:
        expected, actual = _files(reference, relative), _files(soaked, relative)
        if not expected:
            differences.append(f"{relative}: the reference run wrote nothing")
        for name in sorted(set(expected) | set(actual)):
            if name not in actual:
                differences.append(f"{name}: missing")
                continue
            if name not in expected:
                differences.append(f"{name}: not in the reference run")
                continue
            want, got = _records(expected[name]), _records(actual[name])
            compared += sum(want.values())
            lost, extra = want - got, got - want
            if lost or extra:
                differences.append(
                    f"{name}: {sum(lost.values())} records lost, "
                    f"{sum(extra.values())} extra or duplicated"
                )
    return compared, differences


def damaged_files(root: Path) -> tuple[list[str], list[str]]:
    """Files that do not parse (JSON, JSONL), and temporary files left behind."""
    broken, leftovers = [], []
    for path in sorted((root / "data").rglob("*")):
        if path.is_symlink() or "01_raw/github_sample" in str(path):
            continue
        name = str(path.relative_to(root))
        if path.name.startswith(TMP_PREFIX) or path.name.endswith(".tmp"):
            leftovers.append(name)
            continue
        if not path.is_file():
            continue
        try:
            if path.suffix == ".json":
                json.loads(path.read_text(encoding="utf-8"))
            elif path.suffix == ".jsonl":
                for line in path.read_text(encoding="utf-8").splitlines():
                    if line.strip():
                        json.loads(line)
        except (ValueError, UnicodeDecodeError) as error:
            broken.append(f"{name}: {error}")
    return broken, leftovers


def _client_retries(project: Path) -> dict[str, int]:
    """Retries the clients reported in the soaked project's reports."""
    retries: Counter[str] = Counter()
    for report in (project / "data/08_reporting/summarize_report.json").rglob("*.json"):
        usage = json.loads(report.read_text()).get("usage", {})
        for cause, count in (usage.get("retries") or {}).items():
            retries[f"openai:{cause}"] += int(count)
    return dict(sorted(retries.items()))


# ------------------------------------------------------------------------- soak


def reference_run(workdir: Path, timeout_s: float = 900.0) -> tuple[Path, float]:
    """A project run once against fault-free servers, and how long it took."""
    with servers(0.0, 0) as (github, llm):
        reference = copy_project(workdir / "reference", project_conf(github, llm))
        seconds = run_to_end(reference, workdir / "reference.log", timeout_s)
    return reference, seconds


def run_soak(
    settings: SoakSettings,
    workdir: Path,
    reference: tuple[Path, float] | None = None,
) -> SoakResult:
    """The soak of a fresh project, compared with ``reference`` (run first when
    not given: the reference does not depend on faults, kills or seeds)."""
    reference_dir, reference_s = reference or reference_run(
        workdir, settings.run_timeout_s
    )
    with servers(settings.fault_rate, settings.seed, settings.retry_after_s) as (
        github,
        llm,
    ):
        soaked = copy_project(
            workdir / "soak", project_conf(github, llm, settings.max_retries)
        )
        result = soak_runs(soaked, workdir / "soak.log", settings, reference_s)
        github_stats, llm_stats = github.state.stats, llm.stats
        result.faults = {f"github:{k}": v for k, v in github_stats.faults.items()}
        result.faults |= {f"openai:{k}": v for k, v in llm_stats.faults.items()}
        result.requests = {
            "github": github_stats.total_requests,
            "openai": int(llm_stats.as_dict()["requests"]),
        }
    result.reference_seconds = reference_s
    result.client_retries = _client_retries(soaked)
    result.records_compared, result.differences = compare(reference_dir, soaked)
    result.broken_files, result.leftover_files = damaged_files(soaked)
    return result


def summary(results: Sequence[SoakResult], settings: SoakSettings) -> str:
    """The figures as markdown."""
    faults: Counter[str] = Counter()
    for result in results:
        faults.update(result.faults)
    total = sum(faults.values())
    lines = [
        f"{len(results)} round(s), fault rate {settings.fault_rate} per request, "
        f"Retry-After {settings.retry_after_s:g} s, up to {settings.max_retries} "
        f"retries, seed {settings.seed}: {sum(r.kills for r in results)} SIGKILLs "
        "survived, "
        f"{sum(r.runs for r in results)} `kedro run`s "
        f"({sum(r.failed_runs for r in results)} exited non-zero and were rerun), "
        f"{total} faults injected, "
        f"{sum(r.requests.get('github', 0) for r in results)} GitHub and "
        f"{sum(r.requests.get('openai', 0) for r in results)} OpenAI requests served, "
        f"{sum(r.records_compared for r in results)} records compared with the "
        f"fault-free runs: "
        f"{sum(len(r.differences) for r in results)} differences, "
        f"{sum(len(r.broken_files) for r in results)} truncated files, "
        f"{sum(len(r.leftover_files) for r in results)} temporary files left.",
        "",
        "| fault | injected |",
        "|---|---:|",
        *(f"| {kind} | {count} |" for kind, count in sorted(faults.items())),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--fault-rate", type=float, default=0.2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--retry-after", type=float, default=1.0, help="seconds the servers ask for"
    )
    parser.add_argument("--keep", type=Path, help="work here and keep the projects")
    parser.add_argument("--write", type=Path, help="update this markdown file")
    args = parser.parse_args()
    results = []
    root = args.keep or Path(tempfile.mkdtemp(prefix="soak-"))
    root.mkdir(parents=True, exist_ok=True)
    reference = reference_run(root)
    for round_index in range(args.rounds):
        settings = SoakSettings(
            kills=args.kills,
            fault_rate=args.fault_rate,
            seed=args.seed + round_index,
            retry_after_s=args.retry_after,
        )
        workdir = root / f"round-{round_index}"
        workdir.mkdir(parents=True, exist_ok=True)
        result = run_soak(settings, workdir, reference)
        print(json.dumps(asdict(result), indent=2))  # noqa: T201
        results.append(result)
        if not result.passed:
            break
    table = summary(
        results,
        SoakSettings(
            args.kills, args.fault_rate, args.seed, retry_after_s=args.retry_after
        ),
    )
    print(table)  # noqa: T201
    if args.write:
        from benchmarks.report import write_section  # noqa: PLC0415

        write_section(args.write, "soak", "Soak (faults and kills)", table)
    if not all(result.passed for result in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
