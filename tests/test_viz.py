"""Kedro-Viz in a real headless browser (scripts/check_viz.py) over the main job's
project: the page loads without console errors, lists every registered pipeline,
draws datasets in their layers, and shows table and image previews; the HTML
evaluation report opens with its images. Needs Debian's chromium, else skipped."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT


def _load_script() -> ModuleType:
    path = ROOT / "scripts" / "check_viz.py"
    spec = importlib.util.spec_from_file_location("check_viz", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


check_viz = _load_script()
needs_browser = pytest.mark.skipif(
    check_viz.find_browser() is None,
    reason="no chromium on PATH (apt-get install -y --no-install-recommends chromium)",
)


def png_size(path: Path) -> tuple[int, int]:
    size = check_viz.png_size(path.read_bytes())
    assert size is not None, f"{path} is no PNG"
    return size


@pytest.mark.slow
@needs_browser
def test_kedro_viz_in_a_headless_browser(main_job, tmp_path: Path) -> None:
    from kedro.framework.startup import bootstrap_project  # noqa: PLC0415

    from prreview.pipeline_registry import register_pipelines  # noqa: PLC0415

    project = main_job.project
    report = project / "data" / "08_reporting" / "evaluation_report.html"
    assert report.is_file(), "the main job writes the HTML evaluation report"
    summary = check_viz.check_viz(
        project,
        tmp_path / "viz.png",
        preview_screenshot=tmp_path / "viz-preview.png",
        report=report,
        report_screenshot=tmp_path / "report.png",
    )

    bootstrap_project(project)
    assert sorted(summary["pipelines_page"]) == sorted(register_pipelines())
    assert summary["pipeline_shown"] == "__default__"
    assert summary["console_errors"] == []
    assert summary["failures"] == [], "\n".join(summary["failures"])
    assert summary["layers"], "kedro-viz draws the layers"
    assert summary["layer_bands"] == summary["layers"]
    assert summary["untagged_tasks"] == []
    previews = summary["previews"]
    for table in ("critique_sft", "sft_train", "sft_train_parquet"):
        assert previews.get(table) == "TablePreview", table
    for plot in ("evaluation_slices_plot", "evaluation_headline_plot"):
        assert previews.get(plot) == "ImagePreview", plot
    assert summary["preview_panel"]["image"]["width"] > 0
    assert summary["report"]["images"] >= 1 and not summary["report"]["broken_images"]
    assert summary["report"]["console_errors"] == []
    assert summary["ok"]

    width, height = png_size(tmp_path / "viz.png")
    assert (width, height) == check_viz.VIEWPORT
    assert (tmp_path / "viz.png").stat().st_size > 20_000, "more than a blank page"
    assert png_size(tmp_path / "viz-preview.png") == check_viz.VIEWPORT
    assert png_size(tmp_path / "report.png")[1] > 1000, "the whole report, not a window"


@needs_browser
def test_a_missing_project_fails_cleanly(tmp_path: Path) -> None:
    """kedro viz exits at once outside a project: a failure naming it, no hang."""
    summary = check_viz.check_viz(tmp_path, tmp_path / "viz.png", timeout_s=300)
    assert not summary["ok"]
    assert "kedro viz exited" in summary["failures"][0]
    assert not (tmp_path / "viz.png").exists()


def test_only_failed_font_requests_are_ignored() -> None:
    font = "https://fonts.googleapis.com/css2?family=Inter"
    events = [
        {
            "method": "Log.entryAdded",
            "params": {
                "entry": {
                    "source": "network",
                    "level": "error",
                    "text": "Failed to load resource",
                    "url": font,
                }
            },
        },
        {
            "method": "Log.entryAdded",
            "params": {
                "entry": {
                    "source": "network",
                    "level": "error",
                    "text": "Failed to load resource: 404",
                    "url": "http://127.0.0.1:4141/favicon.ico",
                }
            },
        },
        {
            "method": "Runtime.consoleAPICalled",
            "params": {
                "type": "error",
                "args": [{"type": "string", "value": "boom"}],
                "stackTrace": {"callFrames": [{"url": font}]},
            },
        },
        {
            "method": "Runtime.exceptionThrown",
            "params": {"exceptionDetails": {"text": "Uncaught", "url": ""}},
        },
        {"method": "Runtime.consoleAPICalled", "params": {"type": "info", "args": []}},
    ]
    page = check_viz.Page.__new__(check_viz.Page)  # no socket: console() reads events
    page.events = events
    errors, ignored = page.console(0)
    assert len(ignored) == 1 and font in ignored[0]
    assert errors == [
        "Failed to load resource: 404 http://127.0.0.1:4141/favicon.ico",
        f"console.error: boom {font}",
        "uncaught: Uncaught",
    ]


def test_datasets_are_checked_against_the_band_labelled_with_their_layer() -> None:
    geometry = {
        "labels": [{"name": "raw", "y": 50}, {"name": "primary", "y": 150}],
        "bands": [{"top": 0, "bottom": 100}, {"top": 100, "bottom": 200}],
        "nodes": [
            {"name": "a", "y": 20},
            {"name": "b", "y": 120},
            {"name": "c", "y": 80},
            {"name": "d", "y": 500},
            {"name": "free", "y": 20},
        ],
    }
    layers = {"a": "raw", "b": "primary", "c": "primary", "d": "raw"}
    assert check_viz.misplaced_datasets(geometry, layers) == [
        "c (primary, drawn in raw)",
        "d (raw, drawn in no band)",
    ]


@needs_browser
def test_report_check_finds_broken_images_and_console_errors(tmp_path: Path) -> None:
    """The --report check alone, in the browser, on a page with one good image,
    one missing image and a script error."""
    import asyncio  # noqa: PLC0415

    import aiohttp  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    Figure(figsize=(3, 2)).savefig(tmp_path / "plot.png")
    report = tmp_path / "report.html"
    report.write_text(
        "<!DOCTYPE html><html><head><title>r</title></head><body><h1>Report</h1>"
        '<img src="plot.png" alt="ok" style="max-width: 100%">'
        '<img src="missing.png" alt="gone">'
        "<script>console.error('bad')</script></body></html>"
    )

    async def run() -> tuple[dict, list[str]]:
        failures: list[str] = []
        async with aiohttp.ClientSession() as http:
            with check_viz.chromium(check_viz.find_browser(), tmp_path / "p") as port:
                async with check_viz.open_page(http, port) as page:
                    result = await check_viz.check_report(
                        page, report, tmp_path / "shot.png", failures
                    )
        return result, failures

    result, failures = asyncio.run(run())
    assert result["images"] == 2 and result["broken_images"] == ["missing.png"]
    assert result["headings"] == ["Report"] and result["title"] == "r"
    assert [f.split(":")[0] for f in failures] == [
        "report images that did not load",
        "report console errors",
    ]
    assert png_size(tmp_path / "shot.png")[0] == check_viz.VIEWPORT[0]
