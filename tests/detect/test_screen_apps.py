"""Acceptance on the bundled apps: every planted per-screen pattern is found on its screen;
the clean twin gets no high/medium finding from these detectors. The apps' ``design:`` block
is the oracle (tests read it; detector code never does)."""

from __future__ import annotations

from collections import defaultdict

import pytest
import yaml

from darkscan.analysis import analyze_context
from darkscan.detect.finding import Severity
from darkscan.detect.registry import screen_detectors
from darkscan.device.hierarchy import parse_hierarchy
from darkscan.vision.context import ScreenContext

MINE = ("hidden_auto_renewal", "preselection", "ad_close_obstruction", "false_hierarchy",
        "confirmshaming")
_FINDINGS: dict[str, dict[str, list]] = {}


def _design(repo_root, app: str) -> dict:
    return yaml.safe_load((repo_root / "src" / "darkscan" / "apps" / f"{app}.yaml")
                          .read_text("utf-8"))["design"]


def _findings(app_screens, ocr_engine, app: str) -> dict[str, list]:
    if app not in _FINDINGS:
        dets = screen_detectors(MINE)
        out: dict[str, list] = {}
        for sid, s in app_screens(app).items():
            ctx = ScreenContext(s.image, parse_hierarchy(s.xml), density=s.density,
                                ocr=ocr_engine)
            out[sid] = analyze_context(ctx, dets, screen=sid)
        _FINDINGS[app] = out
    return _FINDINGS[app]


@pytest.mark.slow
@pytest.mark.parametrize("app", ["kanju_zh", "fitpro_en"])
def test_every_planted_pattern_is_found(repo_root, app_screens, ocr_engine, app) -> None:
    found = _findings(app_screens, ocr_engine, app)
    planted = defaultdict(int)
    for p in _design(repo_root, app)["patterns"]:
        if p["category"] in MINE:
            planted[(p["screen"], p["category"])] += 1
    assert planted, "the app plants none of these patterns"
    missing = []
    for (screen, category), n in planted.items():
        assert screen in found, f"screen {screen} not reached"
        hits = [f for f in found[screen] if f.category.value == category
                and f.severity.at_least(Severity.MEDIUM)]
        if len(hits) < n:
            missing.append((screen, category, n, [f.message for f in found[screen]]))
    assert not missing, missing


@pytest.mark.slow
def test_clean_twin_has_no_high_or_medium_finding(app_screens, ocr_engine) -> None:
    found = _findings(app_screens, ocr_engine, "kanju_zh_clean")
    bad = [(sid, f.category.value, f.rule, f.message) for sid, fs in found.items() for f in fs
           if f.severity.at_least(Severity.MEDIUM)]
    assert not bad, bad


@pytest.mark.slow
def test_findings_carry_evidence_boxes_and_known_regulations(app_screens, ocr_engine) -> None:
    from darkscan.detect.regulations import REGULATIONS

    found = _findings(app_screens, ocr_engine, "kanju_zh")
    flat = [f for fs in found.values() for f in fs]
    assert flat
    for f in flat:
        s = app_screens("kanju_zh")[f.screen]
        h, w = s.image.shape[:2]
        assert 0 <= f.bbox.x1 < f.bbox.x2 <= w and 0 <= f.bbox.y1 < f.bbox.y2 <= h, f
        assert f.regulations and all(r in REGULATIONS for r in f.regulations), f
        assert f.evidence, f
    renewal = next(f for f in found["vip"] if f.category.value == "hidden_auto_renewal")
    # the measured numbers behind the finding (the terms are 10 sp, light grey, under the CTA)
    assert renewal.evidence["contrast"] < 4.5 and renewal.evidence["relative_size"] < 0.85
    assert renewal.evidence["after_cta"] is True
