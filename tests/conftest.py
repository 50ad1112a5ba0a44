"""Fixtures shared across the suite."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "data" / "01_raw" / "github_sample"
LABELS = ROOT / "data" / "01_raw" / "comment_labels.csv"
GUIDELINES = ROOT / "data" / "01_raw" / "repository_guidelines"


def copy_project(target: Path, local_conf: dict[str, str] | None = None) -> Path:
    """A copy of the project (pyproject, conf) with a data folder of its own.

    The bundled sample and labels are linked, not copied; ``src`` is an empty folder
    because Kedro wants one while the package itself comes from the installed project.
    """
    target.mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    shutil.copytree(
        ROOT / "conf", target / "conf", ignore=shutil.ignore_patterns("credentials.yml")
    )
    shutil.copy(ROOT / "conf" / "base" / "credentials.yml", target / "conf" / "base")
    (target / "src").mkdir()
    (target / "data" / "01_raw").mkdir(parents=True)
    (target / "data" / "01_raw" / "github_sample").symlink_to(SAMPLE)
    (target / "data" / "01_raw" / "comment_labels.csv").symlink_to(LABELS)
    (target / "data" / "01_raw" / "repository_guidelines").symlink_to(GUIDELINES)
    for name, text in (local_conf or {}).items():
        (target / "conf" / "local" / name).write_text(text)
    return target


@pytest.fixture
def project_copy(tmp_path: Path) -> Callable[..., Path]:
    def make(name: str = "project", local_conf: dict[str, str] | None = None) -> Path:
        return copy_project(tmp_path / name, local_conf)

    return make


@pytest.fixture(scope="session")
def bundled_encoder(tmp_path_factory: pytest.TempPathFactory):
    """The bundled all-MiniLM-L6-v2 with a cache of its own (loaded once per run)."""
    from prreview.comments.embed import CachedEncoder  # noqa: PLC0415

    cache = tmp_path_factory.mktemp("embeddings") / "cache.sqlite"
    return CachedEncoder("bundled:all-MiniLM-L6-v2", cache, progress=False)


@pytest.fixture(scope="session")
def ingested_sample(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The ingest pipeline's outputs over the bundled sample (in memory, run once)."""
    from prreview.github.server import ServerConfig, serve_in_thread  # noqa: PLC0415
    from tests.pipelines.ingest.test_pipeline import (  # noqa: PLC0415
        endpoint_for,
        params,
        run_ingest,
    )

    running = serve_in_thread(ServerConfig(snapshot=SAMPLE))
    try:
        return run_ingest(
            endpoint_for(running), tmp_path_factory.mktemp("ingest"), params()
        )
    finally:
        running.stop()


@pytest.fixture(scope="session")
def trained_classifier(bundled_encoder) -> tuple:
    """The filter_train pipeline run on the committed labels: (model, info, metrics)."""
    import pandas as pd  # noqa: PLC0415
    from kedro.io import DataCatalog, MemoryDataset  # noqa: PLC0415
    from kedro.runner import SequentialRunner  # noqa: PLC0415

    from prreview.pipelines.filter_train import create_pipeline  # noqa: PLC0415
    from prreview.pipelines.filter_train.nodes import FilterTrainParams  # noqa: PLC0415

    catalog = DataCatalog(
        {
            "comment_labels": MemoryDataset(pd.read_csv(LABELS, keep_default_na=False)),
            "comment_embedder": MemoryDataset(bundled_encoder, copy_mode="assign"),
            "params:filter_train": MemoryDataset(FilterTrainParams()),
            "comment_classifier": MemoryDataset(copy_mode="assign"),
            "comment_classifier_info": MemoryDataset(),
            "comment_classifier_metrics": MemoryDataset(),
        }
    )
    SequentialRunner().run(create_pipeline(), catalog)
    return tuple(
        catalog.load(name)
        for name in (
            "comment_classifier",
            "comment_classifier_info",
            "comment_classifier_metrics",
        )
    )


@pytest.fixture(scope="session")
def bundled_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled GGUF as a transformers folder (about 20 s, once per session)."""
    from prreview.llm.local_model import materialize_bundled_model  # noqa: PLC0415

    return materialize_bundled_model(tmp_path_factory.mktemp("smollm2"))


@pytest.fixture(scope="session")
def local_model(bundled_model_dir: Path):
    """The bundled model loaded once, batching four chats at a time."""
    from prreview.llm.local_model import LocalChatModel  # noqa: PLC0415

    return LocalChatModel(bundled_model_dir, max_batch_size=4)


@pytest.fixture(scope="session")
def main_job(
    tmp_path_factory: pytest.TempPathFactory, bundled_model_dir: Path
) -> SimpleNamespace:
    """The README's main job (the default pipeline, ThreadRunner) run once in a
    project copy, for the end-to-end checks, the notebooks and kedro-viz.

    The sample carries planted secrets and the run a fake token and API key, so
    the leak audit can search what it wrote; the bundled model summarizes, trains
    and reviews from one shared folder; commits and fim read this repository."""
    from kedro.framework.session import KedroSession  # noqa: PLC0415
    from kedro.framework.startup import bootstrap_project  # noqa: PLC0415
    from kedro.runner import ThreadRunner  # noqa: PLC0415

    from tests.soak.leaks import planted_conf, planted_snapshot  # noqa: PLC0415

    root = tmp_path_factory.mktemp("main_job")
    snapshot = root / "planted_sample"
    secrets = planted_snapshot(snapshot)
    local = planted_conf(snapshot)
    catalog = local["catalog.yml"] + (
        "summarizer:\n"
        "  type: prreview.datasets.ChatBackendDataset\n"
        "  backend: local\n"
        f"  model_dir: {bundled_model_dir}\n"
        "  cache: data/02_intermediate/summarize_cache.sqlite\n"
        "  max_batch_size: 16\n"
        "base_tokenizer:\n"
        "  type: prreview.datasets.TokenizerDataset\n"
        f"  model_dir: {bundled_model_dir}\n"
        "base_model:\n"
        "  type: prreview.datasets.BaseModelDataset\n"
        f"  model_dir: {bundled_model_dir}\n"
    )
    parameters = (
        f"commits:\n  repositories:\n    - path: {ROOT}\n"
        f"fim:\n  repositories:\n    - path: {ROOT}\n"
        "evaluate:\n  max_examples: 4\n  max_tokens: 48\n"
    )
    project = copy_project(
        root / "project",
        {**local, "catalog.yml": catalog, "parameters.yml": parameters},
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)  # kedro runs from the project root
        bootstrap_project(project)
        with KedroSession.create(project_path=project) as session:
            session.run(runner=ThreadRunner())
    return SimpleNamespace(project=project, secrets=secrets)
