"""How much of the bundled apps' visible text PP-OCR (rapidocr) reads back, by character.

    python bench/ocr_readback.py

Crawls each bundled app on the virtual device into a temporary run folder, then OCRs every
screenshot whole and compares with the hierarchy's text (darkscan.evaluation.ocr_readback).
Prints the character recall per app and overall, and OCR time per screen.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from darkscan.crawl import crawl, virtual_flow
from darkscan.evaluation.ocr_readback import Readback, readback
from darkscan.vision.imageio import load_image
from darkscan.vision.ocr import RapidOcrEngine

APPS = Path(__file__).resolve().parents[1] / "src" / "darkscan" / "apps"


def main() -> None:
    engine = RapidOcrEngine()
    total, seconds, screens = Readback(0, 0), 0.0, 0
    for app in sorted(APPS.glob("*.yaml")):
        with tempfile.TemporaryDirectory() as tmp:
            run = Path(tmp) / "run"
            crawl(virtual_flow(app), run)
            per_app = Readback(0, 0)
            for png in sorted((run / "screens").glob("*.png")):
                xml = png.with_suffix(".xml")
                if not xml.is_file():
                    continue
                t0 = time.perf_counter()
                per_app += readback(load_image(png), xml.read_text(encoding="utf-8"), engine)
                seconds += time.perf_counter() - t0
                screens += 1
        total += per_app
        print(f"{app.stem:16s} {per_app.found:5d} / {per_app.expected:5d} characters read back"
              f"  recall {per_app.recall:.4f}")
    print(f"overall          {total.found:5d} / {total.expected:5d}  recall {total.recall:.4f}"
          f"  ({seconds / max(screens, 1) * 1000:.0f} ms OCR per screen, {screens} screens)")


if __name__ == "__main__":
    main()
