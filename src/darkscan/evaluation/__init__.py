"""Measuring darkscan's per-screen detectors against labelled screenshots.

    ds = load_dataset("screenshots/")           # darkscan-screens or COCO labels.json
    report = evaluate(ds, predictor)            # predictor(image, xml, density) -> findings
    report.counts["nagging"].f1

See docs/eval.md for the label formats and the counting rule.
"""

from darkscan.evaluation.coco import COCO_MAPPING
from darkscan.evaluation.labels import (
    Dataset, DatasetFormat, LabelledBox, LabelledScreen, load_dataset,
)
from darkscan.evaluation.matching import Counts, ScreenMatch, boxes_match, match_boxes
from darkscan.evaluation.runner import EvalReport, Predictor, ScreenResult, Split, evaluate

__all__ = [
    "COCO_MAPPING", "Counts", "Dataset", "DatasetFormat", "EvalReport", "LabelledBox",
    "LabelledScreen", "Predictor", "ScreenMatch", "ScreenResult", "Split", "boxes_match",
    "evaluate", "load_dataset", "match_boxes",
]
