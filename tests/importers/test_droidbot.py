"""`darkscan import droidbot`: a DroidBot output folder becomes a run folder that analyze,
report and gate read unchanged. Small folders are written here in DroidBot's own layout (view
lists, event files, utg.js); the five real crawls run in the slow suite."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from darkscan.cli import main
from darkscan.importers.droidbot import read_droidbot, views_to_xml
from darkscan.device.hierarchy import parse_hierarchy
from darkscan.runfolder import RunFolder

APP = "org.example.notes"
W, H = 1080, 1920


def _view(i: int, parent: int, children: list[int], bounds, *, pkg: str = APP, cls: str,
          text: str | None = None, rid: str | None = None, clickable: bool = False,
          checkable: bool = False, checked: bool = False) -> dict:
    (x1, y1), (x2, y2) = bounds
    return {"temp_id": i, "parent": parent, "children": children, "package": pkg,
            "class": cls, "text": text, "resource_id": rid, "content_description": None,
            "bounds": [[x1, y1], [x2, y2]], "clickable": clickable, "checkable": checkable,
            "checked": checked, "enabled": True, "visible": True, "focusable": clickable,
            "focused": False, "scrollable": False, "long_clickable": False,
            "is_password": False, "selected": False}


def _screen(pkg: str, *rows: tuple[str, bool | None]) -> list[dict]:
    """A window with one row per (text, switch state or None for a button)."""
    views = [_view(0, -1, [], ((0, 0), (W, H)), pkg=pkg, cls="android.widget.FrameLayout")]
    for n, (text, state) in enumerate(rows):
        y = 200 + n * 160
        i = len(views)
        if state is None:
            views.append(_view(i, 0, [], ((40, y), (W - 40, y + 140)), pkg=pkg,
                               cls="android.widget.Button", text=text, clickable=True,
                               rid=f"{pkg}:id/b{n}"))
            views[0]["children"].append(i)
        else:
            views.append(_view(i, 0, [i + 1], ((0, y), (W, y + 140)), pkg=pkg,
                               cls="android.widget.LinearLayout", clickable=True))
            views.append(_view(i + 1, i, [], ((40, y), (800, y + 140)), pkg=pkg,
                               cls="android.widget.TextView", text=text))
            views.append(_view(i + 2, 0, [], ((900, y + 30), (1040, y + 110)), pkg=pkg,
                               cls="android.widget.Switch", checkable=True, checked=state,
                               clickable=True))
            views[0]["children"] += [i, i + 2]
    return views


def _droidbot(root: Path, states: dict[str, tuple[str, str, list[dict]]],
              events: list[tuple[str, dict, str | None, str | None]]) -> Path:
    """states: state_str -> (tag, package/activity, views); events: (tag, event, start, stop)."""
    (root / "states").mkdir(parents=True)
    (root / "events").mkdir()
    nodes = []
    for sid, (tag, fg, views) in states.items():
        (root / "states" / f"state_{tag}.json").write_text(json.dumps(
            {"tag": tag, "state_str": sid, "foreground_activity": fg, "width": H, "height": W,
             "views": views}))
        Image.fromarray(np.full((H, W, 3), 250, np.uint8)).save(
            root / "states" / f"screen_{tag}.jpg", quality=70)
        nodes.append({"id": sid, "state_str": sid, "image": f"states/screen_{tag}.jpg",
                      "package": fg.split("/")[0], "activity": fg.partition("/")[2]})
    for tag, ev, a, b in events:
        (root / "events" / f"event_{tag}.json").write_text(json.dumps(
            {"tag": tag, "event": ev, "start_state": a, "stop_state": b}))
    (root / "utg.js").write_text("var utg = \n" + json.dumps(
        {"nodes": nodes, "edges": [], "app_package": APP, "device_model_number": "Pixel",
         "device_sdk_version": 33}))
    return root


def _touch(views: list[dict], i: int) -> dict:
    return {"event_type": "touch", "x": None, "y": None, "view": views[i]}


@pytest.fixture()
def crawl(tmp_path: Path) -> Path:
    home = _screen("com.android.launcher3", ("Notes", None))
    main_ = _screen(APP, ("Settings", None), ("New note", None))
    settings = _screen(APP, ("Dark theme", True), ("Send me offers by email", True),
                       ("Delete account", None))
    perm = _screen("com.google.android.permissioncontroller", ("Allow", None))
    return _droidbot(tmp_path / "db", {
        "A": ("2024-01-01_100000", "com.android.launcher3/.Launcher", home),
        "B": ("2024-01-01_100005", f"{APP}/.Main", main_),
        "C": ("2024-01-01_100010", f"{APP}/.Settings", settings),
        "P": ("2024-01-01_100020", "com.google.android.permissioncontroller/.Grant", perm),
    }, [
        # written out of order on purpose: steps follow the tags' time order
        ("2024-01-01_100008", _touch(main_, 1), "B", "C"),
        ("2024-01-01_100001", {"event_type": "intent", "intent": f"am start {APP}/.Main"},
         "A", "B"),
        ("2024-01-01_100012", {"event_type": "key", "name": "BACK"}, "C", "B"),
        ("2024-01-01_100015", _touch(main_, 2), "B", "P"),
        ("2024-01-01_100030", {"event_type": "key", "name": "BACK"}, "P", "GONE"),
    ])


def test_view_tree_converts_to_uiautomator_xml_that_parses() -> None:
    views = _screen(APP, ("Send me offers & news", True))
    h = parse_hierarchy(views_to_xml(views))
    (sw,) = [n for n in h.nodes if n.checkable]
    assert sw.checked and sw.bounds.as_list() == [900, 230, 1040, 310]
    assert [n.text for n in h.nodes if n.text] == ["Send me offers & news"]
    assert {n.package for n in h.nodes} == {APP}


def test_import_writes_a_run_folder_of_the_crawl(crawl: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert main(["import", "droidbot", str(crawl), "--out", str(out)]) == 0
    f = RunFolder(out)
    assert f.info.source.tool == "droidbot" and f.info.app.package == APP
    kinds = {f.screen(s).get("source_state"): f.screen(s).kind for s in f.screen_ids()}
    assert kinds == {"A": "launcher", "B": "app", "C": "app", "P": "system_dialog"}
    assert all(f.image_path(s).suffix == ".jpg" for s in f.screen_ids())
    steps = f.steps(numbered=True)
    assert [s.kind for s in steps] == ["launch", "tap", "back", "tap", "back"]
    by_state = {f.screen(s).get("source_state"): s for s in f.screen_ids()}
    assert (steps[1].source, steps[1].target) == (by_state["B"], by_state["C"])
    assert steps[1].action["target"]["text"] == "Settings"
    assert steps[4].target is None  # the state it reached was never saved
    # goals measured like a crawl: launch screen -> Settings -> "Delete account" = 2 taps
    goals = f.metrics.goals
    assert goals["delete_account"]["found"] and goals["delete_account"]["steps"] == 2
    assert not goals["cancel_subscription"]["found"]
    assert goals["cancel_subscription"]["reason"] == "budget"
    nodes = {n["id"]: n["kind"] for n in f.graph.nodes}
    assert nodes[by_state["P"]] == "system_dialog"


def test_broken_files_are_warnings_and_the_rest_is_imported(crawl: Path, tmp_path: Path,
                                                            capsys) -> None:
    state_b = crawl / "states" / "state_2024-01-01_100005.json"
    d = json.loads(state_b.read_text())
    d["views"][0]["children"] = ["not an index"]
    state_b.write_text(json.dumps(d))
    state_c = next((crawl / "states").glob("state_2024-01-01_100010.json"))
    state_c.write_text(state_c.read_text()[:200])  # truncated mid-write
    (crawl / "states" / "screen_2024-01-01_100005.jpg").unlink()
    (crawl / "events" / "event_2024-01-01_100015.json").write_text('{"tag": ')
    out = tmp_path / "run"
    assert main(["import", "droidbot", str(crawl), "--out", str(out)]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "state_2024-01-01_100010.json: truncated or corrupt JSON" in err
    assert "screen_2024-01-01_100005.jpg missing" in err
    assert "state_2024-01-01_100005.json: malformed view tree" in err
    assert "event_2024-01-01_100015.json: truncated or corrupt JSON" in err
    assert "point at states the crawl did not save" in err
    assert "Traceback" not in err
    f = RunFolder(out)
    # the truncated state is still a screen (its screenshot mapped through utg.js)
    assert {f.screen(s).get("source_state") for s in f.screen_ids()} == {"A", "B", "C", "P"}
    assert len(f.steps()) == 4 and f.info.source.warnings >= 4


@pytest.mark.parametrize("args,needle", [
    (["import", "droidbot", "nope", "--out", "r"], "nope: no such folder"),
    (["import", "fastbot", ".", "--out", "r"], "unknown crawl format 'fastbot'"),
    (["import", "droidbot", ".", "--out", "r"], "not a DroidBot output folder"),
    (["import", "droidbot", "db", "--out", "db"], "db exists and is not empty"),
])
def test_import_usage_errors_are_one_line(tmp_path: Path, monkeypatch, capsys, args,
                                          needle: str, crawl: Path) -> None:
    monkeypatch.chdir(tmp_path)  # the crawl fixture wrote tmp_path/db
    assert main(args) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert needle in err and "Traceback" not in err


def test_analyze_report_gate_on_an_import(crawl: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "run"
    assert main(["import", "droidbot", str(crawl), "--out", str(out)]) == 0
    assert main(["analyze", str(out)]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "2 screens (+2 of other apps, not scanned)" in said
    findings = json.loads((out / "findings.json").read_text())["findings"]
    f = RunFolder(out)
    app_screens = {s for s in f.screen_ids() if f.screen(s).kind == "app"}
    # screen findings only on the app's own screens; the marketing switch was on when the
    # crawl first met the screen (the import's first-seen state): evidence nobody set it
    pre = [x for x in findings if x["category"] == "preselection"]
    assert all(x["screen"] in app_screens for x in pre)
    assert [x["rule"] for x in pre] == ["prechecked_marketing"], findings
    assert pre[0]["evidence"]["state_from"] == "first_seen" and pre[0]["severity"] == "medium"
    assert main(["report", str(out)]) == 0
    html = (out / "report" / "index.html").read_text()
    assert "droidbot" in html and "darkscan import" in html
    assert main(["gate", str(out)]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err


# ------------------------------------------------------------------ the five real crawls
FDROID_APPS = ["anupam.acrylic", "bluepie.ad_silence", "com.chancehorizon.just24hoursplus",
               "com.uberspot.a2048", "tw.qtlin.mac.airunlocker"]
_RUNS: dict[str, Path] = {}


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fdroid")


@pytest.mark.slow
@pytest.mark.parametrize("app", FDROID_APPS)
def test_real_droidbot_crawl_imports_analyses_reports_and_gates(fdroid_dir: Path, app: str,
                                                                runs_dir: Path,
                                                                capsys) -> None:
    src = fdroid_dir / app
    out = runs_dir / app
    assert main(["import", "droidbot", str(src), "--out", str(out)]) == 0
    assert main(["analyze", str(out)]) == 0
    assert main(["report", str(out)]) == 0
    assert main(["gate", str(out)]) in (0, 1)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    _RUNS[app] = out
    shots = {p.name for p in (src / "states").glob("screen_*.jpg")}
    f = RunFolder(out)
    imported = [s for s in f.screen_ids() if f.image_path(s) is not None]
    assert len(imported) == len(shots)  # every state with a screenshot
    html = (out / "report" / "index.html").read_text()
    screens = html.split('<section id="screens">', 1)[1]
    assert screens.count('class="open-screen"') == len(imported)  # each with its screenshot
    assert "droidbot" in html
    goals = f.metrics.goals
    assert len(goals) >= 7 and all(g["found"] or g["reason"] in ("budget", "exhausted")
                                   for g in goals.values())
    assert '<table class="grid goals" id="goal-table">' in html


@pytest.mark.slow
def test_real_screens_raise_high_or_medium_findings_on_at_most_2_percent(
        fdroid_dir: Path) -> None:
    """The figure of issue #11: screens with a high or medium finding among all states of the
    five crawls (the app's screens are scanned; other apps' states carry no finding)."""
    if len(_RUNS) < len(FDROID_APPS):
        pytest.skip("needs the five per-crawl tests of this module first")
    states = flagged = app_screens = 0
    lines = []
    for app in FDROID_APPS:
        f = RunFolder(_RUNS[app])
        states += len(f.screen_ids())
        app_screens += sum(1 for s in f.screen_ids() if f.screen(s).kind == "app")
        hits = {(x["screen"], x["severity"], x["rule"]) for x in f.findings_json or ()
                if x["severity"] in ("high", "medium")}
        flagged += len({h[0] for h in hits})
        lines += [f"  {app} {h}" for h in sorted(hits)]
    share = flagged / states
    print(f"\nF-Droid real screens: high/medium findings on {flagged} of {states} states "
          f"({share:.1%}; {app_screens} app screens scanned)", *lines, sep="\n")
    assert states == 192 and share <= 0.02
