"""PP-OCR must read >= 95 % of the visible text characters of the bundled apps.

Truth = the hierarchy's text of each screen (what the app draws); OCR reads each whole
screenshot once per session (the shared engine caches by content). Characters are compared
as multisets per screen, ignoring whitespace and punctuation OCR cannot be asked to keep.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

import pytest

from darkscan.device.hierarchy import parse_hierarchy

APPS = ["kanju_zh", "kanju_zh_clean", "fitpro_en"]


def _chars(text: str) -> Counter:
    t = unicodedata.normalize("NFKC", text)
    return Counter(c for c in t if c.isalnum() or c in "¥$%/")


def _truth(xml: str, height: int) -> Counter:
    """Text of nodes inside the screenshot and not hidden under an open dialog window."""
    h = parse_hierarchy(xml)
    app_roots = [r for r in h.roots if r.package != "com.android.systemui"]
    top = min(app_roots, key=lambda r: r.bounds.area) if len(app_roots) > 1 else None
    on_top = {id(n) for n in top.iter()} if top is not None else set()
    total: Counter = Counter()
    for n in h.nodes:
        if not n.text.strip() or n.password or n.bounds.empty:
            continue
        if n.bounds.y1 < 0 or n.bounds.y2 > height:
            continue
        if top is not None and id(n) not in on_top and n.bounds.overlaps(top.bounds):
            continue  # drawn beneath the dialog
        total += _chars(n.text)
    return total


@pytest.mark.slow
def test_ocr_reads_95_percent_of_visible_characters(app_screens, ocr_engine) -> None:
    expected = found = 0
    worst = []
    for app in APPS:
        for sid, s in app_screens(app).items():
            if float(s.image.max()) < 8:
                continue  # FLAG_SECURE screen: nothing to read
            truth = _truth(s.xml, s.image.shape[0])
            if not truth:
                continue
            read: Counter = Counter()
            for t in ocr_engine.read(s.image):
                read += _chars(t.text)
            hit = sum((truth & read).values())
            expected += sum(truth.values())
            found += hit
            worst.append((hit / sum(truth.values()), app, sid))
    recall = found / expected
    print(f"OCR character recall {recall:.4f} over {expected} characters; worst "
          f"{sorted(worst)[:3]}")
    assert expected > 1000
    assert recall >= 0.95, sorted(worst)[:5]
