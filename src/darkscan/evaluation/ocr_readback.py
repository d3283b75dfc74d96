"""How much of a screen's visible text OCR reads back, by character.

Truth is the hierarchy's text of the screen (what the app draws): nodes inside the screenshot,
not hidden under an open dialog window, not password fields. Characters are compared as
multisets per screen after NFKC, ignoring whitespace and punctuation OCR cannot be asked to keep.
Used by the OCR acceptance test and ``bench/ocr_readback.py``.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

import numpy as np

from darkscan.device.hierarchy import parse_hierarchy
from darkscan.vision.ocr import OcrEngine

SYSTEM_UI = "com.android.systemui"


def chars(text: str) -> Counter[str]:
    t = unicodedata.normalize("NFKC", text)
    return Counter(c for c in t if c.isalnum() or c in "¥$%/")


def visible_chars(xml: str, height: int) -> Counter[str]:
    """Characters of the text an app draws on screen, from its hierarchy."""
    h = parse_hierarchy(xml)
    app_roots = [r for r in h.roots if r.package != SYSTEM_UI]
    top = min(app_roots, key=lambda r: r.bounds.area) if len(app_roots) > 1 else None
    on_top = {id(n) for n in top.iter()} if top is not None else set()
    total: Counter[str] = Counter()
    for n in h.nodes:
        if not n.text.strip() or n.password or n.bounds.empty:
            continue
        if n.bounds.y1 < 0 or n.bounds.y2 > height:
            continue
        if top is not None and id(n) not in on_top and n.bounds.overlaps(top.bounds):
            continue  # drawn beneath the dialog
        total += chars(n.text)
    return total


@dataclass(frozen=True)
class Readback:
    expected: int  # visible characters
    found: int     # of those, read back by OCR

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    def __add__(self, other: Readback) -> Readback:
        return Readback(self.expected + other.expected, self.found + other.found)


def readback(image: np.ndarray, xml: str, engine: OcrEngine) -> Readback:
    """OCR ``image`` whole and count how many of its visible characters come back."""
    truth = visible_chars(xml, image.shape[0])
    if not truth or float(image.max()) < 8:  # no text, or a FLAG_SECURE (black) screenshot
        return Readback(0, 0)
    read: Counter[str] = Counter()
    for t in engine.read(image):
        read += chars(t.text)
    return Readback(sum(truth.values()), sum((truth & read).values()))
