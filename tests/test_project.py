"""The Kedro project as a user meets it: settings, registry, environments and
a real session."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project

from prreview.config import ProjectConfigLoader
from prreview.pipeline_registry import register_pipelines
from prreview.runtime import run_async
from prreview.settings import CONFIG_LOADER_ARGS
from tests.conftest import ROOT
from tests.soak.harness import FAKE_API_KEY, FAKE_TOKEN
from tests.soak.leaks import find_leaks

TOKEN = "ghp_PROJECTTESTTOKEN0123456789abcdefghi"


def test_registry_has_every_built_pipeline_and_a_default() -> None:
    bootstrap_project(ROOT)
    pipelines = register_pipelines()
    assert {"__default__", "ingest"} <= set(pipelines)
    assert set(pipelines["__default__"].nodes) >= set(pipelines["ingest"].nodes)
    names = [node.name for node in pipelines["ingest"].nodes]
    assert all(name.endswith("_node") for name in names)


def test_local_credentials_also_apply_to_prod(project_copy) -> None:
    project = project_copy(
        local_conf={"credentials.yml": f"github:\n  token: {TOKEN}\n"}
    )
    for env in ("local", "prod", None):
        loader = ProjectConfigLoader(
            conf_source=str(project / "conf"),
            env=env,
            **CONFIG_LOADER_ARGS,
        )
        assert loader["credentials"]["github"]["token"] == TOKEN, env
    base_only = project_copy("no-local")
    loader = ProjectConfigLoader(
        conf_source=str(base_only / "conf"),
        env="prod",
        **CONFIG_LOADER_ARGS,
    )
    assert loader["credentials"]["github"]["token"] is None


def test_prod_points_at_github_and_merges_parameters_softly(
    project_copy, monkeypatch
) -> None:
    project = project_copy()
    monkeypatch.chdir(project)
    bootstrap_project(project)
    with KedroSession.create(project_path=project, env="prod") as session:
        context = session.load_context()
        ingest = context.params["ingest"]  # validated into IngestParams by Kedro
        assert ingest.iterations.repos_per_iteration == 40
        assert ingest.client.concurrency == 60
        assert ingest.iterations.iteration_retries == 1, "inherited from base"
        catalog_config = context.config_loader["catalog"]
        assert catalog_config["github_api"]["base_url"] == "https://api.github.com"
        assert "serve_snapshot" not in catalog_config["github_api"]
        summarize = context.params["summarize"]
        assert summarize.max_tokens == 128 and summarize.stop == ["\n\n"]
        assert context.params["commits"].windows.context_tokens == 2048
        assert context.params["fim"].fim_format == "qwen2.5-coder"
        assert context.params["train"].profile == "qlora_4bit"
        assert context.catalog.load("base_model") == "Qwen/Qwen2.5-Coder-3B-Instruct"
        summarizer = context.catalog.load("summarizer")  # no request is made
        assert summarizer.name == "openai" and summarizer.model == "gpt-4o-mini"
        assert summarizer.base_url == "https://api.openai.com/v1"
        assert summarizer.concurrency == 32


def test_every_prod_dataset_and_parameter_resolves(project_copy, monkeypatch) -> None:
    """conf/prod as a user would run it, credentials stubbed: every dataset any
    pipeline names is built, every ``params:`` input loads (validated by its node's
    pydantic type), and nothing is fetched or started."""
    credentials = f"github:\n  token: {TOKEN}\nopenai:\n  api_key: sk-stub\n"
    project = project_copy(local_conf={"credentials.yml": credentials})
    monkeypatch.chdir(project)
    bootstrap_project(project)
    pipelines = register_pipelines()
    names = set().union(*(pipeline.datasets() for pipeline in pipelines.values()))
    with KedroSession.create(project_path=project, env="prod") as session:
        context = session.load_context()
        catalog = context.catalog
        configured = set(context.config_loader["catalog"])
        for name in sorted(names):
            if name.startswith("params:"):
                assert catalog.load(name) is not None, name
            elif name in configured:
                assert catalog.get(name) is not None, name
        evaluate = catalog.load("params:evaluate")
        assert evaluate.bertscore == {
            "model": "roberta-large",
            "num_layers": None,
            "batch_size": 64,
        }
        assert evaluate.gate.margins["location_near_f1"] == 0.01, "from base"
        assert catalog.load("params:train").profile == "qlora_4bit"


def test_a_real_session_runs_ingest_on_the_bundled_sample(
    project_copy, monkeypatch
) -> None:
    project = project_copy()
    monkeypatch.chdir(project)  # kedro runs from the project root
    bootstrap_project(project)
    with KedroSession.create(project_path=project) as session:
        session.run(pipeline_names=["ingest"])
    report = json.loads((project / "data/08_reporting/ingest_report.json").read_text())
    assert report["progress"]["done"] == report["progress"]["universe"] == 8
    assert report["records"]["review_comments"] >= 400
    partitions = list(
        (project / "data/02_intermediate/review_comments").rglob("*.jsonl")
    )
    assert len(partitions) == 8


def test_run_async_works_inside_a_running_event_loop() -> None:
    async def answer() -> int:
        return 42

    async def notebook_cell() -> int:
        return run_async(answer)

    assert run_async(answer) == 42
    assert run_async(notebook_cell) == 42


def test_default_pipeline_filters_incrementally(main_job, monkeypatch) -> None:
    """The default pipeline in a real session with ThreadRunner (the ``main_job``
    fixture); a rerun filters nothing new until asked to reprocess with
    ``filter_from``, and summarizes from the cache. The sample carries planted
    secrets and the run a fake token and API key: none of them may be in anything
    the run wrote (the leak audit)."""
    project, secrets = main_job.project, main_job.secrets
    monkeypatch.chdir(project)
    bootstrap_project(project)
    merged = (project / "data/05_model_input/critique_sft.jsonl").read_text()
    records = [json.loads(line) for line in merged.splitlines()]
    assert len(records) > 80
    assert all(len(r["messages"]) == 3 for r in records)
    sft = project / "data/05_model_input/sft"
    splits = {
        name: (sft / f"{name}.jsonl").read_text().splitlines()
        for name in ("train", "eval", "test")
    }
    assert all(splits.values()), "every split has records"
    assert "# prreview SFT dataset" in (sft / "README.md").read_text()
    assert (project / "data/08_reporting/sft_length_histogram.png").stat().st_size
    adapters = list((project / "data/06_models/review_adapter").glob("*/*"))
    assert len(adapters) == 1 and (adapters[0] / "adapter_config.json").is_file()
    (train_report,) = (project / "data/08_reporting/train_report.json").glob("*/*")
    assert json.loads(train_report.read_text())["metrics"]["global_step"] == 4
    assert all("pr_changes" in r["metadata"] for r in records)
    (evaluation,) = (project / "data/08_reporting/evaluation.json").glob("*/*")
    scored = json.loads(evaluation.read_text())
    assert scored["models"]["candidate"]["metrics"]["files"] == 4
    assert scored["gate"]["status"] in {"approved", "rejected"}
    assert scored["adapter"].startswith("data/06_models/review_adapter/")
    report = (project / "data/08_reporting/evaluation_report.md").read_text()
    assert f"**Gate: {scored['gate']['status'].upper()}**" in report
    page = (project / "data/08_reporting/evaluation_report.html").read_text()
    assert f"<title>prreview evaluation: gate {scored['gate']['status']}" in page
    (promotion,) = (project / "data/06_models/adapter_promotion.json").glob("*/*")
    assert json.loads(promotion.read_text())["status"] == scored["gate"]["status"]
    assert (project / "data/08_reporting/evaluation_slices.png").stat().st_size
    leaks = find_leaks(
        project, [*secrets, FAKE_TOKEN, FAKE_API_KEY], skip=[project / "conf"]
    )
    assert leaks == [], "secrets in data/, the MLflow store, caches or reports"
    summarize_reports = project / "data/08_reporting/summarize_report.json"
    first_summaries = json.loads(
        (max(summarize_reports.iterdir()) / "summarize_report.json").read_text()
    )
    assert first_summaries["usage"]["requests"] > 100
    with KedroSession.create(project_path=project) as session:
        session.run(pipeline_names=["summarize"])
    again = json.loads(
        (max(summarize_reports.iterdir()) / "summarize_report.json").read_text()
    )
    assert again["usage"]["requests"] == 0
    assert again["usage"]["cache_hits"] == first_summaries["usage"]["requests"]
    kept = sorted((project / "data/03_primary/filtered_comments").glob("*.jsonl"))
    assert [path.name for path in kept] == ["iter_0001.jsonl", "iter_0002.jsonl"]
    first = {path.name: path.read_bytes() for path in kept}
    reports = project / "data/08_reporting/filter_report.json"
    assert len(list(reports.iterdir())) == 1, "reports are versioned"
    info = project / "data/06_models/model_info.json"
    assert len(list(info.iterdir())) == 1

    with KedroSession.create(project_path=project) as session:
        session.run(pipeline_names=["filter"])
    latest = max(reports.iterdir())
    assert json.loads((latest / "filter_report.json").read_text())["totals"]["in"] == 0

    with KedroSession.create(
        project_path=project, runtime_params={"filter_from": "iter_0000"}
    ) as session:
        session.run(pipeline_names=["filter"])
    latest = max(reports.iterdir())
    redone = json.loads((latest / "filter_report.json").read_text())
    assert redone["totals"]["in"] > 500
    assert {p.name: p.read_bytes() for p in kept} == first, "same input, same output"


def test_the_long_run_logging_config_writes_rotating_files(project_copy) -> None:
    """conf/logging_files.yml, as docs/running.md has users point
    KEDRO_LOGGING_CONFIG at it: Kedro configures it on import, INFO goes to
    logs/info.log and errors also to logs/errors.log."""
    project = project_copy()
    (project / "logs").mkdir()
    script = (
        "import logging, kedro.framework.project\n"
        "log = logging.getLogger('prreview.check')\n"
        "log.info('iteration 3 done')\n"
        "log.error('repository gave up')\n"
    )
    environment = {**os.environ, "KEDRO_LOGGING_CONFIG": "conf/logging_files.yml"}
    subprocess.run(
        [sys.executable, "-c", script],
        cwd=project,
        env=environment,
        check=True,
        timeout=120,
    )
    info = (project / "logs" / "info.log").read_text()
    errors = (project / "logs" / "errors.log").read_text()
    assert "INFO prreview.check: iteration 3 done" in info
    assert "ERROR prreview.check: repository gave up" in info
    assert "iteration 3 done" not in errors
    assert "ERROR prreview.check: repository gave up" in errors


KEDRO_LAYERS = [
    "raw",
    "intermediate",
    "primary",
    "feature",
    "model_input",
    "models",
    "model_output",
    "reporting",
]


@pytest.mark.parametrize("env", ["local", "prod"])
def test_dataset_layers_follow_the_flow_so_kedro_viz_draws_them(env: str) -> None:
    """Kedro-Viz sorts layers along the whole graph and draws no band at all when
    one dataset's layer contradicts the flow (a cycle), so each environment's
    layers must sort, in Kedro's order."""
    from types import SimpleNamespace

    from kedro_viz.services.layers import sort_layers

    bootstrap_project(ROOT)
    loader = ProjectConfigLoader(
        conf_source=str(ROOT / "conf"), env=env, **CONFIG_LOADER_ARGS
    )
    catalog = loader["catalog"]

    def layer(name: str) -> str | None:
        entry = catalog.get(name)
        metadata = (entry or {}).get("metadata") or {}
        return (metadata.get("kedro-viz") or {}).get("layer")

    pipeline = register_pipelines()["__default__"]
    nodes: dict[str, SimpleNamespace] = {}
    edges: dict[str, set[str]] = {}
    for node in pipeline.nodes:
        task = f"node:{node.name}"
        nodes[task] = SimpleNamespace(layer=None)
        edges.setdefault(task, set())
        for name in node.inputs:
            nodes[name] = SimpleNamespace(layer=layer(name))
            edges.setdefault(name, set()).add(task)
        for name in node.outputs:
            nodes[name] = SimpleNamespace(layer=layer(name))
            edges.setdefault(name, set())
            edges[task].add(name)
    used = sorted({n.layer for n in nodes.values() if n.layer})
    assert set(used) <= set(KEDRO_LAYERS), used
    assert sort_layers(nodes, edges) == [
        name for name in KEDRO_LAYERS if name in used
    ], "a dataset's layer contradicts the flow"


def test_the_pipeline_reference_page_is_current() -> None:
    """docs/pipelines.md is generated (scripts/pipeline_reference.py); a pipeline,
    dataset or parameter changed without regenerating it fails here."""
    import importlib.util

    path = ROOT / "scripts" / "pipeline_reference.py"
    spec = importlib.util.spec_from_file_location("pipeline_reference", path)
    assert spec is not None and spec.loader is not None
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    page = reference.render()
    assert "## evaluate" in page and "`evaluate.tolerance` | `3`" in page
    assert (ROOT / "docs" / "pipelines.md").read_text() == page, (
        "docs/pipelines.md is out of date: run python scripts/pipeline_reference.py"
    )
