"""The course in a real browser: JupyterLab serving a workspace made by
``backprop-lessons start --no-open``, driven by Playwright with Debian's Chromium.

For every lesson: Run All gives no error output, every image loads, the checks render as
HTML. In lesson 01 a typed right answer shows "passed" and reaches the progress file, and
a typed wrong answer names its mistake. Every explorer shows sliders whose tracks are
wider than 0 px at 1280 px, and moving a slider with the mouse changes its picture. In the
dark theme the checks' text stays readable.

Needs ``apt-get install chromium`` and the test extra (Playwright's Python package).
Playwright's own browser download is never used. Skipped with a reason when Chromium or
Playwright is missing, except in CI (``CI=true``), where that is a failure. Skip it
locally with ``-m "not browser"``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from backprop_lessons.catalog import LESSONS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWPORT = {"width": 1280, "height": 900}
RUN_TIMEOUT_S = 240  # a whole lesson's Run All (lesson 06 trains several networks)
EXPLORER_CELLS = ("slope_explorer()", "learning_rate_explorer()", "chain_rule_explorer()",
                  "training_explorer()")


def _missing(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the browser test: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_settings(settings: Path) -> None:
    """JupyterLab user settings: no news or update checks (no network, no pop-up), every
    cell kept in the page (no windowing) so each output can be read."""
    def put(plugin: str, values: dict) -> None:
        path = settings / plugin
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))

    put("@jupyterlab/apputils-extension/notification.jupyterlab-settings",
        {"fetchNews": "false", "checkForUpdates": False})
    put("@jupyterlab/notebook-extension/tracker.jupyterlab-settings",
        {"windowingMode": "none"})


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    chromium = shutil.which("chromium")
    if chromium is None:
        _missing("Debian's chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -e \".[test]\")")
    import importlib.util

    if importlib.util.find_spec("jupyterlab") is None:
        _missing("jupyterlab is not installed (pip install -e \".[test]\")")

    tmp = tmp_path_factory.mktemp("browser")
    ws, home, settings = tmp / "workspace", tmp / "home", tmp / "settings"
    home.mkdir()
    _write_settings(settings)
    env = dict(os.environ, BACKPROP_LESSONS_HOME=str(home),
               JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "lab-workspaces"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"))
    subprocess.run([sys.executable, "-m", "backprop_lessons.tools.cli", "start", str(ws),
                    "--no-open"], check=True, env=env, capture_output=True)
    token, port = secrets.token_hex(16), _free_port()
    log = open(tmp / "jupyterlab.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ws}",
         "--LabApp.expose_app_in_browser=True"],
        cwd=ws, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 60 s")
        assert server.poll() is None, (tmp / "jupyterlab.log").read_text()[-2000:]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium,
                                         args=["--no-sandbox", "--disable-gpu"])
            try:
                yield {"browser": browser, "base": base, "token": token, "home": home,
                       "workspace": ws}
            finally:
                browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _open(lab, notebook: str):
    page = lab["browser"].new_page(viewport=VIEWPORT)
    page.goto(f"{lab['base']}/lab/tree/{notebook}?reset&token={lab['token']}")
    page.wait_for_function(
        """() => {
            const app = window.jupyterapp;
            const w = app && app.shell.currentWidget;
            const s = w && w.sessionContext;
            return s && s.session && s.session.kernel && s.session.kernel.status === 'idle'
                && w.content && w.content.widgets.length > 0;
        }""", timeout=120_000)
    return page


def _wait_idle(page, timeout_s: float = RUN_TIMEOUT_S) -> None:
    """Until no cell is queued or running and the kernel is idle."""
    page.wait_for_function(
        """() => {
            const w = window.jupyterapp.shell.currentWidget;
            const busy = w.content.widgets.some(c => c.model.type === 'code'
                && (c.model.executionState === 'running'
                    || c.promptNode && c.promptNode.textContent.includes('*')));
            return !busy && w.sessionContext.session.kernel.status === 'idle';
        }""", timeout=timeout_s * 1000, polling=500)


def _run_all(page) -> None:
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_timeout(500)
    _wait_idle(page)


CELLS_JS = """() => window.jupyterapp.shell.currentWidget.content.widgets.map(c => ({
    type: c.model.type,
    source: c.model.sharedModel.getSource(),
    tags: (c.model.getMetadata('tags') || []),
    outputs: c.model.type === 'code' ? c.model.outputs.toJSON() : [],
}))"""


def _cell_node(page, index: int):
    return page.locator(".jp-Notebook .jp-Cell").nth(index)


@pytest.mark.parametrize("lesson", [x.notebook for x in LESSONS])
def test_lesson_runs_and_shows_its_figures_and_checks(lab, lesson):
    page = _open(lab, lesson)
    try:
        page.wait_for_timeout(1000)  # JupyterLab rewrites a kernelspec it disagrees with
        assert page.evaluate("!window.jupyterapp.shell.currentWidget.context.model.dirty"), \
            "an untouched lesson opens modified (its kernelspec or metadata was rewritten)"
        _run_all(page)
        cells = page.evaluate(CELLS_JS)
        errors = [(c["source"][:60], o.get("ename"), o.get("evalue"))
                  for c in cells for o in c["outputs"] if o.get("output_type") == "error"]
        assert not errors, errors
        code = [c for c in cells if c["type"] == "code"]
        assert code and "setup" in code[0]["tags"]

        # every image of the page has loaded, the lesson's figures among them
        page.wait_for_function("() => Array.from(document.images).every(i => i.complete)",
                               timeout=30_000)
        images = page.evaluate("""() => Array.from(
            document.querySelectorAll('.jp-Notebook img')).map(i => ({
                src: i.getAttribute('src').slice(0, 40), width: i.naturalWidth,
                figure: !!i.closest('.jp-MarkdownOutput')}))""")
        broken = [i for i in images if i["width"] == 0]
        assert not broken, broken
        attached = sum(c["source"].count("](attachment:") for c in cells
                       if c["type"] == "markdown")
        assert sum(i["figure"] for i in images) == attached

        # every check renders as HTML (the status box), not as plain text
        checks = [i for i, c in enumerate(cells)
                  if any(t.startswith("check:") for t in c["tags"])]
        assert checks
        for i in checks:
            box = _cell_node(page, i).locator(".jp-OutputArea-output .bpl-check")
            assert box.count() == 1, f"cell {i}: the check did not render as HTML"
            assert "not attempted" in box.text_content()
    finally:
        page.close()


def _type_into(page, index: int, text: str) -> None:
    """Replace the source of cell ``index`` by typing ``text`` (one body line: the editor
    indents after the ``def`` line itself)."""
    editor = _cell_node(page, index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    for n, line in enumerate(text.splitlines()):
        if n:
            page.keyboard.press("Enter")
        page.keyboard.type(line)


def _run_cells(page, *indices: int) -> None:
    for i in indices:
        _cell_node(page, i).locator(".jp-InputArea-prompt").click()
        page.keyboard.press("Escape")
        page.keyboard.press("Control+Enter")
        page.wait_for_timeout(300)
        _wait_idle(page, 60)


def test_typed_answers_are_checked_and_recorded(lab):
    page = _open(lab, "01_slopes.ipynb")
    try:
        _run_all(page)
        cells = page.evaluate(CELLS_JS)
        stub = next(i for i, c in enumerate(cells) if "exercise:weight_update" in c["tags"])
        check = next(i for i, c in enumerate(cells) if "check:weight_update" in c["tags"])

        _type_into(page, stub, "def weight_update(W_old, dL_dW, eta):\nreturn W_old + eta * dL_dW")
        source = page.evaluate(CELLS_JS)[stub]["source"]
        assert source == "def weight_update(W_old, dL_dW, eta):\n    return W_old + eta * dL_dW"
        _run_cells(page, stub, check)
        shown = _cell_node(page, check).locator(".bpl-check").text_content()
        assert "not right yet" in shown and "sign flipped" in shown, shown

        _type_into(page, stub, "def weight_update(W_old, dL_dW, eta):\nreturn W_old - eta * dL_dW")
        _run_cells(page, stub, check)
        shown = _cell_node(page, check).locator(".bpl-check").text_content()
        assert "passed" in shown and "not right" not in shown, shown
        files = list(lab["home"].rglob("*.json"))
        assert files, f"no progress file in {lab['home']}"
        records = json.loads(files[0].read_text())["exercises"]
        assert records["weight_update"]["status"] == "passed"
    finally:
        page.close()


def _explorers(page, cells) -> list[int]:
    return [i for i, c in enumerate(cells) if c["type"] == "code"
            and c["source"].strip().endswith(EXPLORER_CELLS)]


def _picture(box) -> str:
    return box.locator(".widget-output img").first.get_attribute("src") or ""


@pytest.mark.parametrize("lesson", ["01_slopes.ipynb", "02_chain_rule.ipynb",
                                    "06_training.ipynb"])
def test_explorers_have_usable_sliders_that_redraw(lab, lesson):
    page = _open(lab, lesson)
    try:
        # the file browser open, as a learner has it: the notebook is narrower than 1280
        page.evaluate("window.jupyterapp.commands.execute('filebrowser:activate')")
        _run_all(page)
        cells = page.evaluate(CELLS_JS)
        explorers = _explorers(page, cells)
        assert explorers, "no explorer cell found"
        for i in explorers:
            box = _cell_node(page, i).locator(".widget-vbox").first
            box.scroll_into_view_if_needed()
            sliders = box.locator(".widget-slider")
            assert sliders.count() >= 2
            widths = [sliders.nth(k).locator(".slider-container").bounding_box()["width"]
                      for k in range(sliders.count())]
            assert min(widths) > 50, f"cell {i}: slider tracks {widths} px"
            cell_box = _cell_node(page, i).bounding_box()
            for k in range(sliders.count()):  # no slider cut off at the right
                right = sliders.nth(k).bounding_box()
                assert right["x"] + right["width"] <= cell_box["x"] + cell_box["width"] + 1
            before = _picture(box)
            assert before.startswith("data:image/png")
            # record every text the box shows while it redraws (the status line)
            box.evaluate("""el => { el._seen = [];
                new MutationObserver(() => el._seen.push(el.textContent)).observe(
                    el, {subtree: true, childList: true, characterData: true}); }""")
            handle = sliders.first.locator(".noUi-handle")
            handle.scroll_into_view_if_needed()
            h = handle.bounding_box()
            page.mouse.move(h["x"] + h["width"] / 2, h["y"] + h["height"] / 2)
            page.mouse.down()
            page.mouse.move(h["x"] + h["width"] / 2 + 40, h["y"] + h["height"] / 2, steps=5)
            page.mouse.up()
            page.wait_for_function(
                "([el, before]) => { const img = el.querySelector('.widget-output img');"
                " return img && img.getAttribute('src') !== before; }",
                arg=[box.element_handle(), before], timeout=90_000)
            assert _picture(box) != before
            if cells[i]["source"].strip().endswith("training_explorer()"):
                seen = box.evaluate("el => el._seen.join(' | ')")
                assert "training the network" in seen, "no sign of work during a retrain"
                page.wait_for_function("el => !el.textContent.includes('training the network')",
                                       arg=box.element_handle(), timeout=30_000)
    finally:
        page.close()


CONTRAST_JS = """(el) => {
    const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => { const f = v => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
    const fg = rgb(getComputedStyle(el).color);
    let node = el, bg = null;
    while (node) {
        const c = rgb(getComputedStyle(node).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) { bg = c; break; }
        node = node.parentElement;
    }
    bg = bg || [255, 255, 255];
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return {contrast: (a + 0.05) / (b + 0.05), fg, bg};
}"""


def test_dark_theme_keeps_check_text_readable(lab):
    page = _open(lab, "01_slopes.ipynb")
    try:
        _run_all(page)
        page.evaluate("window.jupyterapp.commands.execute('apputils:change-theme',"
                      " {theme: 'JupyterLab Dark'})")
        page.wait_for_function(
            "() => document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
        page.wait_for_timeout(1000)
        checks = page.locator(".bpl-check")
        assert checks.count() >= 3
        for k in range(checks.count()):
            for part in ("b, strong, span", "pre"):
                node = checks.nth(k).locator(part).first
                if node.count() == 0:
                    node = checks.nth(k)
                seen = node.evaluate(CONTRAST_JS)
                assert seen["contrast"] >= 4.5, seen
        page.evaluate("window.jupyterapp.commands.execute('apputils:change-theme',"
                      " {theme: 'JupyterLab Light'})")
    finally:
        page.close()
