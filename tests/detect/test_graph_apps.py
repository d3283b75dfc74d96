"""Graph findings end to end: crawl each virtual app (probes run at the end of the crawl),
then the graph detectors; the expected categories come from each app's ``design:`` block.

Then the whole analysis (``darkscan analyze RUN``: every screen detector and the graph rules)
over the same crawls: the planted per-screen patterns are found, the clean twin has nothing
above low, and each test app has its one graph finding and nothing else above info."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from darkscan.cli import main
from darkscan.crawl.crawler import Crawler
from darkscan.crawl.flow import Budget, virtual_flow
from darkscan.crawl.runfolder import RunWriter, now_iso
from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.graph import analyze_graph
from darkscan.device.hierarchy import parse_hierarchy
from darkscan.device.virtual import load_app
from darkscan.device.virtual.device import VirtualDevice

REPO = Path(__file__).resolve().parents[2]
APPS = {
    "kanju_zh": REPO / "src/darkscan/apps/kanju_zh.yaml",
    "kanju_zh_clean": REPO / "src/darkscan/apps/kanju_zh_clean.yaml",
    "fitpro_en": REPO / "src/darkscan/apps/fitpro_en.yaml",
    "rec_deep": REPO / "tests/apps/rec_deep.yaml",
    "rec_sticky": REPO / "tests/apps/rec_sticky.yaml",
    "cancel_phone": REPO / "tests/apps/cancel_phone.yaml",
    "uninstall_disabled": REPO / "tests/apps/uninstall_disabled.yaml",
    "privacy_deep": REPO / "tests/apps/privacy_deep.yaml",
}


def design(app: Path) -> dict:
    return yaml.safe_load(app.read_text(encoding="utf-8"))["design"]


def crawl(app: Path, out: Path, max_steps: int = 400) -> Path:
    device = VirtualDevice([app])
    package = next(iter(device.installed))
    label = device.installed[package].label
    flow = virtual_flow(app, Budget(max_steps=max_steps, max_minutes=10))
    writer = RunWriter(out, resume=False)
    writer.start(package=package, label=label, device=device.info(), flow=str(app))
    result = Crawler(device, flow, package, writer, app_label=label).run()
    writer.update_run(status=result.status, finished=now_iso())
    writer.close()
    return out


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {name: crawl(app, tmp_path_factory.mktemp(name) / "run")
            for name, app in APPS.items()}


@pytest.fixture(scope="module")
def runs(folders: dict[str, Path]) -> dict[str, list[Finding]]:
    return {name: analyze_graph(folder) for name, folder in folders.items()}


@pytest.fixture(scope="module")
def analysed(folders: dict[str, Path], ocr_engine) -> dict[str, list[dict]]:
    """``darkscan analyze RUN`` on every crawl -> RUN/findings.json's findings."""
    out = {}
    for name, folder in folders.items():
        assert main(["analyze", str(folder)]) == 0
        out[name] = json.loads((folder / "findings.json").read_text("utf-8"))["findings"]
    return out


def _widget_ids(widgets) -> set[str]:
    out: set[str] = set()
    for w in widgets:
        if w.id:
            out.add(w.id)
        if w.items:
            out |= _widget_ids(w.items)
    return out


def run_screens_of(app: Path, folder: Path, screen: str) -> list[str]:
    """The crawl's screen ids showing the app file's ``screen``: their XML carries every
    widget id of that screen (the oracle side; detectors never see ids or design)."""
    ids = {f":id/{i}" for i in _widget_ids(load_app(app).screens[screen].widgets)}
    assert ids, f"{screen} has no widget ids to recognise it by"
    out = []
    for xml in sorted((folder / "screens").glob("*.xml")):
        rids = {n.resource_id[n.resource_id.find(":id/"):] for n in parse_hierarchy(
            xml.read_text("utf-8")).nodes if ":id/" in n.resource_id}
        if ids <= rids:
            out.append(xml.stem)
    return out


def _above_info(findings: list[Finding]) -> set[str]:
    return {f.category.value for f in findings if f.severity is not Severity.INFO}


def _labels(path: list[dict]) -> list[str]:
    return [p["action"].removeprefix("tap ").strip("'") for p in path]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(APPS))
def test_expected_graph_categories_and_nothing_else(runs, name: str) -> None:
    assert _above_info(runs[name]) == set(design(APPS[name])["graph_findings"])


@pytest.mark.slow
def test_demo_cancellation_is_high_with_the_exact_path(runs) -> None:
    d = design(APPS["kanju_zh"])
    (f,) = [f for f in runs["kanju_zh"] if f.category is Category.BURIED_CANCELLATION]
    assert f.severity is Severity.HIGH
    expected = d["goal_paths"]["cancel_subscription"][d["entry_steps"]:]
    depth = f.evidence["depth"]
    assert depth == len(expected)
    assert _labels(f.evidence["path"])[:depth] == expected
    kinds = {x["kind"] for x in f.evidence["frictions"]}
    assert {"retention", "confirmshaming", "harder_than_subscribe"} <= kinds
    assert f.screen == f.evidence["path"][depth - 1]["screen"]


@pytest.mark.slow
def test_demo_recommendation_switch_missing_after_exhaustive_crawl(runs) -> None:
    (f,) = [f for f in runs["kanju_zh"] if f.category is Category.MISSING_RECOMMENDATION_OFF]
    assert f.rule == "recommendation_switch_missing"
    assert f.evidence["exploration"] == "exhausted"
    assert f.severity is Severity.HIGH


@pytest.mark.slow
def test_each_test_app_names_its_cause(runs) -> None:
    rules = {name: {f.rule for f in fs if f.severity is not Severity.INFO}
             for name, fs in runs.items()}
    assert rules["rec_deep"] == {"recommendation_switch_too_deep"}
    assert rules["rec_sticky"] == {"recommendation_switch_reverts"}
    assert rules["cancel_phone"] == {"cancel_offline_only"}
    assert rules["uninstall_disabled"] == {"uninstall_disabled"}
    assert rules["privacy_deep"] == {"privacy_policy_too_deep"}
    (deep,) = [f for f in runs["rec_deep"] if f.rule == "recommendation_switch_too_deep"]
    d = design(APPS["rec_deep"])
    assert _labels(deep.evidence["path"]) == d["goal_paths"]["recommendation_off"]
    (priv,) = [f for f in runs["privacy_deep"] if f.rule == "privacy_policy_too_deep"]
    assert priv.evidence["depth"] == design(APPS["privacy_deep"])["goals"]["privacy_policy"]
    (phone,) = [f for f in runs["cancel_phone"] if f.rule == "cancel_offline_only"]
    assert phone.evidence["text"] == design(APPS["cancel_phone"])["cancel_by_phone"]["text"]


@pytest.mark.slow
def test_budget_stop_before_settings_never_claims_missing(tmp_path: Path) -> None:
    folder = crawl(APPS["kanju_zh"], tmp_path / "run", max_steps=6)
    findings = analyze_graph(folder)
    missing = [f for f in findings if f.rule.endswith("_missing")]
    assert missing, "a short crawl should report what it could not find"
    for f in missing:
        assert f.severity is Severity.INFO
        assert f.evidence["exploration"] == "budget"
    assert not [f for f in findings if f.severity is Severity.HIGH and "missing" in f.rule]


# ------------------------------------------------------------------ darkscan analyze (all rules)
_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3}


def _at_least(findings: list[dict], severity: str) -> list[dict]:
    return [f for f in findings if _RANK[f["severity"]] >= _RANK[severity]]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["kanju_zh", "fitpro_en"])
def test_analyze_finds_every_planted_screen_pattern(analysed, folders, name: str) -> None:
    planted: dict[tuple[str, str], int] = {}
    for p in design(APPS[name])["patterns"]:
        planted[(p["screen"], p["category"])] = planted.get((p["screen"], p["category"]), 0) + 1
    missing = []
    for (screen, category), n in planted.items():
        sids = run_screens_of(APPS[name], folders[name], screen)
        assert sids, f"{name}: screen {screen} was not crawled"
        hits = [f for f in _at_least(analysed[name], "medium")
                if f["category"] == category and f["screen"] in sids]
        if len(hits) < n:
            missing.append((screen, sids, category, n, len(hits)))
    assert not missing, missing


@pytest.mark.slow
def test_analyze_clean_twin_has_no_high_or_medium_finding(analysed) -> None:
    bad = [(f["screen"], f["category"], f["rule"], f["message"])
           for f in _at_least(analysed["kanju_zh_clean"], "medium")]
    assert not bad, bad


@pytest.mark.slow
@pytest.mark.parametrize("name", ["rec_deep", "rec_sticky", "cancel_phone",
                                  "uninstall_disabled", "privacy_deep"])
def test_analyze_test_app_has_its_graph_finding_and_nothing_else(analysed, name: str) -> None:
    above = _at_least(analysed[name], "low")
    assert sorted(f["category"] for f in above) == sorted(design(APPS[name])["graph_findings"]), \
        [(f["screen"], f["category"], f["rule"], f["severity"], f["message"]) for f in above]


@pytest.mark.slow
def test_popup_nagging_is_told_from_the_dialog_the_user_opened(analysed, folders) -> None:
    """The same upsell dialog: popped up over the 短剧 tab (dirty) is nagging; opened by the
    user's tap on its entry (clean twin) is not - the run's steps tell which."""
    (gift,) = run_screens_of(APPS["kanju_zh"], folders["kanju_zh"], "newbie_gift")
    nag = [f for f in analysed["kanju_zh"] if f["category"] == "nagging" and f["screen"] == gift]
    assert len(nag) == 1 and nag[0]["evidence"]["popped_up"] is True
    clean = run_screens_of(APPS["kanju_zh_clean"], folders["kanju_zh_clean"], "newbie_gift")
    assert clean, "the clean twin's gift dialog was not crawled"
    assert not [f for f in analysed["kanju_zh_clean"]
                if f["category"] == "nagging" and f["screen"] in clean]
