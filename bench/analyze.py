"""Screens per second of `darkscan analyze` vs a naive "OCR every screenshot fully" baseline.

    python bench/analyze.py [--flow flows/kanju_zh.yaml] [--run DIR]

Crawls the demo app once (or reuses --run), then in this one process, on the same loaded
PP-OCR model:

- baseline: read every screenshot of the run with full-screen OCR (no cache, nothing else);
- darkscan: ``analyze_run`` with a fresh cache: hierarchy text first, OCR only for regions the
  hierarchy has no text for, all per-screen and graph detectors, findings.json written;
- darkscan again on the same run (warm content cache: an unchanged screenshot is not re-read).

Prints screens/s for each, the darkscan/baseline speed ratio and the share of darkscan's time
spent outside OCR inference.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from darkscan.analysis import analyze_run
from darkscan.vision.imageio import load_image
from darkscan.vision.ocr import CachedOcrEngine, RapidOcrEngine

REPO = Path(__file__).resolve().parents[1]


def crawl_demo(flow: Path, out: Path) -> None:
    from darkscan.crawl import crawl, load_flow

    crawl(load_flow(flow), out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--flow", type=Path, default=REPO / "flows" / "kanju_zh.yaml")
    ap.add_argument("--run", type=Path, default=None, help="an existing run folder")
    args = ap.parse_args()
    tmp = None
    run = args.run
    if run is None:
        tmp = tempfile.TemporaryDirectory()
        run = Path(tmp.name) / "run"
        crawl_demo(args.flow, run)
    pngs = sorted((run / "screens").glob("*.png"))
    screens = len(list((run / "screens").glob("*.json")))

    model = RapidOcrEngine()
    model.read(load_image(pngs[0]))  # load and warm the ONNX sessions once, for both sides

    t0 = time.perf_counter()
    ocr_s = 0.0
    for p in pngs:
        img = load_image(p)
        t = time.perf_counter()
        model.read(img)
        ocr_s += time.perf_counter() - t
    base = time.perf_counter() - t0

    engine = CachedOcrEngine(model)
    cold = analyze_run(run, ocr=engine)
    warm = analyze_run(run, ocr=engine)

    print(f"run: {run} ({screens} screens, {len(pngs)} screenshots)")
    print(f"baseline full-screen OCR : {base:6.2f} s  {screens / base:6.2f} screens/s "
          f"(OCR {ocr_s / base:.0%} of its time)")
    print(f"darkscan analyze (cold)  : {cold.seconds:6.2f} s  {cold.screens / cold.seconds:6.2f} "
          f"screens/s  OCR {cold.ocr_inferences} calls, {cold.ocr_seconds:.2f} s, "
          f"{cold.ocr_pixels / 1e6:.1f} MP; outside OCR inference "
          f"{1 - cold.ocr_seconds / cold.seconds:.0%}")
    print(f"darkscan analyze (warm)  : {warm.seconds:6.2f} s  {warm.screens / warm.seconds:6.2f} "
          f"screens/s  OCR {warm.ocr_inferences} calls")
    print(f"speed ratio darkscan/baseline: cold {base / cold.seconds:.2f}x, "
          f"warm {base / warm.seconds:.2f}x; findings {len(cold.findings)}")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
