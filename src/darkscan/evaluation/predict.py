"""The default predictor: every registered per-screen detector on a ScreenContext."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from darkscan.detect.finding import Finding
from darkscan.evaluation.runner import Predictor
from darkscan.vision.ocr import CachedOcrEngine, OcrEngine, RapidOcrEngine, default_engine


def ocr_engine(cache_dir: Path | None = None) -> OcrEngine:
    """The shared PP-OCR engine, or one that also caches on disk in ``cache_dir``."""
    if cache_dir is None:
        return default_engine()
    return CachedOcrEngine(RapidOcrEngine(), cache_dir=cache_dir)


def registry_predictor(engine: OcrEngine | None = None, *, only: Sequence[str] | None = None,
                       pixels_only: bool = False) -> Predictor:
    """Run the registry's screen detectors; ``pixels_only`` ignores any hierarchy XML."""
    from darkscan.detect.registry import screen_detectors
    from darkscan.device.hierarchy import parse_hierarchy
    from darkscan.vision.context import ScreenContext

    detectors = screen_detectors(only)
    eng = engine or default_engine()

    def predict(image: np.ndarray, hierarchy_xml: str | None,
                density: float | None) -> list[Finding]:
        hierarchy = None
        if hierarchy_xml is not None and not pixels_only:
            hierarchy = parse_hierarchy(hierarchy_xml)
        ctx = ScreenContext(image, hierarchy, density=density, ocr=eng)
        out: list[Finding] = []
        for d in detectors:
            out.extend(d.detect(ctx))
        return out

    return predict
