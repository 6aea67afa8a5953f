"""Figures travel inside the lessons (markdown cell attachments built from figures/*.png),
the kernelspec is ipykernel's, and the setup cell's Colab branch says what to do."""

from __future__ import annotations

import base64
import re
import sys
import types
from pathlib import Path

import nbformat
import pytest

from backprop_lessons.tools import authoring

ROOT = Path(__file__).resolve().parent.parent
NBS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_a_figure_reference_becomes_an_attachment_of_the_file(tmp_path):
    (tmp_path / "a-light.png").write_bytes(b"\x89PNG fake bytes")
    source, attachments = authoring.attach_figures(
        "Text.\n\n![A figure\nover two lines.](../figures/a-light.png)\n", tmp_path)
    assert source == "Text.\n\n![A figure\nover two lines.](attachment:a-light.png)\n"
    assert base64.b64decode(attachments["a-light.png"]["image/png"]) == b"\x89PNG fake bytes"
    assert authoring.attach_figures("no figure here", tmp_path) == ("no figure here", None)
    with pytest.raises(FileNotFoundError, match="b-light.png"):
        authoring.attach_figures("![x](../figures/b-light.png)", tmp_path)


@pytest.mark.parametrize("path", NBS, ids=lambda p: p.stem)
def test_lessons_carry_their_figures_and_point_nowhere_else(path):
    """No image in a lesson depends on where the notebook sits, and each attachment is
    the committed figure as it is now (rebuild the lessons after `backprop-lessons
    figures`)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        assert "../figures/" not in cell.source and "<img" not in cell.source
        shown = re.findall(r"\]\(attachment:([^)]+)\)", cell.source)
        attached = cell.get("attachments", {})
        assert sorted(shown) == sorted(attached), "attachments and references differ"
        for name in shown:
            figure = (ROOT / "figures" / name).read_bytes()
            assert base64.b64decode(attached[name]["image/png"]) == figure, \
                f"{name} in {path.name} is stale: backprop-lessons build-notebooks"


def test_every_lesson_figure_of_the_sources_is_embedded_somewhere():
    refs = set()
    for src in sorted((ROOT / "notebooks" / "src").glob("[0-9][0-9]_*.py")):
        refs |= {m["file"] for m in authoring.FIGURE_REF.finditer(src.read_text())}
    embedded = {name for path in NBS for cell in nbformat.read(path, as_version=4).cells
                for name in cell.get("attachments", {})}
    assert refs and refs == embedded


def test_kernelspec_is_ipykernels_own():
    """JupyterLab rewrites a kernelspec that differs from the kernel's (the lesson then
    opens modified and asks to be saved on close)."""
    from ipykernel.kernelspec import KERNEL_NAME, get_kernel_dict

    assert authoring.KERNELSPEC["name"] == KERNEL_NAME
    assert authoring.KERNELSPEC["display_name"] == get_kernel_dict()["display_name"]
    for path in NBS:
        assert nbformat.read(path, as_version=4).metadata["kernelspec"] == authoring.KERNELSPEC


def test_setup_cell_on_colab_says_what_to_do(monkeypatch):
    assert not authoring.PUBLISHED
    source = authoring.setup("lesson_01").source
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    with pytest.raises(RuntimeError, match="not on the package index yet") as exc:
        exec(compile(source, "<setup>", "exec"), {})
    assert "README" in str(exc.value) and "own machine" in str(exc.value)
    assert "subprocess" not in source


def test_setup_cell_installs_the_release_once_published(monkeypatch):
    monkeypatch.setattr(authoring, "PUBLISHED", True)
    source = authoring.setup(None).source
    assert f'"backprop-lessons=={authoring.__version__}"' in source
    assert "raise RuntimeError" not in source
