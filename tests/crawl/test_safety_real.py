"""The guard on real view trees that sell nothing (DroidBot crawls of F-Droid apps).

Skips when ../shared/corpus/droidbot-fdroid is absent. The only screens it may rate high are
the ones showing a password or verification-code field; anything else would be a false stop
that costs exploration (bench/safety_real.py prints the figures).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from darkscan.crawl.safety import Level, SafetyRules

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("safety_real", REPO / "bench" / "safety_real.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)  # type: ignore[union-attr]
STATES = sorted(bench.CORPUS.glob("*/states/*.json"))


@pytest.mark.skipif(not STATES, reason="droidbot-fdroid corpus not present")
def test_real_screens_that_sell_nothing_are_not_risky() -> None:
    rules = SafetyRules()
    judged = high = 0
    for f in STATES:
        s = bench.screen_of(json.loads(f.read_text(encoding="utf-8")))
        if s is None:
            continue
        judged += 1
        risk = rules.assess(s)
        if risk.level is Level.HIGH:
            high += 1
            assert {x.name for x in risk.signals} <= {"password_field", "code_field"}, \
                (f, risk.signals)
        else:
            assert risk.level is Level.NONE, (f, risk.signals)
    assert judged > 100 and high < 0.05 * judged
