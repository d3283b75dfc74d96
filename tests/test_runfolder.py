"""The typed run-folder model: what the writer stores the reader gives back, typed; malformed
files are one error line naming the file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from darkscan.errors import RunFolderError
from darkscan.runfolder import RunFolder, RunInfo, SourceRef
from darkscan.runfolder.model import AppRef
from darkscan.runfolder.writer import RunWriter


def _write(tmp_path: Path) -> Path:
    out = tmp_path / "run"
    jpg = tmp_path / "shot.jpg"
    Image.fromarray(np.full((40, 30, 3), 200, np.uint8)).save(jpg)
    with RunWriter(out, resume=False) as w:
        w.write_run(RunInfo(app=AppRef("org.example", "Example"),
                            device={"width": 30, "height": 40, "density": 2.0},
                            status="done", source=SourceRef("droidbot", "/x", "", 2)))
        w.write_screen("s1", {"id": "s1", "kind": "app", "dialog": False, "first_seen": 0,
                              "widgets": [{"bounds": [0, 0, 5, 5], "checkable": True}]},
                       "<hierarchy/>", None, image_file=jpg)
        w.write_screen("s2", {"id": "s2", "kind": "other"}, "<hierarchy/>",
                       np.zeros((40, 30, 3), np.uint8))
        w.append_step({"step": 1, "from": "s1", "to": "s2", "action": {"kind": "tap"},
                       "events": ["external_app"], "event": "external_app"})
        w.write_metrics({"goals": {"g": {"found": False, "reason": "exhausted"}}})
        w.write_graph({"directed": True, "multigraph": True, "graph": {"root": "s1"},
                       "nodes": [{"id": "s1"}, {"id": "s2"}],
                       "links": [{"source": "s1", "target": "s2", "key": 0}]})
    return out


def test_written_folder_reads_back_typed(tmp_path: Path) -> None:
    f = RunFolder(_write(tmp_path))
    assert f.info is not None and f.info.imported and f.info.source.tool == "droidbot"
    assert (f.info.app.package, f.info.width, f.info.density) == ("org.example", 30, 2.0)
    assert f.screen_ids() == ["s1", "s2"]
    assert f.image_path("s1").suffix == ".jpg" and f.image_path("s2").suffix == ".png"
    s1 = f.screen("s1")
    assert (s1.dialog, s1.first_seen, len(s1.widgets)) == (False, 0, 1)
    (step,) = f.steps(numbered=True)
    assert (step.source, step.target, step.kind, step.events) == ("s1", "s2", "tap",
                                                                   ("external_app",))
    assert f.metrics.goals["g"]["reason"] == "exhausted"
    g = f.graph.networkx(multigraph=True)
    assert list(g.edges()) == [("s1", "s2")] and f.graph.attrs["root"] == "s1"


def test_crawled_run_json_is_not_imported(tmp_path: Path) -> None:
    info = RunInfo.from_json({"app": {"package": "p"}, "status": "done"})
    assert not info.imported and info.app.label == ""


@pytest.mark.parametrize("name,text,needle", [
    ("run.json", "[1]", "run.json: expected a JSON object"),
    ("metrics.json", '{"goals": []}', "metrics.json: 'goals' must be an object"),
    ("graph.json", '{"nodes": [', "graph.json:1: corrupt JSON"),
])
def test_malformed_files_name_the_file(tmp_path: Path, name: str, text: str,
                                       needle: str) -> None:
    root = _write(tmp_path)
    (root / name).write_text(text)
    f = RunFolder(root)
    with pytest.raises(RunFolderError, match=needle.replace(".", r"\.")):
        {"run.json": lambda: f.info, "metrics.json": lambda: f.metrics,
         "graph.json": lambda: f.graph}[name]()


def test_misnumbered_steps_are_an_error_when_numbering_is_checked(tmp_path: Path) -> None:
    root = _write(tmp_path)
    (root / "steps.jsonl").write_text(json.dumps({"step": 3}) + "\n")
    assert RunFolder(root).steps()[0].step == 3
    with pytest.raises(RunFolderError, match="step 1 is numbered 3"):
        RunFolder(root).steps(numbered=True)
