"""Every command with the bad input a user plausibly gives: one clear line, the documented exit
code (2 bad input, 3 machine/device, 130 interrupted), never a Python traceback.

Runs ``darkscan.cli.main`` in-process over real files: a real (short) crawl of the bundled app on
the virtual device, then copies of its run folder broken the ways a killed crawl or a hand edit
breaks them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

from darkscan.cli import main

APP = "target: {app: bundled:kanju_zh}\n"


def _write(root: Path, name: str, text: str | bytes) -> None:
    p = root / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory, crawl_tiny) -> Path:
    """A folder of bad inputs beside one real finished run (``run/``, 6 steps)."""
    root = tmp_path_factory.mktemp("cli-errors")
    files = {
        "tiny.yaml": APP + "budget: {max_steps: 5}\n",
        "fit.yaml": "target: {app: bundled:fitpro_en}\nbudget: {max_steps: 5}\n",
        "empty.yaml": "",
        "scalar.yaml": "just a string\n",
        "broken.yaml": "target: [1, 2\n",
        "binary.yaml": b"\xff\xfe\x00bad",
        "wrongtype.yaml": APP + "budget: {max_steps: ten}\n",
        "unknownkey.yaml": APP + "budgett: {max_steps: 10}\n",
        "zerobudget.yaml": APP + "budget: {max_steps: 0}\n",
        "typo_bundled.yaml": "target: {app: bundled:kanju_zhh}\n",
        "missing_app.yaml": "target: {app: nothere.yaml}\n",
        "dir_app.yaml": "target: {app: adir}\n",
        "setup_str.yaml": APP + "setup: [{tap: 登录}]\n",
        "goal_int.yaml": APP + "goals: {cancel_subscription: {labels: 5}}\n",
        "gate_neg.yaml": APP + "gate: {max_cancel_steps: -3}\n",
        "gate_unknown.yaml": APP + "gate: {max_cancel_stepz: 3}\n",
        "thresholds_bad.yaml": APP + "thresholds: {cancel_depth: x}\n",
        "detector_bad.yaml": APP + "gate: {recommendation_depth: -1}\n",
        "app_typo.yaml": ("app: {package: com.example.t, label: T, start: a}\n"
                          "screens:\n  a:\n    widgets:\n      - {type: buton, text: Go}\n"),
        "flow_app_typo.yaml": "target: {app: app_typo.yaml}\n",
        "notrun/notes.txt": "not a run\n",
        "corrupt.json": '{"app": ',
    }
    for name, text in files.items():
        _write(root, name, text)
    (root / "adir").mkdir()
    (root / "emptydir").mkdir()
    run = crawl_tiny(root, files["tiny.yaml"])
    assert (run / "metrics.json").is_file()
    # a crawl killed mid-write: no graph/metrics yet, torn last step line, status running
    killed = root / "killed"
    shutil.copytree(run, killed)
    for name in ("graph.json", "metrics.json", "probes.json"):
        (killed / name).unlink()
    steps = (killed / "steps.jsonl").read_text(encoding="utf-8")
    (killed / "steps.jsonl").write_text(steps + '{"step": 7, "fr', encoding="utf-8")
    meta = json.loads((killed / "run.json").read_text(encoding="utf-8"))
    (killed / "run.json").write_text(json.dumps({**meta, "status": "running"}), encoding="utf-8")
    for name, broken in {"bad_metrics": ("metrics.json", '{"goals": '),
                         "bad_runjson": ("run.json", "[1]"),
                         "bad_findings": ("findings.json", "[1, 2]"),
                         "bad_screen": ("screens/s1.json", "{")}.items():
        shutil.copytree(run, root / name)
        (root / name / broken[0]).write_text(broken[1], encoding="utf-8")
    shutil.copytree(run, root / "bad_steps")
    lines = (run / "steps.jsonl").read_text(encoding="utf-8").splitlines()
    lines[1] = "garbage"
    (root / "bad_steps" / "steps.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _run(argv: list[str], ws: Path, capsys: pytest.CaptureFixture[str],
         monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(ws)
    capsys.readouterr()
    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, " ".join((err + out).split())  # rich wraps long lines


CASES = [
    # crawl: flow files
    (["crawl", "nothere.yaml", "--out", "o"], 2, "nothere.yaml: flow file not found"),
    (["crawl", "adir", "--out", "o"], 2, "adir: is a directory, not a flow file"),
    (["crawl", "empty.yaml", "--out", "o"], 2, "empty.yaml: target: missing"),
    (["crawl", "scalar.yaml", "--out", "o"], 2, "(top level): expected a mapping, got str"),
    (["crawl", "broken.yaml", "--out", "o"], 2, "broken.yaml: line 2: not valid YAML"),
    (["crawl", "binary.yaml", "--out", "o"], 2, "binary.yaml: not UTF-8 text"),
    (["crawl", "wrongtype.yaml", "--out", "o"], 2, "budget.max_steps: expected a number"),
    (["crawl", "unknownkey.yaml", "--out", "o"], 2, "budgett: unknown key"),
    (["crawl", "zerobudget.yaml", "--out", "o"], 2, "budget.max_steps: must be at least 1"),
    (["crawl", "typo_bundled.yaml", "--out", "o"], 2,
     "no bundled app 'kanju_zhh' (bundled: fitpro_en, kanju_zh, kanju_zh_clean)"),
    (["crawl", "missing_app.yaml", "--out", "o"], 2, "virtual app file not found"),
    (["crawl", "dir_app.yaml", "--out", "o"], 2, "is a directory, not a virtual app file"),
    (["crawl", "setup_str.yaml", "--out", "o"], 2, "setup[0].tap: expected a mapping"),
    (["crawl", "goal_int.yaml", "--out", "o"], 2, "goals.cancel_subscription.labels"),
    (["crawl", "gate_neg.yaml", "--out", "o"], 2, "gate.max_cancel_steps: must be 0 or more"),
    (["crawl", "gate_unknown.yaml", "--out", "o"], 2, "gate.max_cancel_stepz: unknown gate key"),
    (["crawl", "thresholds_bad.yaml", "--out", "o"], 2, "thresholds.cancel_depth: must be a"),
    (["crawl", "detector_bad.yaml", "--out", "o"], 2, "gate.recommendation_depth: must be a"),
    (["crawl", "flow_app_typo.yaml", "--out", "o"], 2,
     "app_typo.yaml:5: screen 'a': unknown widget type 'buton' (did you mean 'button'?)"),
    # crawl: run folders
    (["crawl", "tiny.yaml", "--out", "run"], 2, "run already holds a run; use --resume"),
    (["crawl", "tiny.yaml", "--out", "notrun"], 2, "notrun exists and is not a run folder"),
    (["crawl", "tiny.yaml", "--out", "corrupt.json"], 2, "corrupt.json: is a file"),
    (["crawl", "tiny.yaml", "--out", "nope", "--resume"], 2, "nope: no run.json to resume"),
    (["crawl", "tiny.yaml", "--out", "emptydir", "--resume"], 2, "no run.json to resume"),
    (["crawl", "fit.yaml", "--out", "killed", "--resume"], 2,
     "killed holds a crawl of com.kanju.video, not com.fitpro.workouts"),
    (["crawl", "tiny.yaml", "--out", "bad_runjson", "--resume"], 2,
     "bad_runjson/run.json: expected a JSON object"),
    (["crawl", "tiny.yaml", "--out", "bad_steps", "--resume"], 2,
     "bad_steps/steps.jsonl:2: corrupt JSON"),
    (["crawl", "tiny.yaml"], 2, "Missing option '--out'"),
    # demo / run
    (["demo", "--out", "notrun"], 2, "notrun exists and is not a run folder"),
    (["demo", "--out", "corrupt.json"], 2, "corrupt.json: is a file"),
    (["run", "nothere.yaml"], 2, "nothere.yaml: flow file not found"),
    (["run", "broken.yaml"], 2, "not valid YAML"),
    (["run", "tiny.yaml", "--resume"], 2, "--resume needs --out"),
    (["run", "tiny.yaml", "--lang", "fr"], 2, "unknown report language 'fr'"),
    (["run", "tiny.yaml", "--max-cancel-steps", "-1"], 2, "--max-cancel-steps: must be 0 or more"),
    (["run", "tiny.yaml", "--fail-on", "severe"], 2, "--fail-on: expected high|medium|low"),
    (["run", "tiny.yaml", "--out", "run"], 2, "run already holds a run"),
    # analyze
    (["analyze", "nope"], 2, "nope: no such run folder"),
    (["analyze", "emptydir"], 2, "not a run folder"),
    (["analyze", "corrupt.json"], 2, "corrupt.json"),
    (["analyze", "bad_screen"], 2, "bad_screen/screens/s1.json:1: corrupt JSON"),
    (["analyze", "bad_steps"], 2, "bad_steps/steps.jsonl:2: corrupt JSON"),
    (["analyze", "bad_runjson"], 2, "bad_runjson/run.json: expected a JSON object"),
    # report
    (["report", "nope"], 2, "nope: no such run folder"),
    (["report", "emptydir"], 2, "emptydir: not a run folder (no run.json)"),
    (["report", "bad_metrics"], 2, "bad_metrics/metrics.json:1: corrupt JSON"),
    (["report", "bad_findings"], 2, "bad_findings/findings.json: expected a JSON object"),
    (["report", "run", "--lang", "fr"], 2, "unknown report language 'fr'; choose en or zh"),
    (["report", "run", "--out", "corrupt.json"], 2, "corrupt.json: is a file"),
    (["report", "run", "--flow", "nothere.yaml"], 2, "nothere.yaml: flow file not found"),
    (["report", "run", "--flow", "broken.yaml"], 2, "broken.yaml: line 2: not valid YAML"),
    # gate
    (["gate", "nope"], 2, "nope: no such run folder"),
    (["gate", "killed"], 2, "killed/metrics.json: missing; the crawl has not finished"),
    (["gate", "bad_metrics"], 2, "corrupt JSON"),
    (["gate", "run", "--max-cancel-steps", "-1"], 2, "--max-cancel-steps: must be 0 or more"),
    (["gate", "run", "--max-cancel-ratio", "-2"], 2, "--max-cancel-ratio: must be a positive"),
    (["gate", "run", "--max-cancel-ratio", "nan"], 2, "--max-cancel-ratio: must be a positive"),
    (["gate", "run", "--max-privacy-steps", "-5"], 2, "--max-privacy-steps: must be 0 or more"),
    (["gate", "run", "--fail-on", "severe"], 2, "--fail-on: expected high|medium|low|info|none"),
    (["gate", "run", "--flow", "adir"], 2, "adir: is a directory, not a flow file"),
    (["gate", "run", "--flow", "scalar.yaml"], 2, "(top level): expected a mapping"),
    (["gate", "run", "--flow", "gate_unknown.yaml"], 2, "gate.max_cancel_stepz: unknown gate"),
    (["gate", "run", "--flow", "thresholds_bad.yaml"], 2, "thresholds.cancel_depth"),
    (["gate", "run", "--junit", "adir"], 2, "adir: cannot write the JUnit XML"),
    (["gate", "run", "--junit", "corrupt.json/x.xml"], 2, "cannot write the JUnit XML"),
    # scan / eval
    (["scan", "nothere.png"], 2, "nothere.png: no such file"),
    (["scan", "adir"], 2, "adir: is a directory, not an image"),
    (["scan", "corrupt.json"], 2, "corrupt.json: not an image"),
    (["scan", "run/screens/s1.png", "--xml", "corrupt.json"], 2, "not valid XML"),
    (["scan", "run/screens/s1.png", "run/screens/s1.png", "--xml", "x.xml"], 2,
     "--xml describes one screen"),
    (["scan", "run/screens/s1.png", "--density", "-1"], 2, "Invalid value for '--density'"),
    (["eval", "nope"], 2, "nope: no such file or folder"),
    (["eval", "adir"], 2, "adir: no labels.json in this folder"),
    (["eval", "adir", "--min-iou", "-1"], 2, "--min-iou must be between 0 and 1"),
    # unknown command / option
    (["crawl", "tiny.yaml", "--out", "o", "--colour"], 2, "No such option"),
    (["frobnicate"], 2, "No such command"),
]


@pytest.mark.parametrize("argv, code, message", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_bad_input_is_one_clear_line(argv: list[str], code: int, message: str, ws: Path,
                                     capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    rc, text = _run(argv, ws, capsys, monkeypatch)
    assert "Traceback" not in text
    assert message in text, text
    assert rc == code, text


def test_no_device_is_exit_3(ws: Path, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A phone flow with no phone: a machine/device problem, not bad input."""
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", "1")  # nothing listens there
    _write(ws, "phone.yaml", "target: {package: com.example.app}\n")
    rc, text = _run(["crawl", "phone.yaml", "--out", "phone-run"], ws, capsys, monkeypatch)
    assert "Traceback" not in text
    assert rc == 3, text
    assert text.startswith("darkscan: error:"), text


def test_ctrl_c_mid_crawl_keeps_a_resumable_run(ws: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGINT during the crawl: exit 130, the message names the --resume command, and that
    command finishes the run."""
    _write(ws, "slow.yaml", APP + "budget: {max_steps: 12}\nsetup: [{wait: 1.5}]\n")
    stop = threading.Event()

    def interrupt_once_crawling() -> None:
        # mid-crawl whatever the machine's load: once the run folder is started
        while not stop.is_set() and not (ws / "sigrun" / "run.json").is_file():
            time.sleep(0.02)
        if not stop.is_set():
            time.sleep(0.2)
            os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Thread(target=interrupt_once_crawling, daemon=True)
    timer.start()
    try:
        rc, text = _run(["crawl", "slow.yaml", "--out", "sigrun", "--quiet"], ws, capsys,
                        monkeypatch)
    finally:
        stop.set()
    assert "Traceback" not in text
    assert rc == 130, text
    assert "interrupted; sigrun keeps every step so far" in text
    assert "darkscan crawl slow.yaml --out sigrun --resume" in text
    meta = json.loads((ws / "sigrun" / "run.json").read_text(encoding="utf-8"))
    assert meta["status"] == "stopped"
    rc, text = _run(["crawl", "slow.yaml", "--out", "sigrun", "--resume", "--quiet"], ws, capsys,
                    monkeypatch)
    assert rc == 0, text
    meta = json.loads((ws / "sigrun" / "run.json").read_text(encoding="utf-8"))
    assert meta["status"] == "budget" and meta["resumes"] == 1
