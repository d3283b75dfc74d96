"""Benchmark: report + gate for a 500-screen run. Prints wall time and peak memory.

    python bench/report.py [--screens 500] [--keep DIR]

A run folder with N rendered 720x1280 screens (tests/report/synthrun.py) is written first; the
report is then generated in a fresh child process so its peak RSS is the report's own.
Goal (issue #6): under 10 s and under 1 GB for 500 screens.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def write_big_run(root: Path, n: int) -> Path:
    sys.path.insert(0, str(REPO / "tests" / "report"))
    import synthrun

    # a phone-sized screen (720x1280, 2x density) rather than the tests' small one
    synthrun.WIDTH, synthrun.HEIGHT, synthrun.BAR, synthrun.ROW = 720, 1280, 112, 112
    return synthrun.write_run(synthrun.big_app(n), root)


def report_only(run: Path) -> None:
    """Child process: load, gate, write the report; print one JSON line of measurements."""
    from darkscan.report import evaluate, load_run, write_report
    from darkscan.report.junit import write_junit

    t0 = time.perf_counter()
    data = load_run(run)
    result = evaluate(data)
    index = write_report(data, gate=result)
    write_junit(result, run / "junit.xml")
    elapsed = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    size = sum(p.stat().st_size for p in index.parent.rglob("*") if p.is_file())
    print(json.dumps({"seconds": round(elapsed, 2), "peak_rss_mb": round(peak_kb / 1024, 1),
                      "screens": len(data.screens), "findings": len(data.findings or ()),
                      "report_mb": round(size / 2**20, 2),
                      "index_kb": round(index.stat().st_size / 1024, 1)}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--screens", type=int, default=500)
    ap.add_argument("--keep", type=Path, help="write the run here and keep it")
    ap.add_argument("--report-only", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.report_only:
        report_only(args.report_only)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        run = args.keep or Path(tmp) / "run"
        t0 = time.perf_counter()
        write_big_run(run, args.screens)
        print(f"wrote a {args.screens}-screen run in {time.perf_counter() - t0:.1f} s: {run}")
        out = subprocess.run([sys.executable, __file__, "--report-only", str(run)],
                             check=True, capture_output=True, text=True)
        m = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"report for {m['screens']} screens, {m['findings']} findings: "
              f"{m['seconds']} s, peak RSS {m['peak_rss_mb']} MB "
              f"(report folder {m['report_mb']} MB, index.html {m['index_kb']} KB)")
        ok = m["seconds"] < 10 and m["peak_rss_mb"] < 1024
        print("goal (< 10 s, < 1 GB):", "met" if ok else "NOT met")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
