"""Throughput on every core: `analyze --jobs 1` vs `--jobs N`, and a campaign vs one app at a time.

    python bench/parallel.py [--run DIR] [--jobs N] [--campaign campaigns/bundled.yaml]
                             [--skip-analyze] [--skip-campaign]

1. analyze: the same run (default: a fresh crawl of the bundled demo app) analysed by
   ``darkscan analyze RUN --jobs 1`` and ``--jobs N`` (default: the number of cores), each in
   its own process on an empty OCR disk cache (so both read every text they need), wall time;
   prints the speed-up (close to the core count on a quiet machine with 2+ cores).
2. campaign: ``darkscan batch CAMPAIGN`` (local Ray instance, all cores) vs ``darkscan run FLOW``
   for each of the campaign's flows one after another (``--jobs 1``), both on empty OCR
   caches; prints both wall times and the speed-up.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from darkscan.workers import cores  # noqa: E402


def darkscan(args: list[str], cache: Path, jobs: int | None = None) -> float:
    env = {**os.environ, "DARKSCAN_CACHE_DIR": str(cache),
           "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    if jobs is not None:
        env["DARKSCAN_JOBS"] = str(jobs)
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "darkscan", *args], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit(f"darkscan {' '.join(args)} failed ({r.returncode}): {r.stderr[-800:]}")
    return time.perf_counter() - t0


def bench_analyze(run: Path | None, jobs: int, tmp: Path) -> None:
    if run is None:
        run = tmp / "run"
        darkscan(["crawl", str(REPO / "flows" / "kanju_zh.yaml"), "--out", str(run), "--quiet"],
                 tmp / "c0")
    screens = len(list((run / "screens").glob("*.json")))
    one = darkscan(["analyze", str(run), "--jobs", "1"], tmp / "c1")
    many = darkscan(["analyze", str(run), "--jobs", str(jobs)], tmp / "c2")
    print(f"analyze {run} ({screens} screens), empty OCR caches:")
    print(f"  --jobs 1 : {one:7.1f} s  {screens / one:5.2f} screens/s")
    print(f"  --jobs {jobs} : {many:7.1f} s  {screens / many:5.2f} screens/s")
    print(f"  speed-up --jobs {jobs} vs --jobs 1: {one / many:.2f}x on {cores()} cores")


def bench_campaign(campaign: Path, tmp: Path) -> None:
    from darkscan.campaign.spec import load_campaign

    c = load_campaign(campaign)
    flows = [a for a in c.apps if a.kind == "flow" and not a.device]
    seq = 0.0
    for a in flows:
        seq += darkscan(["run", a.source, "--out", str(tmp / "seq" / a.name)], tmp / "c3", jobs=1)
    par = darkscan(["batch", str(campaign), "--out", str(tmp / "campaign")], tmp / "c4")
    print(f"campaign {campaign.name} ({len(flows)} apps), empty OCR caches:")
    print(f"  one after another (darkscan run, --jobs 1): {seq:7.1f} s")
    print(f"  darkscan batch (local Ray, {cores()} cores)  : {par:7.1f} s")
    print(f"  speed-up: {seq / par:.2f}x")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", type=Path, default=None)
    ap.add_argument("--jobs", type=int, default=cores())
    ap.add_argument("--campaign", type=Path, default=REPO / "campaigns" / "bundled.yaml")
    ap.add_argument("--skip-analyze", action="store_true")
    ap.add_argument("--skip-campaign", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        if not args.skip_analyze:
            bench_analyze(args.run, args.jobs, tmp)
        if not args.skip_campaign:
            bench_campaign(args.campaign, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
