"""darkscan on 60 generated apps with known answers (issue #10 acceptance; bench/generated.py
runs 300 and more). Fixed seeds, 10-40 screens, 360x640 at density 1 so it stays fast.

The phrase bank the apps are worded from is the generator's own (evaluation/appgen/phrases.py),
never darkscan's lexicons, so the test shows that the crawler generalises; a pair whose control
darkscan's lexicon does not recognise is printed as a ``wording`` miss (#10.5) and counts
against the figures like any other.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from darkscan.evaluation.appgen.build import GenOptions
from darkscan.evaluation.appgen.evaluate import figures, format_figures, run_app

pytestmark = pytest.mark.slow

SEEDS = range(60)
OPTIONS = GenOptions(min_screens=10, max_screens=40)


def test_generated_apps_match_the_oracle(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    runs = [run_app(seed, OPTIONS, tmp_path) for seed in SEEDS]
    f = figures(runs)
    with capsys.disabled():
        print("\n" + format_figures(f))
        for r in runs:
            for p in r.pairs:
                if p.cause or (p.found and p.verified is not True):
                    print(f"  seed {p.seed} {p.goal}: {p.cause or 'right'}: {p.detail}")
    assert f["pairs"] == 7 * len(SEEDS)
    assert f["exact_pct"] >= 99.0, f
    assert f["presence_wrong"] == 0, f
    assert f["from_main_exact"] >= 0.99 * f["from_main_pairs"], f   # metrics steps_from_main
    assert f["replay_failed"] == 0, f
    assert f["relaunch_loops"] == 0 and f["budget_stops"] == 0, f
    assert (f["payments"], f["deletions"], f["password_entries"]) == (0, 0, 0), f
