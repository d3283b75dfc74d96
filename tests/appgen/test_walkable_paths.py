"""Only walkable paths are reported, and each is replayed from a cold start (issue #10.2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from darkscan.crawl import Budget, crawl, virtual_flow
from darkscan.device.virtual import VirtualDevice, load_app
from darkscan.evaluation.appgen import truths, write
from darkscan.evaluation.appgen.model import AppModel, S, W

pytestmark = pytest.mark.slow


def terms_two_parents() -> AppModel:
    """Terms of Use opened from the paywall (2 taps from launch) and from Me › Settings › About ›
    Legal, beside the privacy policy. Its "navigate up" returns to whichever opened it. The
    crawler meets Terms from Legal first (toward-goal labels are explored first), so a graph
    that trusted the recorded "up" edge would report the privacy policy 4 steps away through
    Ad-free › Terms of Use › Navigate up › Privacy Policy - a path no user can walk; it is 5."""
    tabs = [("Home", "home", "home"), ("Me", "user", "mine")]
    screens = {
        "home": S("home", tabs=tabs, tab_index=0, widgets=[
            W("text", "Top stories"), W("row", "Ad-free", "go", "paywall")]),
        "mine": S("mine", tabs=tabs, tab_index=1, widgets=[
            W("row", "Settings", "go", "settings")]),
        "paywall": S("paywall", title="Ad-free", back_arrow=True, activity=".PayActivity",
                     widgets=[W("text", "One month free, then $4.99 / month"),
                              W("row", "Terms of Use", "go", "terms")]),
        "settings": S("settings", title="Settings", back_arrow=True,
                      activity=".SettingsActivity", widgets=[W("row", "About", "go", "about")]),
        "about": S("about", title="About", back_arrow=True, activity=".AboutActivity",
                   widgets=[W("row", "Legal", "go", "legal")]),
        "legal": S("legal", title="Legal", back_arrow=True, activity=".LegalActivity", widgets=[
            W("row", "Terms of Use", "go", "terms"),
            W("row", "Privacy Policy", "go", "policy", goal="privacy_policy")]),
        "terms": S("terms", title="Terms of Use", back_arrow=True, activity=".WebActivity",
                   widgets=[W("webview", opts={"lines": ["1. Your account", "2. Payments"]})]),
        "policy": S("policy", title="Privacy Policy", back_arrow=True, activity=".WebActivity",
                    widgets=[W("webview", opts={"lines": ["1. What we collect"]})]),
    }
    return AppModel(1, "com.gen.termsup", "Termsup", "en", (360, 640, 1.0), "home", "home",
                    screens)


def test_terms_navigate_up_reached_from_two_parents(tmp_path: Path) -> None:
    app = terms_two_parents()
    assert truths(app)["privacy_policy"].from_launch == 5
    path = write(app, tmp_path / "termsup.yaml")
    dev = VirtualDevice([load_app(path)])
    r = crawl(virtual_flow(path, budget=Budget(max_steps=300, max_minutes=5)), tmp_path / "run",
              device=dev)
    g = r.graph
    # the crawler did record the context-dependent edge: Terms › up › Legal
    terms_up = [e for e in g["links"] if e["action"] != "back" and e.get("returns")
                and e["kind"] == "tap"]
    assert terms_up, "the navigate-up edge of Terms is recorded and marked as returning"
    pp = r.metrics["goals"]["privacy_policy"]
    actions = [p["action"] for p in pp["path"]]
    assert pp["found"] and pp["steps"] == 5, actions
    assert actions == ["Me", "Settings", "About", "Legal", "tap Privacy Policy"]
    assert pp["verified"] is True and pp["verified_steps"] == 5


def test_every_reported_path_replays(tmp_path: Path) -> None:
    """The replay walks each path as logged device actions after exploring, from a launch."""
    app = terms_two_parents()
    path = write(app, tmp_path / "termsup.yaml")
    out = tmp_path / "run"
    r = crawl(virtual_flow(path, budget=Budget(max_steps=300, max_minutes=5)), out,
              device=VirtualDevice([load_app(path)]))
    import json

    steps = [json.loads(x) for x in (out / "steps.jsonl").read_text().splitlines()]
    found = {n: g for n, g in r.metrics["goals"].items() if g["found"]}
    assert found and all(g["verified"] for g in found.values())
    # after the crawl's last exploring step, one cold start per replayed path
    launches = [s for s in steps if s["action"]["kind"] == "launch"]
    assert len(launches) >= len([n for n in found if n != "uninstall"]) + 1


def test_a_path_that_no_longer_holds_is_reported_unverified(tmp_path: Path) -> None:
    """The app changes after the crawl (the Legal row is gone on the replay): the path to the
    privacy policy cannot be walked, no other candidate exists, and metrics says why."""
    app = terms_two_parents()
    path = write(app, tmp_path / "termsup.yaml")
    changed = terms_two_parents()
    changed.screens["about"].widgets = [W("text", "Version 1.0")]
    changed_path = write(changed, tmp_path / "changed" / "termsup.yaml")
    dev = VirtualDevice([load_app(path)])
    flow = virtual_flow(path, budget=Budget(max_steps=300, max_minutes=5))
    from darkscan.crawl.crawler import Crawler

    crawler = Crawler(dev, flow, app.package, verify=False)
    crawler.run()
    dev.install(load_app(changed_path))   # an update replaces the app before the replay
    from darkscan.crawl.replay import verify_all

    res = verify_all(crawler, flow.goals)
    pp = res["privacy_policy"]
    assert pp.verified is False and "'About' led to" in pp.unverified_reason
    assert pp.to_json()["verified_steps"] is None and pp.to_json()["steps"] == 5
    assert res["uninstall"].verified is True    # the system path is unchanged


def test_a_broken_path_is_retried_through_the_next_shortest(tmp_path: Path) -> None:
    """Two routes to Legal; after the crawl, About no longer links to it: the replay breaks at
    'About', excludes that edge and verifies the longer route through Help instead."""
    def app_with_help() -> AppModel:
        app = terms_two_parents()
        app.screens["settings"].widgets.append(W("row", "Help", "go", "help"))
        app.screens["help"] = S("help", title="Help", back_arrow=True, activity=".HelpActivity",
                                widgets=[W("row", "Legal notices", "go", "legal")])
        return app

    path = write(app_with_help(), tmp_path / "a" / "termsup.yaml")
    changed = app_with_help()
    changed.screens["about"].widgets = [W("text", "Version 2.0")]
    changed_path = write(changed, tmp_path / "b" / "termsup.yaml")
    dev = VirtualDevice([load_app(path)])
    flow = virtual_flow(path, budget=Budget(max_steps=300, max_minutes=5))
    from darkscan.crawl.crawler import Crawler
    from darkscan.crawl.replay import verify_all

    crawler = Crawler(dev, flow, "com.gen.termsup", verify=False)
    crawler.run()
    dev.install(load_app(changed_path))
    pp = verify_all(crawler, flow.goals)["privacy_policy"]
    assert pp.verified is True and pp.candidates == 2
    assert [p["action"] for p in pp.path] == ["Me", "Settings", "Help", "Legal notices",
                                             "tap Privacy Policy"]


def test_replay_when_the_launch_sequence_changed(tmp_path: Path) -> None:
    """Consent on every launch, guide pages on the first only, a login wall on every launch:
    later cold starts show the consent over the login wall instead of the guide. The replay
    answers the same consent, steps over the guide pages and verifies every path."""
    from darkscan.evaluation.appgen import GenOptions, generate

    app = generate(285, GenOptions(min_screens=10, max_screens=60))
    assert app.launch == [("consent", "always"), ("guide0", "first"), ("guide1", "first"),
                          ("login_wall", "always")]
    path = write(app, tmp_path / "g.yaml")
    r = crawl(virtual_flow(path, budget=Budget(max_steps=2000, max_minutes=5)), None,
              device=VirtualDevice([load_app(path)]))
    assert r.metrics["launch"]["changed"] is True
    found = {n: g for n, g in r.metrics["goals"].items() if g["found"]}
    assert len(found) >= 5
    assert all(g["verified"] for g in found.values()), found
    t = truths(app)
    assert all(g["steps"] == t[n].from_launch for n, g in found.items())
