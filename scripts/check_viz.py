"""Check Kedro-Viz in a real headless browser, and optionally the evaluation report.

``kedro viz run`` is started on a free loopback port in ``--project``, Debian's
chromium is driven over the Chrome DevTools Protocol with aiohttp's websocket client
(playwright would download its own browsers from a CDN we cannot reach), and the
checks are what a reader of the flowchart relies on:

* the page loads and draws every task, with no errors in the browser console;
* the pipeline selector lists exactly the project's registered pipelines, and
  picking each one, or opening it by URL, draws that pipeline;
* datasets carry layers and sit in the band labelled with their layer (kedro-viz
  silently drops all bands when the layer order has a cycle, logging a warning);
* every task node carries a tag (the per-pipeline grouping in the sidebar);
* table previews (JSON Lines, parquet) and image previews (the evaluation plots)
  come through the node-metadata API the side panel uses, and clicking a plot
  shows it in the panel;
* with ``--report``, an HTML report opens from disk with no console errors, every
  image loaded and no horizontal scrolling.

Screenshots are saved, a JSON summary is printed, and the exit status is 1 when a
check failed. Every wait is bounded; the server and the browser are always stopped
(their whole process groups), also on failure or Ctrl-C.

    python scripts/check_viz.py --project . --screenshot docs/images/kedro-viz.png \\
        --report data/08_reporting/evaluation_report.html \\
        --report-screenshot /tmp/evaluation-report.png
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp

VIEWPORT = (1600, 1000)
VIZ_START_S = 240.0  # kedro viz imports the project (torch, transformers) first
BROWSER_START_S = 30.0
RENDER_S = 60.0  # the flowchart's layout runs in a web worker after the API answers
COMMAND_S = 30.0  # one DevTools command
REPORT_PAGE_MAX_HEIGHT = 12000  # a full-page report screenshot is cut below this
POLL_S = 0.25
VIZ_PORT_LIMIT = 49146  # kedro viz tries up to 4 ports above; all must stay < 49152
# kedro viz moves to the next port when the one asked for is taken meanwhile, and
# says where it went.
RUNNING_AT = re.compile(r"Kedro Viz is running at\s+(http://[^\s/]+)")
TABLE_PREVIEWS = ("critique_sft", "sft_train")
IMAGE_PREVIEWS = ("evaluation_slices_plot", "evaluation_headline_plot")
CLICK_NODE = "evaluation_headline_plot"  # the plot opened in the metadata panel
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
BROWSERS = ("chromium", "chromium-browser")
# The only console messages not counted as errors, with the reason. kedro-viz's
# index.html links the Inter web font from Google Fonts; offline (CI, this sandbox)
# that request fails and the page falls back to a system font. It says nothing about
# kedro-viz or this project, so a failed *network* request to these hosts is
# reported under "ignored_console" instead. Nothing else is ignored: no favicon rule
# is needed, kedro-viz serves its own favicon.ico and a 404 for it would count.
IGNORED_NETWORK_HOSTS = {
    "fonts.googleapis.com": "Google Fonts stylesheet linked by kedro-viz (offline)",
    "fonts.gstatic.com": "Google Fonts files linked by kedro-viz (offline)",
}


class VizCheckError(Exception):
    """A check could not go on (the server or browser did not start, a wait ran out)."""


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now, below 49152: kedro viz refuses any port
    in the dynamic range, where the kernel's ephemeral ports (port 0) fall."""
    for port in random.sample(range(20000, VIZ_PORT_LIMIT), 50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise VizCheckError("no free TCP port for kedro viz")


def find_browser() -> str | None:
    """Debian's chromium (or a distribution's chromium-browser) on PATH."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def stop_group(process: subprocess.Popen[bytes], grace_s: float = 10.0) -> None:
    """Stop a process started in a session of its own, with all its children:
    SIGTERM to the group, SIGKILL after ``grace_s``. kedro viz serves from a child
    process, so killing only the parent would leave the server running."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=grace_s)
    with contextlib.suppress(ProcessLookupError):  # children that outlived the parent
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def kedro_viz(project: Path, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``kedro viz run`` in ``project`` on 127.0.0.1:``port``, output to ``log``.

    Previews need no flag here: ``--include-previews`` belongs to ``kedro viz build``
    and ``deploy``; ``run`` serves them unless a dataset sets ``preview: false``."""
    env = dict(os.environ)
    for name, value in (
        ("KEDRO_DISABLE_TELEMETRY", "true"),  # no prompt, no pyproject edit
        ("HF_HUB_OFFLINE", "1"),
        ("TRANSFORMERS_OFFLINE", "1"),
        ("COLUMNS", "400"),  # rich keeps each log message on one line
    ):
        env.setdefault(name, value)
    command = [sys.executable, "-m", "kedro", "viz", "run", "--no-browser"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=project,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        stop_group(process)


@contextlib.contextmanager
def chromium(binary: str, profile: Path) -> Iterator[int]:
    """Headless chromium with a throw-away profile; yields its DevTools port, read
    from the ``DevToolsActivePort`` file it writes (``--remote-debugging-port=0``
    lets it pick a free one, so parallel runs never collide)."""
    width, height = VIEWPORT
    command = [
        binary,
        "--headless=new",
        "--no-sandbox",  # root in containers and CI
        "--disable-gpu",
        "--disable-dev-shm-usage",  # small /dev/shm in containers
        "--remote-debugging-port=0",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--hide-scrollbars",
        "--mute-audio",
        "about:blank",
    ]
    with (profile.parent / "chromium.log").open("wb") as output:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        active = profile / "DevToolsActivePort"
        deadline = time.monotonic() + BROWSER_START_S
        while not (active.exists() and active.read_text().strip()):
            if process.poll() is not None:
                raise VizCheckError(f"chromium exited with {process.returncode}")
            if time.monotonic() > deadline:
                raise VizCheckError(
                    f"chromium gave no DevTools port in {BROWSER_START_S}s"
                )
            time.sleep(0.1)
        yield int(active.read_text().splitlines()[0])
    finally:
        stop_group(process)


def log_tail(log: Path, lines: int = 30) -> str:
    """The end of a server log, for an error message."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


async def wait_for_api(
    http: aiohttp.ClientSession, url: str, process: subprocess.Popen[bytes], log: Path
) -> tuple[str, dict[str, Any]]:
    """Poll ``/api/main`` until it answers 200 (at the address kedro viz logs, once
    it does); fail early if the server exits. Returns the base URL and the answer."""
    deadline = time.monotonic() + VIZ_START_S
    while True:
        if process.poll() is not None:
            raise VizCheckError(
                f"kedro viz exited with {process.returncode}:\n{log_tail(log)}"
            )
        running = RUNNING_AT.search(log.read_text(errors="replace"))
        if running:
            url = running.group(1)
        with contextlib.suppress(aiohttp.ClientError, TimeoutError):
            timeout = aiohttp.ClientTimeout(total=30)
            async with http.get(f"{url}/api/main", timeout=timeout) as answer:
                if answer.status == 200:
                    return url, dict(await answer.json())
        if time.monotonic() > deadline:
            raise VizCheckError(
                f"kedro viz did not answer in {VIZ_START_S}s:\n{log_tail(log)}"
            )
        await asyncio.sleep(0.5)


async def get_json(http: aiohttp.ClientSession, url: str) -> Any:
    """GET one JSON document (bounded)."""
    async with http.get(url, timeout=aiohttp.ClientTimeout(total=60)) as answer:
        if answer.status != 200:
            raise VizCheckError(f"GET {url}: HTTP {answer.status}")
        return await answer.json()


# ----------------------------------------------------------------------- DevTools page


class Page:
    """One browser tab over the Chrome DevTools Protocol: numbered commands, and
    every event kept in order so console messages can be read per navigation."""

    def __init__(self, socket_: aiohttp.ClientWebSocketResponse) -> None:
        self._socket = socket_
        self._next_id = 0
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.events: list[dict[str, Any]] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self._socket:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            future = self._pending.pop(data.get("id", -1), None)
            if future is None:
                self.events.append(data)
            elif not future.done():
                future.set_result(data)
        for future in self._pending.values():
            if not future.done():
                future.set_exception(VizCheckError("the DevTools connection closed"))

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Run one DevTools command; its error becomes a :class:`VizCheckError`."""
        self._next_id += 1
        future = asyncio.get_running_loop().create_future()
        self._pending[self._next_id] = future
        await self._socket.send_json(
            {"id": self._next_id, "method": method, "params": params}
        )
        try:
            answer = await asyncio.wait_for(future, COMMAND_S)
        except TimeoutError as error:
            raise VizCheckError(f"{method}: no answer in {COMMAND_S}s") from error
        if "error" in answer:
            raise VizCheckError(f"{method}: {answer['error']}")
        return dict(answer.get("result", {}))

    async def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page (promises awaited)."""
        result = await self.send(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details["text"]
            raise VizCheckError(f"script failed in the page: {text}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, what: str, timeout_s: float) -> Any:
        """Poll ``expression`` until it is truthy; its value, or a VizCheckError."""
        deadline = time.monotonic() + timeout_s
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise VizCheckError(
                    f"timed out after {timeout_s:.0f}s waiting for {what}"
                )
            await asyncio.sleep(POLL_S)

    async def navigate(self, url: str) -> int:
        """Open ``url``; returns the event index the console is read from."""
        start = len(self.events)
        result = await self.send("Page.navigate", url=url)
        if result.get("errorText"):
            raise VizCheckError(f"could not open {url}: {result['errorText']}")
        await self.wait_for("document.readyState === 'complete'", f"{url} to load", 60)
        return start

    async def screenshot(self, path: Path, full_page: bool = False) -> Path:
        """A PNG of the viewport, or of the whole page (cut at a bounded height)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            width = await self.evaluate("document.documentElement.scrollWidth")
            height = await self.evaluate("document.documentElement.scrollHeight")
            params["captureBeyondViewport"] = True
            params["clip"] = {
                "x": 0,
                "y": 0,
                "width": max(int(width), 1),
                "height": min(max(int(height), 1), REPORT_PAGE_MAX_HEIGHT),
                "scale": 1,
            }
        data = (await self.send("Page.captureScreenshot", **params))["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def console(self, since: int) -> tuple[list[str], list[str]]:
        """Console errors since event ``since``: (counted, ignored with reason)."""
        errors: list[str] = []
        ignored: list[str] = []
        for event in self.events[since:]:
            message = console_error(event)
            if message is None:
                continue
            text, url, source = message
            host = urlsplit(url).hostname or ""
            if source == "network" and host in IGNORED_NETWORK_HOSTS:
                ignored.append(f"{text} {url} ({IGNORED_NETWORK_HOSTS[host]})")
            else:
                errors.append(f"{text} {url}".strip())
        return errors, list(dict.fromkeys(ignored))

    async def close(self) -> None:
        """Close the connection and stop reading."""
        await self._socket.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


def console_error(event: dict[str, Any]) -> tuple[str, str, str] | None:
    """(text, url, source) when a DevTools event is an error a reader of the browser
    console would see: console.error/assert, an uncaught exception, or an error
    log entry (failed requests, CSP, deprecations raised to errors)."""
    method = event.get("method")
    params = event.get("params", {})
    if method == "Runtime.consoleAPICalled" and params.get("type") in {
        "error",
        "assert",
    }:
        text = " ".join(
            str(arg.get("value", arg.get("description", "")))
            for arg in params.get("args", [])
        )
        frames = params.get("stackTrace", {}).get("callFrames") or [{}]
        return f"console.{params['type']}: {text}", frames[0].get("url", ""), "console"
    if method == "Runtime.exceptionThrown":
        details = params.get("exceptionDetails", {})
        text = details.get("exception", {}).get("description") or details.get("text")
        return f"uncaught: {text}", details.get("url", ""), "exception"
    if method == "Log.entryAdded" and params["entry"].get("level") == "error":
        entry = params["entry"]
        return entry.get("text", ""), entry.get("url", ""), entry.get("source", "")
    return None


@contextlib.asynccontextmanager
async def open_page(http: aiohttp.ClientSession, devtools_port: int) -> Any:
    """A new tab with Runtime, Log and Page events on, at the checked viewport."""
    url = f"http://127.0.0.1:{devtools_port}/json/new?about:blank"
    async with http.put(url, timeout=aiohttp.ClientTimeout(total=30)) as answer:
        target = await answer.json(content_type=None)
    socket_ = await http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0)
    page = Page(socket_)
    try:
        for domain in ("Runtime", "Log", "Page"):
            await page.send(f"{domain}.enable")
        await page.send("Page.addScriptToEvaluateOnNewDocument", source=QUIET_SETTINGS)
        width, height = VIEWPORT
        await page.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        yield page
    finally:
        await page.close()


# ------------------------------------------------------------------------------ checks

# The flowchart's nodes by kind, once its layout has been drawn.
RENDERED_NODES = """(() => {
  const count = s => document.querySelectorAll(s).length;
  return {task: count('.pipeline-node--task'), data: count('.pipeline-node--data'),
          parameters: count('.pipeline-node--parameters')};
})()"""
# The pipeline selector's options (in the DOM while it is closed, shown on a click)
# and the pipeline it shows.
PIPELINE_OPTIONS = """(() => {
  const selector = document.querySelector('[data-test="kedro-pipeline-selector"]');
  if (!selector) return {shown: null, names: []};
  return {shown: selector.querySelector('.dropdown__label')?.textContent.trim(),
          names: [...selector.querySelectorAll('.menu-option__content')]
            .map(e => e.getAttribute('title') || e.textContent.trim())};
})()"""
# Before any page script: no "new feature" tour over the flowchart, and the stored
# pipeline set to the one in the URL. kedro-viz keeps its settings in localStorage
# ("KedroViz"); opened with ?pid=X while it remembers pipeline Y, it fetches both
# and draws whichever answer comes last, so a fresh load could show Y.
QUIET_SETTINGS = """try {
  const saved = JSON.parse(localStorage.getItem('KedroViz') || '{}');
  const pid = new URLSearchParams(location.search).get('pid');
  if (pid) saved.pipeline = {...(saved.pipeline || {}), active: pid};
  localStorage.setItem('KedroViz',
    JSON.stringify({...saved, showFeatureHints: false}));
} catch (error) {}"""
# kedro-viz asks PyPI for its latest release; offline that is "None" and a banner
# announces "Kedro-Viz None is here!". Its Dismiss button only hides it.
DISMISS_BANNER = """(() => {
  const button = [...document.querySelectorAll('.update-reminder-unexpanded button')]
    .find(b => b.textContent.trim() === 'Dismiss');
  if (button) button.click();
  return Boolean(button);
})()"""
# Screen boxes of the layer bands, their labels and the dataset nodes: a dataset is
# on its layer when it lies in the band whose label names that layer.
LAYER_GEOMETRY = """(() => {
  const box = e => { const r = e.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, y: r.top + r.height / 2}; };
  return {
    labels: [...document.querySelectorAll('.pipeline-layer-name')]
      .map(e => ({name: e.textContent.trim(), ...box(e)})),
    bands: [...document.querySelectorAll('rect.pipeline-layer')].map(box),
    nodes: [...document.querySelectorAll('.pipeline-node--data')]
      .map(e => ({name: e.getAttribute('data-node-fullname'), ...box(e)})),
  };
})()"""
# Open the pipeline selector and click one of its options, as a reader would.
SELECT_PIPELINE = """(async (name) => {
  const selector = document.querySelector('[data-test="kedro-pipeline-selector"]');
  selector.querySelector('.dropdown__label').click();
  await new Promise(r => setTimeout(r, 200));
  const option = [...selector.querySelectorAll('.menu-option')].find(o =>
    o.querySelector('.menu-option__content')?.getAttribute('title') === name);
  if (!option) return false;
  option.click();
  return true;
})"""
METADATA_IMAGE = """(() => {
  const panel = document.querySelector('.pipeline-metadata--visible')
    || document.querySelector('.pipeline-metadata');
  const img = panel && panel.querySelector('img');
  return img && img.complete && img.naturalWidth > 0
    ? {width: img.naturalWidth, height: img.naturalHeight} : null;
})()"""
REPORT_LAYOUT = """({title: document.title,
  headings: [...document.querySelectorAll('h1, h2')].map(h => h.textContent.trim()),
  width: document.documentElement.scrollWidth,
  window: document.documentElement.clientWidth,
  height: document.documentElement.scrollHeight})"""
REPORT_IMAGES = """[...document.images].map(i => ({src: i.getAttribute('src'),
  ok: i.complete && i.naturalWidth > 0}))"""


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of PNG bytes, or None when they are no PNG."""
    if not data.startswith(PNG_MAGIC) or len(data) < 24:
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def preview_problem(kind: str, metadata: dict[str, Any]) -> str | None:
    """Why a node's metadata lacks a usable preview of ``kind``, or None."""
    preview = metadata.get("preview")
    got = metadata.get("preview_type")
    if not preview:
        return f"no preview (preview_type {got})"
    if got != kind:
        return f"preview_type {got}, expected {kind}"
    if kind == "TablePreview" and not (preview.get("columns") and preview.get("data")):
        return "an empty table"
    if kind == "ImagePreview" and png_size(base64.b64decode(preview)) is None:
        return "an image preview that is no PNG"
    return None


async def check_previews(
    http: aiohttp.ClientSession,
    url: str,
    data_nodes: dict[str, str],
    expected: dict[str, str],
    failures: list[str],
) -> dict[str, str]:
    """Every dataset's preview type via ``/api/nodes/<id>`` (what the metadata panel
    fetches); the expected ones must carry a non-empty preview of their kind."""
    found: dict[str, str] = {}
    for name, node_id in sorted(data_nodes.items()):
        try:
            metadata = await get_json(http, f"{url}/api/nodes/{node_id}")
        except VizCheckError as error:  # the metadata panel would fail the same way
            failures.append(f"{name}: node metadata failed: {error}")
            continue
        if metadata.get("preview"):
            found[name] = str(metadata.get("preview_type"))
        if name in expected:
            problem = preview_problem(expected[name], metadata)
            if problem:
                failures.append(f"{name}: {problem}")
    for name in sorted(set(expected) - set(data_nodes)):
        failures.append(f"{name}: no such dataset in the default pipeline")
    return found


def check_structure(api: dict[str, Any], failures: list[str]) -> dict[str, Any]:
    """What ``/api/main`` says about the default pipeline: node counts, layers (and
    whether kedro-viz kept them), datasets without a layer, untagged tasks."""
    nodes = api["nodes"]
    data = [n for n in nodes if n["type"] == "data"]
    layered = sorted({n["layer"] for n in data if n.get("layer")})
    untagged = sorted(n["name"] for n in nodes if n["type"] == "task" and not n["tags"])
    if layered and not api["layers"]:
        failures.append(
            "datasets carry layers "
            f"{layered} but kedro-viz shows none: their order has a cycle "
            "(see 'Layers visualisation is disabled' in the kedro viz log)"
        )
    elif not layered:
        failures.append("no dataset carries a layer")
    if untagged:
        failures.append(f"task nodes without a tag: {untagged}")
    return {
        "node_count": {
            kind: sum(n["type"] == kind for n in nodes)
            for kind in ("task", "data", "parameters")
        },
        "layers": list(api["layers"]),
        "layers_on_datasets": layered,
        "datasets_without_layer": sorted(n["name"] for n in data if not n.get("layer")),
        "tags": [tag["id"] for tag in api["tags"]],
        "untagged_tasks": untagged,
    }


def viz_log_warnings(log: Path) -> dict[str, list[str]]:
    """Warnings kedro viz only logs: failed previews and dropped layers."""
    text = re.sub(r"\s+", " ", log.read_text(errors="replace"))
    return {
        "preview_failures": sorted(
            set(re.findall(r"'([^']+)' could not be previewed", text))
        ),
        "layer_cycle": sorted(
            set(re.findall(r"Circular dependency detected: (\(.*?\]\))", text))
        ),
    }


def misplaced_datasets(geometry: dict[str, Any], layers: dict[str, str]) -> list[str]:
    """Datasets drawn outside the band labelled with their layer, as
    ``name (layer, drawn in band)``; ``layers`` maps dataset names to layers."""
    bands = [
        (band, [lb["name"] for lb in geometry["labels"] if within(lb["y"], band)])
        for band in geometry["bands"]
    ]
    wrong: list[str] = []
    for node in geometry["nodes"]:
        layer = layers.get(node["name"])
        if not layer:
            continue
        drawn = [names for band, names in bands if within(node["y"], band)]
        if not drawn or drawn[0] != [layer]:
            where = "/".join(drawn[0]) if drawn else "no band"
            wrong.append(f"{node['name']} ({layer}, drawn in {where})")
    return wrong


def drawn_layers(api: dict[str, Any]) -> dict[str, str]:
    """Each dataset's layer, where kedro-viz draws layers at all (with a cycle among
    them it draws none, a failure reported once by :func:`check_structure`)."""
    if not api["layers"]:
        return {}
    return {n["name"]: n["layer"] for n in api["nodes"] if n.get("layer")}


def within(y: float, band: dict[str, Any]) -> bool:
    """Whether a screen height lies in a band's box."""
    return bool(band["top"] <= y <= band["bottom"])


def task_count(api: dict[str, Any]) -> int:
    """Task nodes in one pipeline's API answer."""
    return sum(node["type"] == "task" for node in api["nodes"])


async def wait_for_pipeline(
    page: Page, name: str, tasks: int, what: str, failures: list[str]
) -> int:
    """Wait until the selector shows pipeline ``name`` and the flowchart draws its
    ``tasks`` task nodes; check again after the fade-in (a late answer must not
    replace it). Returns the task nodes drawn; a mismatch is a failure."""
    shown = f"{PIPELINE_OPTIONS}.shown === {json.dumps(name)}"
    count = "document.querySelectorAll('.pipeline-node--task').length"
    with contextlib.suppress(VizCheckError):
        await page.wait_for(f"{shown} && {count} === {tasks}", what, RENDER_S)
    await asyncio.sleep(1.0)  # nodes and layer labels fade in and move into place
    drawn, label = await page.evaluate(f"[{count}, {PIPELINE_OPTIONS}.shown]")
    if (drawn, label) != (tasks, name):
        failures.append(
            f"{what}: the page shows {label} with {drawn} task nodes, "
            f"expected {name} with {tasks}"
        )
    return int(drawn)


async def check_flowchart(
    page: Page,
    url: str,
    api: dict[str, Any],
    pipelines: dict[str, dict[str, Any]],
    screenshot: Path,
    failures: list[str],
) -> dict[str, Any]:
    """The default pipeline as a reader first sees it: every task drawn, the pipeline
    selector listing every registered pipeline, each dataset in its layer's band."""
    await page.navigate(url)
    default = api["selected_pipeline"]
    await wait_for_pipeline(page, default, task_count(api), "the first page", failures)
    await page.evaluate(DISMISS_BANNER)
    rendered = await page.evaluate(RENDERED_NODES)
    options = await page.evaluate(PIPELINE_OPTIONS)
    geometry = await page.evaluate(LAYER_GEOMETRY)
    misplaced = misplaced_datasets(geometry, drawn_layers(api))
    await page.screenshot(screenshot)
    if sorted(options["names"]) != sorted(pipelines):
        failures.append(
            f"the pipeline selector lists {options['names']}, the API {list(pipelines)}"
        )
    bands = [label["name"] for label in geometry["labels"]]
    if bands != api["layers"]:
        failures.append(f"layer bands {bands}, the API's layers {api['layers']}")
    if misplaced:
        failures.append(f"datasets outside their layer band: {misplaced}")
    return {
        "rendered_nodes": rendered,
        "pipelines_page": options["names"],
        "pipeline_shown": options["shown"],
        "layer_bands": bands,
    }


async def check_each_pipeline(
    page: Page,
    url: str,
    pipelines: dict[str, dict[str, Any]],
    layers: dict[str, str],
    failures: list[str],
) -> dict[str, Any]:
    """Every registered pipeline twice: picked in the selector (it must draw that
    pipeline's tasks) and opened by its URL (``?pid=``, datasets in their bands).

    After a switch in the selector kedro-viz 12.5 can label the layer bands in the
    order of a pipeline shown before while laying out by the new one's order; a
    fresh load is right. That is kedro-viz's bug, not the project's, so it is
    reported under ``layer_labels_after_switch`` and not counted as a failure."""
    drawn: dict[str, int] = {}
    after_switch: dict[str, list[str]] = {}
    for name, answer in pipelines.items():
        if not await page.evaluate(f"{SELECT_PIPELINE}({json.dumps(name)})"):
            failures.append(f"the pipeline selector has no option {name}")
            continue
        await wait_for_pipeline(
            page, name, task_count(answer), f"selecting {name}", failures
        )
        wrong = misplaced_datasets(await page.evaluate(LAYER_GEOMETRY), layers)
        if wrong:
            after_switch[name] = wrong
    for name, answer in pipelines.items():
        await page.navigate(f"{url}/?pid={name}")
        drawn[name] = await wait_for_pipeline(
            page, name, task_count(answer), f"{url}/?pid={name}", failures
        )
        wrong = misplaced_datasets(await page.evaluate(LAYER_GEOMETRY), layers)
        if wrong:
            failures.append(f"pipeline {name}: datasets outside their band: {wrong}")
    return {"tasks_drawn": drawn, "layer_labels_after_switch": after_switch}


async def open_plot(
    page: Page, url: str, api: dict[str, Any], path: Path, failures: list[str]
) -> dict[str, Any]:
    """Open the pipeline holding the plot (readable at this size), click the plot
    node so the metadata panel shows its image, and screenshot that."""
    node = next((n for n in api["nodes"] if n["name"] == CLICK_NODE), None)
    if node is None:
        failures.append(f"{CLICK_NODE} is not in the default pipeline")
        return {}
    pipeline = next((p for p in node["pipelines"] if p != "__default__"), "__default__")
    await page.navigate(f"{url}/?pid={pipeline}")
    css = json.dumps(f'.pipeline-node[data-id="{node["id"]}"]')
    element = f"document.querySelector({css})"
    await page.wait_for(f"Boolean({element})", f"{CLICK_NODE} to be drawn", RENDER_S)
    await asyncio.sleep(1.0)
    await page.evaluate(DISMISS_BANNER)
    await page.evaluate(
        f"{element}.dispatchEvent(new MouseEvent('click', {{bubbles: true}}))"
    )
    try:
        image = await page.wait_for(METADATA_IMAGE, "the plot in the panel", 20)
    except VizCheckError as error:
        failures.append(f"clicking {CLICK_NODE}: {error}")
        return {}
    await asyncio.sleep(1.5)  # the panel slides in, the view pans to the node
    await page.screenshot(path)
    return {"node": CLICK_NODE, "pipeline": pipeline, "image": image}


async def check_report(
    page: Page, report: Path, screenshot: Path, failures: list[str]
) -> dict[str, Any]:
    """Open the HTML report from disk: no console errors, every image loaded."""
    url = report.resolve().as_uri()
    since = await page.navigate(url)
    await page.wait_for(
        "[...document.images].every(i => i.complete)", "the report's images", 30
    )
    images = await page.evaluate(REPORT_IMAGES)
    broken = [image["src"] for image in images if not image["ok"]]
    layout = await page.evaluate(REPORT_LAYOUT)
    await page.screenshot(screenshot, full_page=True)
    errors, ignored = page.console(since)
    if broken:
        failures.append(f"report images that did not load: {broken}")
    if errors:
        failures.append(f"report console errors: {errors}")
    if layout["width"] > layout["window"]:
        failures.append(
            f"the report is {layout['width']} px wide in a {layout['window']} px "
            "window: readers would scroll sideways"
        )
    return {
        "url": url,
        "title": layout["title"],
        "headings": layout["headings"],
        "height": layout["height"],
        "images": len(images),
        "broken_images": broken,
        "console_errors": errors,
        "ignored_console": ignored,
        "screenshot": str(screenshot),
    }


# ---------------------------------------------------------------------------- the run


@dataclass(frozen=True)
class Options:
    """What to check and where the screenshots go."""

    project: Path
    screenshot: Path
    preview_screenshot: Path | None
    report: Path | None
    report_screenshot: Path
    expected_previews: dict[str, str]  # dataset name -> TablePreview / ImagePreview
    browser: str


async def check_api(
    http: aiohttp.ClientSession,
    url: str,
    api: dict[str, Any],
    options: Options,
    summary: dict[str, Any],
) -> dict[str, dict[str, Any]]:
    """The server side: pipelines, layers, tags, previews. Returns every registered
    pipeline's API answer, by id."""
    pipelines = {
        p["id"]: await get_json(http, f"{url}/api/pipelines/{p['id']}")
        for p in api["pipelines"]
    }
    summary["pipelines"] = [p["name"] for p in api["pipelines"]]
    summary.update(check_structure(api, summary["failures"]))
    data = {n["name"]: n["id"] for n in api["nodes"] if n["type"] == "data"}
    summary["previews"] = await check_previews(
        http, url, data, options.expected_previews, summary["failures"]
    )
    return pipelines


async def check_browser(
    page: Page,
    url: str,
    api: dict[str, Any],
    pipelines: dict[str, dict[str, Any]],
    options: Options,
    summary: dict[str, Any],
) -> None:
    """The page side: the flowchart, every pipeline, the plot panel, the console;
    then the report, with a console of its own."""
    failures: list[str] = summary["failures"]
    screenshots = summary["screenshots"] = [str(options.screenshot)]
    since = len(page.events)
    summary.update(
        await check_flowchart(page, url, api, pipelines, options.screenshot, failures)
    )
    summary.update(
        await check_each_pipeline(page, url, pipelines, drawn_layers(api), failures)
    )
    if options.preview_screenshot is not None:
        summary["preview_panel"] = await open_plot(
            page, url, api, options.preview_screenshot, failures
        )
        if summary["preview_panel"]:
            screenshots.append(str(options.preview_screenshot))
    summary["console_errors"], summary["ignored_console"] = page.console(since)
    if summary["console_errors"]:
        failures.append(f"console errors in kedro-viz: {summary['console_errors']}")
    if options.report is not None:
        summary["report"] = await check_report(
            page, options.report, options.report_screenshot, failures
        )
        screenshots.append(str(options.report_screenshot))


async def run_checks(options: Options, summary: dict[str, Any]) -> None:
    """Start the server, then the browser; both stop when this ends, however."""
    with tempfile.TemporaryDirectory(prefix="check-viz-") as tmp:
        log = Path(tmp) / "kedro-viz.log"
        port = free_port()
        url = summary["viz_url"] = f"http://127.0.0.1:{port}"
        try:
            async with aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=120)
            ) as http:
                with kedro_viz(options.project, port, log) as server:
                    url, api = await wait_for_api(http, url, server, log)
                    summary["viz_url"] = url
                    pipelines = await check_api(http, url, api, options, summary)
                    with chromium(options.browser, Path(tmp) / "profile") as devtools:
                        async with open_page(http, devtools) as page:
                            await check_browser(
                                page, url, api, pipelines, options, summary
                            )
        finally:
            summary.update(viz_log_warnings(log))


def check_viz(
    project: Path,
    screenshot: Path,
    *,
    preview_screenshot: Path | None = None,
    report: Path | None = None,
    report_screenshot: Path | None = None,
    table_previews: Iterable[str] = TABLE_PREVIEWS,
    image_previews: Iterable[str] = IMAGE_PREVIEWS,
    browser: str | None = None,
    timeout_s: float = 900.0,
) -> dict[str, Any]:
    """Run every check; the summary says what was seen, ``ok`` whether all passed
    and ``failures`` what did not. Raises only when there is no browser or no
    report to open."""
    binary = browser or find_browser()
    if binary is None:
        raise VizCheckError(f"no browser found on PATH (tried {', '.join(BROWSERS)})")
    if report is not None and not report.is_file():
        raise VizCheckError(f"no report at {report}")
    expected = dict.fromkeys(table_previews, "TablePreview")
    expected.update(dict.fromkeys(image_previews, "ImagePreview"))
    options = Options(
        project=project,
        screenshot=screenshot,
        preview_screenshot=preview_screenshot,
        report=report,
        report_screenshot=report_screenshot
        or screenshot.with_name(f"{screenshot.stem}-report.png"),
        expected_previews=expected,
        browser=binary,
    )
    summary: dict[str, Any] = {"project": str(project), "failures": []}
    started = time.monotonic()
    try:
        asyncio.run(asyncio.wait_for(run_checks(options, summary), timeout_s))
    except VizCheckError as error:
        summary["failures"].append(str(error))
    except TimeoutError as error:  # the whole run's bound, or one request's
        if time.monotonic() - started >= timeout_s:
            summary["failures"].append(f"the whole check ran past {timeout_s:.0f}s")
        else:
            summary["failures"].append(f"a request timed out: {error!r}")
    except aiohttp.ClientError as error:
        summary["failures"].append(f"a request failed: {error!r}")
    summary["ok"] = not summary["failures"]
    return summary


def main(argv: list[str] | None = None) -> int:
    """The command line: check, print the JSON summary, exit 1 on a failed check."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=Path.cwd())
    parser.add_argument("--screenshot", type=Path, required=True)
    parser.add_argument(
        "--preview-screenshot",
        type=Path,
        help=f"where the {CLICK_NODE} metadata panel goes (default: next to "
        "--screenshot, '-preview' added)",
    )
    parser.add_argument("--report", type=Path, help="an HTML report to open too")
    parser.add_argument("--report-screenshot", type=Path)
    parser.add_argument(
        "--table-preview",
        action="append",
        help=f"a dataset that must show a table (default: {', '.join(TABLE_PREVIEWS)})",
    )
    parser.add_argument(
        "--image-preview",
        action="append",
        help=f"a dataset that must show a plot (default: {', '.join(IMAGE_PREVIEWS)})",
    )
    parser.add_argument("--browser", help="chromium binary (default: found on PATH)")
    args = parser.parse_args(argv)
    preview = args.preview_screenshot or args.screenshot.with_name(
        f"{args.screenshot.stem}-preview{args.screenshot.suffix}"
    )
    try:
        summary = check_viz(
            args.project.resolve(),
            args.screenshot,
            preview_screenshot=preview,
            report=args.report,
            report_screenshot=args.report_screenshot,
            table_previews=args.table_preview or TABLE_PREVIEWS,
            image_previews=args.image_preview or IMAGE_PREVIEWS,
            browser=args.browser,
        )
    except VizCheckError as error:
        print(f"check_viz: {error}", file=sys.stderr)
        return 2
    print(json.dumps(summary, indent=2))
    for failure in summary["failures"]:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
