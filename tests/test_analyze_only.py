"""`darkscan analyze RUN --only X` on a real crawl: X's findings are replaced, the others kept."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from darkscan.cli import main
from darkscan.detect.finding import GRAPH_CATEGORIES, SCREEN_CATEGORIES


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory,
             crawl_tiny: Callable[[Path, str], Path]) -> Path:
    """kanju_zh crawled on the virtual device for 12 steps, then fully analysed."""
    run = crawl_tiny(tmp_path_factory.mktemp("only"),
                     "target: {app: bundled:kanju_zh}\nbudget: {max_steps: 12}\n")
    assert main(["analyze", str(run)]) == 0
    return run


def _findings(run: Path) -> list[dict[str, Any]]:
    return json.loads((run / "findings.json").read_text(encoding="utf-8"))["findings"]


def _write(run: Path, findings: list[dict[str, Any]]) -> None:
    (run / "findings.json").write_text(json.dumps({"findings": findings}), encoding="utf-8")


def _copy(run: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(run, tmp_path / "copy"))


def test_the_run_has_findings_of_several_screen_and_graph_detectors(analysed: Path) -> None:
    cats = {f["category"] for f in _findings(analysed)}
    assert len(cats & {c.value for c in SCREEN_CATEGORIES}) >= 3
    assert len(cats & {c.value for c in GRAPH_CATEGORIES}) >= 3


@pytest.mark.parametrize("only", ["preselection", "ad_close_obstruction", "privacy_policy",
                                  "hard_account_deletion"])
def test_only_replaces_its_findings_and_keeps_the_others_in_full_order(
        analysed: Path, tmp_path: Path, only: str) -> None:
    full = _findings(analysed)
    run = _copy(analysed, tmp_path)
    cat = {"privacy_policy": "privacy_policy_depth"}.get(only, only)
    mine = [f for f in full if f["category"] == cat]
    assert mine, f"no {cat} finding in the full analysis"
    # an earlier analysis: X's findings gone, a stale X finding on another screen at the end
    stale = {**mine[0], "screen": "nowhere", "message": "stale"}
    _write(run, [f for f in full if f["category"] != cat] + [stale])
    assert main(["analyze", str(run), "--only", only]) == 0
    assert _findings(run) == full


def test_only_on_a_run_without_findings_writes_just_those(analysed: Path,
                                                          tmp_path: Path) -> None:
    full = _findings(analysed)
    run = _copy(analysed, tmp_path)
    (run / "findings.json").unlink()
    assert main(["analyze", str(run), "--only", "preselection", "--only",
                 "buried_cancellation"]) == 0
    assert _findings(run) == [f for f in full
                              if f["category"] in ("preselection", "buried_cancellation")]


def test_report_and_gate_read_the_merged_file(analysed: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from darkscan.report.load import load_run

    full = _findings(analysed)
    run = _copy(analysed, tmp_path)
    assert main(["analyze", str(run), "--only", "hidden_auto_renewal"]) == 0
    assert "kept from other detectors" in capsys.readouterr().out
    assert len(load_run(run).findings or ()) == len(full)
    highs = sum(f["severity"] == "high" for f in full)
    assert highs > 0
    assert main(["gate", str(run), "--fail-on", "high", "--junit", str(tmp_path / "j.xml")]) == 1
    assert f"{highs} of {len(full)}" in (tmp_path / "j.xml").read_text(encoding="utf-8")
    assert main(["report", str(run)]) == 0
    assert (run / "report" / "index.html").is_file()


def test_only_with_a_corrupt_findings_file_is_exit_2_and_leaves_it(
        analysed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = _copy(analysed, tmp_path)
    before = '{"findings": [{"kept": true}]}'
    (run / "findings.json").write_text(before, encoding="utf-8")
    capsys.readouterr()
    assert main(["analyze", str(run), "--only", "nagging"]) == 2
    err = capsys.readouterr().err
    assert "findings.json: finding #1 has no 'category'" in err and "Traceback" not in err
    assert (run / "findings.json").read_text(encoding="utf-8") == before
