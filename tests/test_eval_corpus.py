"""`darkscan eval` end to end: the project's screenshots/ corpus and the ContextDP dev set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from darkscan.cli import main
from darkscan.detect.finding import SCREEN_CATEGORIES, Category, Finding, Severity
from darkscan.evaluation import evaluate, load_dataset
from darkscan.evaluation.corpus_gen import render_app
from darkscan.geometry import Box


def _eval_json(capsys, *args: str) -> dict:
    assert main(["eval", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_corpus_labels_come_from_the_app_files(repo_root: Path, tmp_path: Path) -> None:
    """Re-rendering an app reproduces the committed labels (the YAML plants are the oracle)."""
    shots = repo_root / "screenshots"
    committed = json.loads((shots / "labels.json").read_text("utf-8"))
    app = shots / "apps" / "pocketchef_en.yaml"
    fresh = render_app(app, tmp_path)
    mine = [s for s in committed["screens"] if s["app"] == app.name]
    assert [s["labels"] for s in fresh] == [s["labels"] for s in mine]
    assert {s["lang"] for s in committed["screens"]} == {"zh-Hans", "zh-Hant", "en"}
    assert len({(s["width"], s["height"], s["density"]) for s in committed["screens"]}) >= 3
    negatives = [s for s in committed["screens"] if not s["labels"]]
    assert len(negatives) >= 10
    # every category has positives and negatives in each language
    for cat in committed["categories"]:
        for lang in ("zh-Hans", "zh-Hant", "en"):
            mine = [s for s in committed["screens"] if s["lang"] == lang]
            assert any(any(lb["category"] == cat for lb in s["labels"]) for s in mine), (cat, lang)
            assert any(all(lb["category"] != cat for lb in s["labels"]) for s in mine), (cat, lang)


@pytest.mark.slow
def test_screenshots_corpus_precision_and_recall(repo_root: Path, ocr_engine, capsys) -> None:
    d = _eval_json(capsys, str(repo_root / "screenshots"))
    assert set(d["categories"]) == {c.value for c in SCREEN_CATEGORIES}  # all seven
    for cat, c in d["categories"].items():
        assert c["labels"] >= 5, cat
        assert c["precision"] >= 0.9 and c["recall"] >= 0.9, (cat, c)


@pytest.mark.slow
def test_real_fdroid_screens_flag_at_most_2_percent(repo_root: Path, ocr_engine, capsys) -> None:
    """Real screens of F-Droid apps (hard negatives, issue #11): `darkscan eval` prints the
    share of screens with a high or medium finding; each finding ever raised on them is listed
    with its verdict."""
    real = repo_root / "screenshots" / "fdroid_real"
    doc = json.loads((real / "labels.json").read_text("utf-8"))
    assert all(isinstance(r["true"], bool) and r["note"] for s in doc["screens"]
               for r in s["review"])
    assert main(["eval", str(real)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    with capsys.disabled():
        print("\n" + printed[printed.index("screens with high"):])
    d = _eval_json(capsys, str(real))
    flagged = d["flagged_screens"]
    assert flagged["of"] == len(doc["screens"]) >= 8
    assert f"screens with high or medium findings: {flagged['screens']} of {flagged['of']}" \
        in printed
    assert flagged["screens"] / flagged["of"] <= 0.02, flagged["names"]
    for cat, c in d["categories"].items():
        assert c["predictions"] == c["correct"], (cat, c)  # no false alarm of any severity


@pytest.mark.slow
def test_contextdp_beats_flagging_everything(contextdp_dir: Path) -> None:
    """All three COCO categories beat flagging every image; NAGGING and DEFAULT CHOICE beat
    AidUI's published 0.62.

    OCR runs with the text detector capped at 1280 px (measured: the same P/R/F1 as native
    resolution on this set), in-process, so no CLI round trip and no JSON of every screen.
    """
    from darkscan.evaluation.predict import registry_predictor
    from darkscan.vision.ocr import CachedOcrEngine, RapidOcrEngine

    ds = load_dataset(contextdp_dir)

    def flag_everything(image, xml, density):
        h, w = image.shape[:2]
        return [Finding(cat, "all", Severity.LOW, Box(0, 0, w, h), "")
                for cat in (Category.PRESELECTION, Category.NAGGING, Category.DISGUISED_AD)]
    floor = evaluate(ds, flag_everything).counts
    engine = CachedOcrEngine(RapidOcrEngine(limit_side_len=1280))
    got = evaluate(ds, registry_predictor(engine, pixels_only=True)).counts
    assert got["NAGGING"].f1 > max(floor["NAGGING"].f1, 0.62)  # AidUI's published 0.62
    assert got["DISGUISED ADS"].f1 > floor["DISGUISED ADS"].f1
    assert got["DEFAULT CHOICE"].f1 > floor["DEFAULT CHOICE"].f1, (got["DEFAULT CHOICE"],
                                                                  floor["DEFAULT CHOICE"])
    # measured 0.69 (P 0.65, R 0.75); AidUI's published figure is 0.62
    assert got["DEFAULT CHOICE"].f1 >= 0.66, got["DEFAULT CHOICE"]
