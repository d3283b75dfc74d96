"""Campaign files are validated like flow files: one line naming the file, key and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from darkscan.campaign.index import exit_code, index_html, junit_xml
from darkscan.campaign.spec import load_campaign
from darkscan.cli import main

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "tests" / "apps" / "cancel_phone.yaml"


def test_example_campaign_loads() -> None:
    c = load_campaign(REPO / "campaigns" / "bundled.yaml")
    assert [a.name for a in c.apps] == ["kanju_zh", "kanju_zh_clean", "fitpro_en"]
    assert not any(a.device for a in c.apps) and c.gate["max_cancel_steps"] == 4


@pytest.mark.parametrize("text, needle", [
    ("apps: []\n", "apps: expected a non-empty list"),
    ("apps:\n  - {app: nowhere.yaml}\n", "apps[0].app: file not found"),
    (f"apps:\n  - {{app: {APP}, flow: x}}\n", "apps[0]: give exactly one of"),
    (f"apps:\n  - {{app: {APP}, colour: red}}\n", "apps[0].colour: unknown key"),
    (f"apps:\n  - {{app: {APP}}}\n  - {{app: {APP}}}\n", "apps[1].name: two apps are named"),
    (f"gate: {{max_cancel_steps: many}}\napps:\n  - {{app: {APP}}}\n",
     "max_cancel_steps: expected a number"),
    (f"gate: {{frobnicate: 1}}\napps:\n  - {{app: {APP}}}\n", "unknown gate key"),
    (f"apps:\n  - {{package: com.x.y, max_steps: -3}}\n", "apps[0].max_steps: expected a positive"),
    ("apps: [\n", "not valid YAML"),
    (f"name: x\nwhat: 1\napps:\n  - {{app: {APP}}}\n", "what: unknown key"),
])
def test_bad_campaign_is_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         text: str, needle: str) -> None:
    f = tmp_path / "c.yaml"
    f.write_text(text, encoding="utf-8")
    rc = main(["batch", str(f), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert rc == 2, err
    flat = "".join(err.split())   # rich wraps long lines (at any character of a path)
    assert "".join(needle.split()) in flat and "".join(str(f).split()) in flat
    assert "Traceback" not in err and err.count("darkscan: error:") == 1
    assert not (tmp_path / "out").exists()


def test_index_escapes_and_exit_codes() -> None:
    evil = "<script>alert(1)</script>"
    rows = [{"name": "a", "status": "done", "gate": "pass", "goals": {
                evil: {"found": True, "steps": 2, "verified": True}},
             "findings": {"high": 0, "low": 2}, "report": "apps/a/report/index.html",
             "rules": [{"rule": "fail-on", "title": "t", "outcome": "pass", "measured": "0",
                        "limit": "x", "message": evil}]},
            {"name": "b", "status": "failed", "stage": "crawl", "error": evil, "device": True}]
    page = index_html("c", rows, "now")
    assert evil not in page and "&lt;script&gt;" in page
    assert 'href="apps/a/report/index.html"' in page and "1/1 verified" in page
    xml = junit_xml("c", rows).decode()
    assert 'errors="1"' in xml and 'name="fail-on"' in xml and "<script>" not in xml
    assert exit_code(rows) == 3 and exit_code(rows[:1]) == 0
    assert exit_code([{**rows[0], "gate": "fail"}]) == 1


def test_unreachable_cluster_is_one_line_exit_3(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("ray")
    import socket

    with socket.socket() as s:   # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    f = tmp_path / "c.yaml"
    f.write_text(f"apps:\n  - {{app: {APP}}}\n", encoding="utf-8")
    rc = main(["batch", str(f), "--out", str(tmp_path / "out"), "--address", f"127.0.0.1:{port}"])
    err = " ".join(capsys.readouterr().err.split())
    assert rc == 3 and f"127.0.0.1:{port} does not answer" in err and "Traceback" not in err
