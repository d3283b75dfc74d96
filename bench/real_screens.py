"""Seconds per real screen: `darkscan analyze` on imported DroidBot crawls vs OCR on every
screenshot, measured in one process on the same loaded PP-OCR model.

    python bench/real_screens.py [--droidbot DIR ...]

Default: every crawl in ../shared/corpus/droidbot-fdroid (five F-Droid apps, 1080x2340 JPEGs).
Each crawl is imported (``darkscan import droidbot``) into a temporary run folder, then:

- baseline: full-screen OCR of every screenshot analyze scans (the app's own screens);
- darkscan cold: ``analyze_run`` with an empty OCR cache (hierarchy text first, OCR only where
  the view tree has none, every screen and graph detector, findings.json written);
- darkscan warm: the same run again on the filled cache (unchanged pixels are not re-read).

Prints s/screen for each and the ratios.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from darkscan.analysis import analyze_run
from darkscan.importers import import_crawl
from darkscan.runfolder import RunFolder
from darkscan.vision.imageio import load_image
from darkscan.vision.ocr import CachedOcrEngine, RapidOcrEngine

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "droidbot-fdroid"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--droidbot", type=Path, nargs="*", default=None,
                    help="DroidBot output folders (default: the droidbot-fdroid corpus)")
    args = ap.parse_args()
    sources = args.droidbot or sorted(p for p in CORPUS.iterdir() if p.is_dir())
    model = RapidOcrEngine()
    with tempfile.TemporaryDirectory() as tmp:
        runs = []
        for src in sources:
            out = Path(tmp) / src.name
            import_crawl("droidbot", src, out)
            runs.append(out)
        shots = []
        for run in runs:
            f = RunFolder(run)
            shots += [p for s in f.screen_ids() if f.screen(s).kind == "app"
                      for p in [f.image_path(s)] if p is not None]
        first = load_image(shots[0])
        model.read(first)  # load and warm the ONNX sessions once, for both sides
        size = f"{first.shape[1]}x{first.shape[0]}"

        t0 = time.perf_counter()
        for p in shots:
            model.read(load_image(p))
        base = time.perf_counter() - t0

        engine = CachedOcrEngine(model)
        cold = [analyze_run(r, ocr=engine) for r in runs]
        warm = [analyze_run(r, ocr=engine) for r in runs]
    n = sum(r.screens for r in cold)
    c_s, w_s = sum(r.seconds for r in cold), sum(r.seconds for r in warm)
    c_ocr = sum(r.ocr_seconds for r in cold)
    print(f"{len(runs)} imported crawls, {n} app screens analysed ({size} JPEG), "
          f"{len(shots)} screenshots")
    print(f"baseline OCR every screenshot: {base / len(shots):6.3f} s/screen")
    print(f"darkscan analyze (cold cache): {c_s / n:6.3f} s/screen "
          f"(OCR inference {c_ocr / n:.3f} s/screen, "
          f"{sum(r.ocr_inferences for r in cold)} OCR calls)")
    print(f"darkscan analyze (warm cache): {w_s / n:6.3f} s/screen "
          f"({sum(r.ocr_inferences for r in warm)} OCR calls)")
    print(f"ratio baseline/darkscan: cold {base / len(shots) / (c_s / n):.2f}x, "
          f"warm {base / len(shots) / (w_s / n):.2f}x")


if __name__ == "__main__":
    main()
