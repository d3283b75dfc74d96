"""Pixel-only widgets against real view trees: the DroidBot F-Droid crawls.

    python bench/widgets.py [CRAWLS_DIR] [--ocr-cache DIR]

CRAWLS_DIR defaults to ../shared/corpus/droidbot-fdroid beside the checkout. Prints, for the
apps the recognisers were tuned on and for the held-out ones, detection precision / recall
(IoU >= 0.5, or the prediction inside the view's bounds) and state accuracy per widget kind,
twice: from shapes alone (no OCR) and with OCR text (text buttons need it), with the seconds
per screen of each (darkscan.evaluation.widgets).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from darkscan.evaluation.widgets import (
    TUNED_APPS,
    KindCounts,
    evaluate_widgets,
    load_droidbot,
    ocr_for_widgets,
    pixel_detector,
)

REPO = Path(__file__).resolve().parents[1]


def _fmt(v: float | None) -> str:
    return "   —" if v is None else f"{v:.2f}"


def _row(name: str, c: KindCounts) -> str:
    return (f"  {name:<10} truth {c.truth:>4}  pred {c.predictions:>4}  P {_fmt(c.precision)}"
            f"  R {_fmt(c.recall)}  state {_fmt(c.state_accuracy)} (n={c.state_scored})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("crawls", nargs="?", type=Path,
                    default=REPO.parent / "shared" / "corpus" / "droidbot-fdroid")
    ap.add_argument("--ocr-cache", type=Path, default=None)
    args = ap.parse_args()
    screens = load_droidbot(args.crawls)
    apps = sorted({s.app for s in screens})
    groups = {"tuned": [a for a in apps if a in TUNED_APPS],
              "held out": [a for a in apps if a not in TUNED_APPS]}
    for mode, detect in (("shapes only", pixel_detector(None)),
                         ("with OCR", pixel_detector(ocr_for_widgets(args.ocr_cache)))):
        t0 = time.perf_counter()
        report = evaluate_widgets(screens, detect)
        dt = (time.perf_counter() - t0) / max(1, len(screens))
        print(f"{mode}: {len(screens)} screens, {dt:.2f} s/screen")
        for gname, group in [("all", None), *groups.items()]:
            n = sum(1 for r in report.results if group is None or r.screen.app in group)
            print(f" {gname} ({n} screens{'' if group is None else ': ' + ', '.join(group)})")
            for kind, c in report.counts(group).items():
                print(_row(kind.value, c))
            print(_row("toggles", report.toggles(group)))


if __name__ == "__main__":
    main()
