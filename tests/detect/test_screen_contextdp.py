"""Real app screenshots (ContextDP dev half, no hierarchy): the pixel path holds up.

Predictions of preselection / false_hierarchy are matched to DEFAULT CHOICE boxes by overlap
(the corpus' own counting rule). Precision must stay high; recall on pixels alone is modest
(measured on all 52 labelled images: 12 TP, 2 FP, 40 FN).
"""

from __future__ import annotations

import json

import pytest

from darkscan.analysis import scan_file
from darkscan.detect.registry import screen_detectors
from darkscan.geometry import Box


@pytest.mark.slow
def test_default_choice_precision_on_real_screens(contextdp_dir, ocr_engine) -> None:
    data = json.loads((contextdp_dir / "labels.json").read_text("utf-8"))
    names = {c["id"]: c["name"].upper() for c in data["categories"]}
    gold: dict[int, list[Box]] = {}
    for a in data["annotations"]:
        if names[a["category_id"]].startswith("DEFAULT"):
            gold.setdefault(a["image_id"], []).append(Box.from_xywh(*a["bbox"]))
    images = [im for im in data["images"] if im["id"] in gold][:20]
    dets = screen_detectors(["preselection", "false_hierarchy"])
    tp = fp = 0
    for im in images:
        r = scan_file(contextdp_dir / im["file_name"], ocr=ocr_engine, detectors=dets)
        assert r.error is None, r.error
        for f in r.findings:
            assert 0 <= f.bbox.x1 < f.bbox.x2 <= r.width and 0 <= f.bbox.y1 < f.bbox.y2 <= r.height
            if any(f.bbox.overlaps(g) for g in gold[im["id"]]):
                tp += 1
            else:
                fp += 1
    assert tp >= 3, (tp, fp)
    assert tp / (tp + fp) >= 0.75, (tp, fp)
