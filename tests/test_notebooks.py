"""The notebooks in notebooks/ run top to bottom on the main job's outputs, and are
committed clean (no outputs, no execution counts), so they never rot unnoticed.

Each notebook is copied into the ``main_job`` project copy (the default pipeline run
once on the bundled sample) and executed there with nbclient, in a kernel of this
interpreter; ``%load_ext kedro.ipython`` then finds that project, not this checkout.
A new notebook in notebooks/ is picked up automatically."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KERNEL = "prreview-tests"
PROBE = "prreview-notebook-probe"
# Appended to the executed copy: where the kernel's Python and the catalog came from.
PROBE_CELL = f"""\
import json as _json, sys as _sys
print("{PROBE}", _json.dumps({{
    "executable": _sys.executable,
    "prefix": _sys.prefix,
    "project": str(context.project_path),
}}))"""


@pytest.fixture(scope="module")
def kernel_specs(tmp_path_factory: pytest.TempPathFactory) -> KernelSpecManager:
    """A kernel spec running this very interpreter (the project's venv), whatever
    the 'python3' kernel spec on this machine points at."""
    folder = tmp_path_factory.mktemp("kernels")
    spec = folder / KERNEL / "kernel.json"
    spec.parent.mkdir()
    spec.write_text(
        json.dumps(
            {
                "argv": [
                    sys.executable,
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                ],
                "display_name": "prreview tests",
                "language": "python",
            }
        )
    )
    return KernelSpecManager(kernel_dirs=[str(folder)])


def _outputs(cell: nbformat.NotebookNode, kind: str) -> list:
    return [o for o in cell.get("outputs", []) if o.get("output_type") == kind]


def _probe(notebook: nbformat.NotebookNode) -> dict:
    for output in _outputs(notebook.cells[-1], "stream"):
        for line in output["text"].splitlines():
            if line.startswith(PROBE):
                return json.loads(line.removeprefix(PROBE))
    raise AssertionError("the probe cell printed nothing")


@pytest.fixture(scope="module")
def second_run(main_job, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the main job's project after a second ``kedro run``, as a user who
    ran ``make run`` twice has it: nothing new was ingested or filtered, so the
    latest reports are empty while the data are all there."""
    from kedro.framework.session import KedroSession  # noqa: PLC0415
    from kedro.framework.startup import bootstrap_project  # noqa: PLC0415
    from kedro.runner import ThreadRunner  # noqa: PLC0415

    project = tmp_path_factory.mktemp("second_run") / "project"
    shutil.copytree(main_job.project, project, symlinks=True)
    shutil.rmtree(project / "notebooks", ignore_errors=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        bootstrap_project(project)
        with KedroSession.create(project_path=project) as session:
            session.run(runner=ThreadRunner())
    return project


@pytest.mark.slow
@pytest.mark.parametrize("run", ["first", "second"])
@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_on_the_main_job(
    source: Path, run: str, main_job, kernel_specs, monkeypatch, request
) -> None:
    """After the main job, and after running it again (empty latest reports)."""
    project = (
        main_job.project if run == "first" else request.getfixturevalue("second_run")
    )
    notebooks = project / "notebooks"
    notebooks.mkdir(exist_ok=True)
    path = notebooks / source.name
    shutil.copy(source, path)
    before = set(notebooks.iterdir())
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE_CELL))

    # The kernel inherits this environment: offline, no telemetry prompt, and
    # matplotlib's inline backend (an MPLBACKEND=Agg would swallow the figures).
    monkeypatch.setenv("KEDRO_DISABLE_TELEMETRY", "true")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.delenv("MPLBACKEND", raising=False)
    client = NotebookClient(
        notebook,
        km=AsyncKernelManager(kernel_name=KERNEL, kernel_spec_manager=kernel_specs),
        timeout=600,
        startup_timeout=300,
        resources={"metadata": {"path": str(notebooks)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{source.name} failed:\n{error}")

    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    errors = [o for cell in code for o in _outputs(cell, "error")]
    assert errors == []
    probe = _probe(notebook)
    assert probe["executable"] == sys.executable
    assert probe["prefix"] == sys.prefix, "the kernel runs the project's venv"
    assert Path(probe["project"]).resolve() == project.resolve()
    for cell in code:
        if "plt.show()" in cell.source:
            images = [
                o
                for o in _outputs(cell, "display_data")
                if "image/png" in o.get("data", {})
            ]
            assert images, f"no figure from the cell:\n{cell.source[:300]}"
    stray = sorted(p.name for p in set(notebooks.iterdir()) - before)
    assert stray == [], "the notebook wrote next to itself (a path relative to cwd?)"


def test_the_notebooks_are_there() -> None:
    names = {path.stem for path in NOTEBOOKS}
    assert {"01_ingested_data", "02_filter_decisions", "03_evaluation"} <= names


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_is_committed_clean(source: Path) -> None:
    """No outputs and no execution counts in the repository; each notebook says
    what it needs and loads its data through the Kedro catalog."""
    notebook = nbformat.read(source, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert [c.execution_count for c in code] == [None] * len(code)
    assert [c.outputs for c in code] == [[]] * len(code)
    assert notebook.cells[0].cell_type == "markdown"
    assert "kedro run" in notebook.cells[0].source
    assert any(c.source.startswith("%load_ext kedro.ipython") for c in code)
