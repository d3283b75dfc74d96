"""Graph findings end to end: crawl each virtual app (probes run at the end of the crawl),
then the graph detectors; the expected categories come from each app's ``design:`` block."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from darkscan.crawl.crawler import Crawler
from darkscan.crawl.flow import Budget, virtual_flow
from darkscan.crawl.runfolder import RunWriter, now_iso
from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.graph import analyze_graph
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
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for name, app in APPS.items():
        folder = crawl(app, tmp_path_factory.mktemp(name) / "run")
        out[name] = analyze_graph(folder)
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
