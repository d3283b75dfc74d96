"""Matching, counting and label loading of `darkscan eval`, on hand-built label sets."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from darkscan.cli import main
from darkscan.detect.finding import Category, Finding, Severity
from darkscan.errors import InputError
from darkscan.evaluation import (
    Counts, DatasetFormat, Split, evaluate, load_dataset, match_boxes,
)
from darkscan.geometry import Box


def test_overlap_rule_counts_predictions_and_labels_separately() -> None:
    labels = [Box(0, 0, 100, 100), Box(200, 200, 300, 300)]
    preds = [Box(50, 50, 60, 60), Box(90, 90, 210, 210), Box(400, 400, 410, 410)]
    m = match_boxes(preds, labels)
    # the middle prediction spans both labels: correct, and finds both
    assert m.correct == (True, True, False)
    assert m.found == (True, True)
    c = Counts.of(m)
    assert (c.predictions, c.correct, c.labels, c.found) == (3, 2, 2, 2)
    assert c.precision == pytest.approx(2 / 3)
    assert c.recall == 1.0
    assert c.f1 == pytest.approx(0.8)


def test_touching_edges_do_not_overlap_and_min_iou_is_stricter() -> None:
    assert match_boxes([Box(100, 0, 200, 100)], [Box(0, 0, 100, 100)]).correct == (False,)
    small = Box(0, 0, 10, 10)
    big = Box(0, 0, 100, 100)
    assert match_boxes([small], [big], min_iou=0.0).correct == (True,)
    assert match_boxes([small], [big], min_iou=0.5).correct == (False,)


def test_undefined_precision_and_recall() -> None:
    none = Counts()
    assert none.precision is None and none.recall is None and none.f1 is None
    only_labels = Counts(labels=3, found=0, screens=1)
    assert only_labels.precision is None and only_labels.recall == 0.0 and only_labels.f1 == 0.0
    only_preds = Counts(predictions=2, correct=0, screens=1)
    assert only_preds.precision == 0.0 and only_preds.recall is None and only_preds.f1 == 0.0
    assert (Counts(1, 1, 2, 1, 1) + Counts(3, 0, 0, 0, 1)).to_dict()["precision"] == 0.25


def _png(path: Path, w: int, h: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((h, w, 3), 255, np.uint8)).save(path)


def _coco(root: Path, *, stored: tuple[int, int] = (200, 400)) -> Path:
    _png(root / "images" / "a.jpg", *stored)
    _png(root / "images" / "b.jpg", *stored)
    doc = {
        "images": [{"id": 1, "file_name": "images/a.jpg", "width": 200, "height": 400},
                   {"id": 2, "file_name": "images/b.jpg", "width": 200, "height": 400}],
        "annotations": [
            {"image_id": 1, "category_id": 1, "bbox": [10, 10, 50, 50]},   # DEFAULT CHOICE
            {"image_id": 1, "category_id": 2, "bbox": [0, 0, 200, 380]},   # NAGGING
            {"image_id": 2, "category_id": 0, "bbox": [10, 10, 20, 20]},   # NO DP (ignored)
        ],
        "categories": [{"id": 0, "name": "NO DP"}, {"id": 1, "name": "DEFAULT CHOICE"},
                       {"id": 2, "name": "NAGGING"}, {"id": 3, "name": "DISGUISED ADS"}],
    }
    (root / "labels.json").write_text(json.dumps(doc))
    return root


def _finding(cat: Category, box: Box) -> Finding:
    return Finding(cat, "test", Severity.MEDIUM, box, "m")


def test_coco_mapping_and_counting(tmp_path: Path) -> None:
    ds = load_dataset(_coco(tmp_path))
    assert ds.format is DatasetFormat.COCO
    assert ds.categories == ("DEFAULT CHOICE", "NAGGING", "DISGUISED ADS")
    assert ds.ignored_categories == ("NO DP",)
    assert ds.label_counts() == {"DEFAULT CHOICE": 1, "NAGGING": 1, "DISGUISED ADS": 0}

    def predictor(image, xml, density):  # one hand-written answer per screen
        assert image.shape == (400, 200, 3) and xml is None
        if image is not None and predictor.calls == 0:
            predictor.calls += 1
            return [_finding(Category.FALSE_HIERARCHY, Box(30, 30, 80, 80)),  # DEFAULT CHOICE
                    _finding(Category.NAGGING, Box(0, 0, 10, 10)),            # NAGGING
                    _finding(Category.CONFIRMSHAMING, Box(0, 0, 200, 400))]   # unmapped
        return [_finding(Category.PRESELECTION, Box(0, 0, 5, 5)),              # a false alarm
                _finding(Category.DISGUISED_AD, Box(0, 0, 5, 5))]
    predictor.calls = 0
    counts = evaluate(ds, predictor).counts
    assert counts["DEFAULT CHOICE"].to_dict() | {} == {
        "predictions": 2, "correct": 1, "labels": 1, "found": 1, "screens": 2,
        "precision": 0.5, "recall": 1.0, "f1": 0.6667}
    assert (counts["NAGGING"].precision, counts["NAGGING"].recall) == (1.0, 1.0)
    assert counts["DISGUISED ADS"].precision == 0.0 and counts["DISGUISED ADS"].recall is None


def test_resized_screenshot_is_scored_in_label_pixels(tmp_path: Path) -> None:
    ds = load_dataset(_coco(tmp_path, stored=(100, 200)))  # stored at half the labelled size
    seen = []

    def predictor(image, xml, density):
        seen.append(image.shape)
        return [_finding(Category.PRESELECTION, Box(40, 40, 45, 45))]
    report = evaluate(ds, predictor)
    assert seen == [(400, 200, 3), (400, 200, 3)]
    assert report.counts["DEFAULT CHOICE"].found == 1


def test_split_halves_partition_the_screens() -> None:
    names = [f"images/{i}.jpg" for i in range(200)]
    a = {n for n in names if Split.A.includes(n)}
    b = {n for n in names if Split.B.includes(n)}
    assert a.isdisjoint(b) and a | b == set(names)
    assert 60 < len(a) < 140


def _screens(root: Path, labels: list) -> Path:
    _png(root / "s1.png", 100, 200)
    doc = {"format": "darkscan-screens", "version": 1, "categories": ["nagging"],
           "screens": [{"image": "s1.png", "width": 100, "height": 200, "density": 1.0,
                        "labels": labels}]}
    (root / "labels.json").write_text(json.dumps(doc))
    return root


def test_screens_format_reads_boxes(tmp_path: Path) -> None:
    ds = load_dataset(_screens(tmp_path, [{"category": "nagging", "bbox": [0, 0, 50, 50]}]))
    assert ds.format is DatasetFormat.SCREENS
    assert ds.mapping == {"nagging": frozenset({Category.NAGGING})}
    assert ds.screens[0].boxes_of("nagging") == [Box(0, 0, 50, 50)]


@pytest.mark.parametrize("labels, message", [
    ([{"category": "nagging", "bbox": [0, 0, 0, 50]}], "is empty"),
    ([{"category": "nagging", "bbox": [0, 0, 5]}], "4 numbers"),
    ([{"category": "preselection", "bbox": [0, 0, 5, 5]}], "category"),
])
def test_screens_format_errors_name_the_problem(tmp_path: Path, labels, message) -> None:
    with pytest.raises(InputError, match=message):
        load_dataset(_screens(tmp_path, labels))


def test_cli_errors_are_clear_messages(tmp_path: Path, capsys) -> None:
    def err() -> str:  # rich wraps at the terminal width
        return " ".join(capsys.readouterr().err.split())

    assert main(["eval", str(tmp_path / "missing")]) == 2
    assert "no such file or folder" in err()
    assert main(["eval", str(tmp_path)]) == 2
    assert "no labels.json" in err()
    (tmp_path / "labels.json").write_text("{not json")
    assert main(["eval", str(tmp_path)]) == 2
    assert "invalid JSON" in err()
    (tmp_path / "labels.json").write_text(json.dumps({"images": []}))
    assert main(["eval", str(tmp_path)]) == 2
    assert "neither" in err()
    assert main(["eval", str(tmp_path), "--min-iou", "2"]) == 2
