"""Launch sequences, the main screen and fault retries (issue #10.1, #10.3), on the virtual
test apps: a consent dialog on the first launch only, a full-screen consent page with links and
onboarding pages, a screen that crashes on its first entry - and the designed main screen of
every bundled and test app."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from darkscan.crawl.observe import Observer
from darkscan.device.virtual import VirtualDevice, load_app

REPO = Path(__file__).resolve().parents[2]
APPS = REPO / "tests" / "apps"
ALL = sorted((REPO / "src" / "darkscan" / "apps").glob("*.yaml")) + sorted(
    p for p in APPS.glob("*.yaml") if not p.stem.startswith("_"))


def _from_main(c) -> dict[str, int | None]:
    return {n: g.get("steps_from_main") for n, g in c.result.metrics["goals"].items()
            if n in (c.design.get("goals_from_main") or {})}


def test_consent_dialog_on_first_launch_only(crawled) -> None:
    c = crawled(APPS / "launch_consent_once.yaml")
    m = c.result.metrics
    assert m["coverage"]["status"] == "exhausted"          # not a budget stop
    assert m["launch"]["changed"] is True
    gave_up = [s for s in c.steps if s["event"] == "launch_changed"]
    assert len(gave_up) == 1 and gave_up[0]["left"] == m["launch"]["gave_up"]["left"] > 0
    # exploring (before the goal paths are replayed) relaunched within the budget: no loop
    launches = [s for s in c.steps if s["action"]["kind"] == "launch"
                and s["step"] < gave_up[0]["step"]]
    assert len(launches) <= 1 + 3
    # counted from the first screen after a fresh install (the consent dialog) ...
    assert m["goals"]["customer_service"]["steps"] == 4
    assert [p["action"] for p in m["goals"]["customer_service"]["path"]][:2] == ["同意", "跳过"]
    # ... and from the main screen, which is neither the dialog nor the splash
    assert _from_main(c) == c.design["goals_from_main"]
    assert m["main"] not in (m["root"], m["launch"]["landings"][-1])


def test_privacy_link_on_a_consent_shown_after_the_splash_on_the_first_launch_only(
        crawled, tmp_path: Path) -> None:
    """A path only the first launch shows (splash › consent dialog › 《隐私政策》) is verified
    by the crawl's own first launch and says so - not reported as a broken path."""
    from darkscan.cli import main

    c = crawled(APPS / "launch_splash_consent.yaml")
    m = c.result.metrics
    g = m["goals"]["privacy_policy"]
    assert [p["action"] for p in g["path"]] == ["跳过", "tap 《隐私政策》"] and g["steps"] == 2
    assert g["path"][0]["screen"] == m["root"]
    assert (g["verified"], g["verified_steps"], g["verified_by"]) == (True, 2, "first_launch")
    assert "unverified_reason" not in g
    # why a later launch cannot walk it: its cold start skips the consent dialog
    assert "'跳过' led to" in g["first_launch_only"]
    assert g["steps_from_main"] == 2                      # 设置 › 隐私政策, from the main screen
    # the replay did relaunch and try (a path a later launch can walk is still replayed)
    assert len([s for s in c.steps if s["action"]["kind"] == "launch"]) >= 2
    assert m["goals"]["uninstall"]["verified_by"] == "replay"
    # report and gate state it
    assert main(["report", str(c.out), "--out", str(tmp_path / "report")]) == 0
    html = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "on the first launch only (fresh install)" in html and "not walkable" not in html
    junit = tmp_path / "gate.xml"
    main(["gate", str(c.out), "--require-verified", "--max-privacy-steps", "2",
          "--junit", str(junit)])
    cases = {t.get("name"): t for t in ET.parse(junit).iter("testcase")}
    for rule in ("require-verified", "max-privacy-steps"):   # passed: no failure, no skip
        assert {e.tag for e in cases[rule]} == {"system-out"}, ET.tostring(cases[rule])
    assert "2/2 verified" in cases["require-verified"].findtext("system-out", "")
    assert "first launch only" in cases["max-privacy-steps"].findtext("system-out", "")


def test_full_screen_consent_page_is_not_the_main_screen(crawled) -> None:
    c = crawled(APPS / "launch_consent_page.yaml")
    m = c.result.metrics
    assert m["main"] != m["root"]
    assert _from_main(c) == c.design["goals_from_main"]
    assert m["goals"]["delete_account"]["steps"] == 7
    # a cold start now lands on the splash; the replay steps over the first-launch pages
    assert m["goals"]["delete_account"]["verified"] is True


def test_crash_on_first_entry_is_retried_and_its_goals_found(crawled) -> None:
    c = crawled(APPS / "fault_crash_once.yaml")
    m = c.result.metrics
    crashes = [s for s in c.steps if s["event"] == "crash"]
    assert len(crashes) == 1 and c.device.counters.crashes == 1
    for goal in ("privacy_policy", "delete_account", "recommendation_off"):
        assert m["goals"][goal]["found"] and m["goals"][goal]["steps"] == 3, goal
    assert m["coverage"]["retried"] == 1 and m["coverage"]["dead"] == 0


def test_crash_every_time_is_tried_three_times_then_dead(crawled) -> None:
    c = crawled(APPS / "fault_crash.yaml")
    m = c.result.metrics
    by_action: dict[tuple[str, str], int] = {}
    for s in c.steps:
        if s["event"] == "crash":
            key = (s["from"], s["action"]["sig"])
            by_action[key] = by_action.get(key, 0) + 1
    assert by_action and all(n == 3 for n in by_action.values())   # 1 + 2 retries each
    assert m["coverage"]["dead"] == len(by_action)
    absent = [g for g, v in m["goals"].items() if not v["found"]]
    assert absent and all(m["goals"][g]["reason"] == "exhausted" for g in absent)


@pytest.mark.parametrize("app", ALL, ids=lambda p: p.stem)
def test_main_screen_is_the_designed_one(crawled, app: Path) -> None:
    c = crawled(app)
    want = c.design.get("main_screen")
    if want is None:
        pytest.skip("no designed main screen")
    graph = json.loads((c.out / "graph.json").read_text(encoding="utf-8"))
    keys = {n["id"]: n["key"] for n in graph["nodes"]}
    dev = VirtualDevice([load_app(app)])
    package = next(iter(dev.installed))
    dev.open_screen(package, want)
    key = Observer(dev, package).observe(lambda k: True).screen.key
    assert keys[c.result.metrics["main"]] == key
    assert graph["graph"]["main"] == c.result.metrics["main"]
