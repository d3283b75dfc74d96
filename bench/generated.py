"""Crawl generated apps with known answers and compare every goal with the oracle (issue #10).

    python bench/generated.py [--apps 300] [--first-seed 0] [--min-screens 10]
                              [--max-screens 300] [--out DIR]

Apps come from ``darkscan.evaluation.appgen`` (seeds first-seed .. first-seed+apps-1, 360x640 at
density 1); the oracle computes each goal's depth from the app model alone. Prints one line per
app (language, screens, crawl seconds, device actions, status, wrong pairs), every wrong pair
with the oracle's and darkscan's paths, then the figures: % of (app, goal) pairs whose step
count equals the oracle, presence errors, failures by cause, reported paths failing their
replay, relaunch loops, payments / deletions / password entries, crawl time per app.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from darkscan.evaluation.appgen.build import GenOptions
from darkscan.evaluation.appgen.evaluate import figures, format_figures, run_app


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--apps", type=int, default=300)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--min-screens", type=int, default=10)
    ap.add_argument("--max-screens", type=int, default=300)
    ap.add_argument("--out", type=Path, default=None, help="keep the app files here")
    args = ap.parse_args(argv)
    opt = GenOptions(min_screens=args.min_screens, max_screens=args.max_screens)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.out or Path(tmp)
        runs = []
        print(f"{'seed':>5} {'lang':7} {'screens':>7} {'secs':>6} {'actions':>7} "
              f"{'status':9} {'wrong':>5}")
        for seed in range(args.first_seed, args.first_seed + args.apps):
            r = run_app(seed, opt, work)
            runs.append(r)
            wrong = [p for p in r.pairs if p.cause]
            print(f"{seed:>5} {r.lang:7} {r.screens:>7} {r.seconds:>6.2f} {r.actions:>7} "
                  f"{r.status:9} {len(wrong):>5}", flush=True)
            for p in r.pairs:
                if p.cause or (p.found and p.verified is not True):
                    print(f"      {p.goal}: {p.cause or 'right'}: {p.detail}", flush=True)
    print(format_figures(figures(runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
