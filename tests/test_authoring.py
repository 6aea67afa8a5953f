import uuid

import nbformat

from backprop_lessons.tools import authoring


def _widget_notebook():
    """A notebook with a saved VBox(slider) view, its models named by random ids."""
    box, slider, layout = (uuid.uuid4().hex for _ in range(3))
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("w")
    cell.outputs = [nbformat.v4.new_output(
        "display_data", data={authoring.WIDGET_VIEW: {"model_id": box, "version_major": 2,
                                                      "version_minor": 0},
                              "text/plain": "box"})]
    cell["id"] = "cell-1"
    nb.cells.append(cell)
    state = {
        layout: {"model_name": "LayoutModel", "state": {}},
        slider: {"model_name": "FloatSliderModel",
                 "state": {"layout": f"IPY_MODEL_{layout}", "value": 0.4}},
        box: {"model_name": "VBoxModel", "state": {"children": [f"IPY_MODEL_{slider}"]}},
    }
    nb.metadata["widgets"] = {authoring.WIDGET_STATE: {"state": state, "version_major": 2,
                                                       "version_minor": 0}}
    return nb


def test_widget_ids_become_stable_and_references_follow():
    a = authoring.stable_widget_ids(_widget_notebook(), "01_x")
    b = authoring.stable_widget_ids(_widget_notebook(), "01_x")
    assert nbformat.writes(a) == nbformat.writes(b)
    state = a.metadata["widgets"][authoring.WIDGET_STATE]["state"]
    view_id = a.cells[0].outputs[0]["data"][authoring.WIDGET_VIEW]["model_id"]
    assert state[view_id]["model_name"] == "VBoxModel"
    slider_ref = state[view_id]["state"]["children"][0].removeprefix("IPY_MODEL_")
    assert state[slider_ref]["model_name"] == "FloatSliderModel"
    assert state[slider_ref]["state"]["layout"].removeprefix("IPY_MODEL_") in state
    other = authoring.stable_widget_ids(_widget_notebook(), "02_y")
    assert view_id not in nbformat.writes(other)


def test_notebook_without_widgets_is_unchanged():
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("1"))
    before = nbformat.writes(nb)
    assert nbformat.writes(authoring.stable_widget_ids(nb, "x")) == before


def test_solve_swaps_exercise_cells_for_reference_answers():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("def weight_update(W_old, dL_dW, eta):\n    ...")
    cell.metadata["tags"] = ["exercise:weight_update"]
    nb.cells += [nbformat.v4.new_code_cell("x = 1"), cell]
    solved = authoring.solve(nb)
    assert authoring.exercise_ids(nb) == ["weight_update"]
    assert solved.cells[1].source.strip() == \
        "def weight_update(W_old, dL_dW, eta):\n    return W_old - eta * dL_dW"
    assert nb.cells[1].source.endswith("...")  # the original is left alone
    assert solved.cells[0].source == "x = 1"


def test_answer_key_has_every_check_passing(tmp_path):
    import pytest

    assert authoring.cli_main(["00", "--solved", "--out", str(tmp_path)]) == 0
    nb = nbformat.read(tmp_path / "00_start_here.ipynb", as_version=4)
    checks = [c for c in nb.cells
              if any(t.startswith("check:") for t in c.metadata.get("tags", []))]
    assert checks
    for cell in checks:
        text = "".join(o.get("data", {}).get("text/plain", o.get("text", ""))
                       for o in cell.outputs)
        assert "passed" in text and "not attempted" not in text
    with pytest.raises(SystemExit):
        authoring.cli_main(["00", "--solved"])  # never overwrite the shipped stubs
