"""Throughput on every core: `analyze --jobs 1` vs `--jobs N`, and a campaign vs one app at a time.

    python bench/parallel.py [--run DIR ...] [--jobs N] [--campaign FILE]
                             [--skip-analyze] [--skip-campaign]

1. analyze: each run (default: a fresh crawl of the bundled demo app, and - when
   ``../shared/corpus/droidbot-fdroid`` is there - its largest DroidBot crawl imported with
   ``darkscan import droidbot``: real 1080x2340 phone screens) analysed three ways, each in its
   own process on an empty OCR disk cache (so all read every text they need), wall time:
   ``--jobs 1`` (one core: one process, one thread), ``--jobs 1`` with onnxruntime's threads on
   every core (``DARKSCAN_OCR_THREADS`` = cores: one process using all cores for its
   inferences), and ``--jobs N`` (default: the number of cores). Prints the speed-ups of wall
   time (process start, imports and model loads included: a fixed ~1.5 s per pass) and of
   steady throughput (screens per second between the first and the last screen done); both
   are expected close to N on a quiet machine with N cores, the first less so on small runs.
2. campaign: ``darkscan batch`` (local Ray instance, all cores) vs ``darkscan run`` for each app
   one after another - with ``--jobs 1`` (one core) and with the default ``--jobs`` (analysis on
   all cores) - all on empty OCR caches. Default campaign: the bundled flows plus the virtual
   test apps (10 apps); ``--campaign FILE`` for another (its virtual apps are compared).

Run it on a quiet machine: the ratios are of wall times measured in this one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from darkscan.workers import cores  # noqa: E402

FDROID = REPO.parent / "shared" / "corpus" / "droidbot-fdroid"
TEST_APPS = ["cancel_phone", "fault_popup", "fault_secure", "privacy_deep", "rec_deep",
             "rec_sticky", "uninstall_disabled"]


def _env(cache: Path, jobs: int | None = None, ocr_threads: int | None = None) -> dict[str, str]:
    env = {**os.environ, "DARKSCAN_CACHE_DIR": str(cache),
           "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    for var, value in (("DARKSCAN_JOBS", jobs), ("DARKSCAN_OCR_THREADS", ocr_threads)):
        env.pop(var, None)
        if value is not None:
            env[var] = str(value)
    return env


def darkscan(args: list[str], cache: Path, jobs: int | None = None) -> float:
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "darkscan", *args], env=_env(cache, jobs),
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit(f"darkscan {' '.join(args)} failed ({r.returncode}): {r.stderr[-800:]}")
    return time.perf_counter() - t0


# `darkscan analyze RUN --jobs N` as the command runs it, timing each screen's completion
_ANALYZE = """
import json, sys, time
from darkscan.workers import job_threads, limit_threads, single_threaded_blas
single_threaded_blas()   # as the CLI does, before numpy loads
from darkscan.analysis import analyze_run
jobs = int(sys.argv[2])
if jobs == 1:
    limit_threads(job_threads())
done = []
analyze_run(sys.argv[1], jobs=jobs, progress=lambda s, d, t: done.append(time.perf_counter()))
print(json.dumps({"first": done[1], "last": done[-1], "screens": len(done) - 1}))
"""


def analyze(run: Path, cache: Path, jobs: int, ocr_threads: int | None = None
            ) -> tuple[float, float, int]:
    """Wall seconds of a fresh process analysing ``run``, its steady screens per second, and
    how many screens it analysed (the app's: other packages' screens are not scanned)."""
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", _ANALYZE, str(run), str(jobs)], text=True,
                       env=_env(cache, ocr_threads=ocr_threads), capture_output=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"analyze {run} --jobs {jobs} failed: {r.stderr[-800:]}")
    t = json.loads(r.stdout.splitlines()[-1])
    return wall, (t["screens"] - 1) / (t["last"] - t["first"]), t["screens"]


def default_runs(tmp: Path) -> list[Path]:
    runs = [tmp / "demo"]
    darkscan(["crawl", str(REPO / "flows" / "kanju_zh.yaml"), "--out", str(runs[0]), "--quiet"],
             tmp / "c0")
    crawls = [d for d in FDROID.iterdir() if (d / "states").is_dir()] if FDROID.is_dir() else []
    if crawls:
        biggest = max(crawls, key=lambda d: len(list((d / "states").glob("state_*.json"))))
        # (com.chancehorizon.just24hoursplus: 70 states, 69 of them the app's)
        runs.append(tmp / f"droidbot-{biggest.name}")
        darkscan(["import", "droidbot", str(biggest), "--out", str(runs[-1])], tmp / "c0")
    return runs


def bench_analyze(run: Path, jobs: int, tmp: Path) -> None:
    n = cores()
    rows = [("--jobs 1 (one core)", analyze(run, tmp / "a1", 1)),
            (f"--jobs 1, onnxruntime on {n} threads", analyze(run, tmp / "a2", 1, ocr_threads=n)),
            (f"--jobs {jobs} ({jobs} worker processes)", analyze(run, tmp / "a3", jobs))]
    for c in ("a1", "a2", "a3"):
        shutil.rmtree(tmp / c, ignore_errors=True)
    print(f"analyze {run.name} ({rows[0][1][2]} app screens), empty OCR caches, {n} cores:")
    for label, (wall, rate, _) in rows:
        print(f"  {label:36s}: {wall:6.1f} s wall  {rate:5.2f} screens/s steady")
    (w1, r1, _), (wt, rt, _), (wn, rn, _) = (r for _, r in rows)
    print(f"  speed-up --jobs {jobs} vs --jobs 1: {w1 / wn:.2f}x wall, {rn / r1:.2f}x steady; "
          f"vs one process on {n} threads: {wt / wn:.2f}x wall, {rn / rt:.2f}x steady")


def bundled_campaign(tmp: Path) -> Path:
    entries = [{"flow": str(f)} for f in sorted((REPO / "flows").glob("*.yaml"))
               if "example" not in f.name]
    entries += [{"app": str(REPO / "tests" / "apps" / f"{n}.yaml")} for n in TEST_APPS]
    path = tmp / "campaign.yaml"
    path.write_text(yaml.safe_dump({"name": "bench", "gate": {"fail_on": "high"},
                                    "apps": entries}), "utf-8")
    return path


def bench_campaign(campaign: Path, tmp: Path) -> None:
    from darkscan.campaign.spec import load_campaign

    c = load_campaign(campaign)
    sources = []
    for a in c.apps:
        if a.device:
            continue
        if a.kind == "flow":
            sources.append(a.source)
        else:   # a virtual app: `darkscan run` takes a flow file
            flow = tmp / "flows" / f"{a.name}.yaml"
            flow.parent.mkdir(exist_ok=True)
            flow.write_text(yaml.safe_dump({"name": a.name, "target": {"app": a.source}}),
                            "utf-8")
            sources.append(str(flow))
    seq1 = sum(darkscan(["run", s, "--out", str(tmp / "seq1" / str(i))], tmp / "c1", jobs=1)
               for i, s in enumerate(sources))
    seqn = sum(darkscan(["run", s, "--out", str(tmp / "seqn" / str(i))], tmp / "c2")
               for i, s in enumerate(sources))
    par = darkscan(["batch", str(campaign), "--out", str(tmp / "campaign")], tmp / "c3")
    print(f"campaign {c.name} ({len(sources)} virtual apps), empty OCR caches, {cores()} cores:")
    print(f"  darkscan run, one app after another, --jobs 1        : {seq1:7.1f} s")
    print(f"  darkscan run, one app after another, --jobs {cores()} (default): {seqn:7.1f} s")
    print(f"  darkscan batch (local Ray: start-up included)        : {par:7.1f} s")
    print(f"  speed-up batch vs --jobs 1: {seq1 / par:.2f}x; vs default --jobs: {seqn / par:.2f}x")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", type=Path, action="append", default=None,
                    help="a run folder to analyse (repeatable; default: demo + a DroidBot crawl)")
    ap.add_argument("--jobs", type=int, default=cores())
    ap.add_argument("--campaign", type=Path, default=None,
                    help="campaign file (default: bundled flows + virtual test apps)")
    ap.add_argument("--skip-analyze", action="store_true")
    ap.add_argument("--skip-campaign", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        if not args.skip_analyze:
            for run in args.run or default_runs(tmp):
                bench_analyze(run, args.jobs, tmp)
        if not args.skip_campaign:
            bench_campaign(args.campaign or bundled_campaign(tmp), tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
