"""Crawl every bundled / test virtual app and compare with its design block (the oracle).

The crawler never reads ``design:``; only these tests do.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
BUNDLED = sorted((REPO / "src" / "darkscan" / "apps").glob("*.yaml"))
TEST_APPS = sorted(p for p in (REPO / "tests" / "apps").glob("*.yaml")
                   if not p.stem.startswith("_"))
ALL = BUNDLED + TEST_APPS
# design fault kinds -> the event the run log uses
EVENT_OF = {"crash": "crash", "external_app": "external_app", "secure_screen": "secure_screen",
            "popup": "popup", "long_list": "endless_list", "anr": "anr"}


def _design(app: Path) -> dict:
    return yaml.safe_load(app.read_text(encoding="utf-8")).get("design") or {}


@pytest.mark.parametrize("app", ALL, ids=lambda p: p.stem)
def test_goal_steps_match_design(crawled, app: Path) -> None:
    c = crawled(app)
    want = c.design.get("goals") or {}
    assert want, "every app declares designed goal depths"
    goals = c.result.metrics["goals"]
    for name, steps in want.items():
        got = goals[name]
        if steps is None:
            assert not got["found"], (name, got)
            assert got["reason"] == "exhausted", (name, got)  # not a budget stop
        else:
            assert got["found"], (name, got)
            assert got["steps"] == steps, (name, got["steps"], steps, got["path"])
            assert len(got["path"]) == steps


@pytest.mark.parametrize("app", ALL, ids=lambda p: p.stem)
def test_abstract_states_equal_designed_screens(crawled, app: Path) -> None:
    c = crawled(app)
    if c.design.get("screens") is None:
        pytest.skip("no designed screen count")
    assert c.result.metrics["coverage"]["states"] == c.design["screens"]


@pytest.mark.parametrize("app", ALL, ids=lambda p: p.stem)
def test_never_pays_deletes_or_types_passwords(crawled, app: Path) -> None:
    c = crawled(app)
    counters = c.device.counters
    assert (counters.payments, counters.deletions, counters.password_entries,
            counters.uninstalls) == (0, 0, 0, 0)


@pytest.mark.parametrize("app", ALL, ids=lambda p: p.stem)
def test_designed_safety_stops_are_recorded(crawled, app: Path) -> None:
    c = crawled(app)
    stops = c.design.get("safety_stops") or {}
    if not stops:
        pytest.skip("no designed safety stops")
    recorded = [s for s in c.steps if s["event"] == "stopped_before"]
    reasons = {s["reason"] for s in recorded}
    labels = {s["action"]["target"]["text"] for s in recorded}
    screens_with_password = {s["from"] for s in recorded if s["reason"] == "password"}
    for kind, want in stops.items():
        reason = {"pay": "payment", "delete_account": "account_deletion",
                  "password": "password"}[kind]
        assert reason in reasons, (kind, recorded)
        wanted = want if isinstance(want, list) else [want]
        if kind == "password":  # designed as screen ids: one stop per password screen
            assert len(screens_with_password) >= len(wanted)
        else:
            for label in wanted:
                assert label in labels, (label, labels)
    assert all(s["action"]["executed"] is False for s in recorded)


@pytest.mark.parametrize("app", [a for a in ALL if "fault" in a.stem], ids=lambda p: p.stem)
def test_fault_apps_finish_in_budget_and_name_every_fault(crawled, app: Path) -> None:
    c = crawled(app)
    assert c.result.status == "done"
    assert c.result.steps <= 400
    events = set()
    for s in c.steps:
        events.update(s.get("events") or [s["event"]])
    for fault in c.design.get("faults") or []:
        assert EVENT_OF[fault["kind"]] in events, (fault, sorted(e for e in events if e))
    device_kinds = {e.kind.value for e in c.device.events} & set(EVENT_OF.values())
    assert device_kinds <= events


def test_chinese_demo_acceptance(crawled) -> None:
    c = crawled(REPO / "src" / "darkscan" / "apps" / "kanju_zh.yaml")
    m = c.result.metrics
    assert m["goals"]["recommendation_off"] == {"found": False, "steps": None, "path": [],
                                                "reason": "exhausted"}
    cvs = m["cancel_vs_subscribe"]
    assert cvs["ratio"] == pytest.approx(cvs["cancel_steps"] / cvs["subscribe_steps"], abs=1e-3)
    # the path starts at the launch screen and names the designed taps in order
    assert [p["action"].removeprefix("tap ") for p in m["goals"]["cancel_subscription"]["path"]] \
        == c.design["goal_paths"]["cancel_subscription"]
    assert m["goals"]["cancel_subscription"]["path"][0]["screen"] == m["root"]


def test_clean_twin_is_shallow_and_has_the_switch(crawled) -> None:
    dirty = crawled(REPO / "src" / "darkscan" / "apps" / "kanju_zh.yaml").result.metrics
    clean = crawled(REPO / "src" / "darkscan" / "apps" / "kanju_zh_clean.yaml").result.metrics
    assert clean["goals"]["recommendation_off"]["found"]
    assert clean["goals"]["cancel_subscription"]["steps"] < \
        dirty["goals"]["cancel_subscription"]["steps"]


def test_run_folder_contents(crawled) -> None:
    c = crawled(REPO / "src" / "darkscan" / "apps" / "kanju_zh.yaml")
    out = c.out
    run = json.loads((out / "run.json").read_text())
    assert run["status"] == "done" and run["finished"] and run["app"]["package"]
    graph = json.loads((out / "graph.json").read_text())
    app_nodes = [n for n in graph["nodes"] if n["kind"] == "app"]
    assert len(app_nodes) == c.result.metrics["coverage"]["states"]
    for n in app_nodes:
        meta = json.loads((out / "screens" / f"{n['id']}.json").read_text())
        assert meta["id"] == n["id"] and meta["key"] == n["key"]
        assert (out / "screens" / f"{n['id']}.png").stat().st_size > 0
        assert (out / "screens" / f"{n['id']}.xml").read_text().startswith("<?xml")
    # every step names its action, target and resulting screen; numbering is gap-free
    assert [s["step"] for s in c.steps] == list(range(1, len(c.steps) + 1))
    taps = [s for s in c.steps if s["action"]["kind"] == "tap"]
    assert taps and all("target" in s["action"] and s["to"] for s in taps)
    # pre-checked widgets: the VIP screen's renewal-agreement box was checked on first sight
    prechecked = []
    for n in app_nodes:
        meta = json.loads((out / "screens" / f"{n['id']}.json").read_text())
        prechecked += [w["text"] for w in meta["widgets"]
                       if w["checkable"] and w["checked_first_seen"]]
    assert any("自动续费服务协议" in t for t in prechecked)
