"""Parallel analysis equals sequential analysis, and the OCR disk cache makes re-analysis free.

A real crawl of the mini test app (WebView and image-text screens need OCR), analysed with one
job in this process, then with two worker processes on an empty disk cache, then once more by a
fresh engine over the cache the workers wrote.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from darkscan.analysis import analyze_run, scan_files
from darkscan.cli import main
from darkscan.crawl import crawl, virtual_flow
from darkscan.vision.ocr import CachedOcrEngine

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "tests" / "apps" / "_mini.yaml"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = tmp_path_factory.mktemp("parallel") / "run"
    crawl(virtual_flow(APP), run)
    return run


def _findings(run: Path) -> list[dict]:
    return json.loads((run / "findings.json").read_text(encoding="utf-8"))["findings"]


def test_jobs_give_the_same_findings_in_the_same_order(crawled: Path, tmp_path: Path, ocr_engine,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    run = crawled
    assert main(["analyze", str(run), "--jobs", "1"]) == 0
    one = _findings(run)
    assert one, "the mini app has planted patterns"

    cache = tmp_path / "cache"
    monkeypatch.setenv("DARKSCAN_CACHE_DIR", str(cache))   # the workers start on an empty cache
    (run / "findings.json").unlink()
    assert main(["analyze", str(run), "--jobs", "2"]) == 0
    assert _findings(run) == one
    entries = list((cache / "ocr").rglob("*.json"))
    assert entries, "the workers wrote the OCR disk cache"

    # another engine over the same disk cache (as a later process would be): no OCR at all
    fresh = CachedOcrEngine(ocr_engine.engine, cache_dir=cache / "ocr")
    again = analyze_run(run, ocr=fresh, write=False)
    assert again.ocr_inferences == 0 and fresh.stats.hits >= len(entries)
    assert [f.to_dict() for f in again.findings] == one


def test_scan_many_files_in_workers_keeps_input_order(crawled: Path, tmp_path: Path) -> None:
    run = crawled
    pngs = sorted((run / "screens").glob("*.png"))[:4]
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not a png")
    files = [pngs[0], bad, *pngs[1:]]
    par = scan_files(files, jobs=2)
    seq = scan_files(files, jobs=1)
    assert [r.image for r in par] == [str(p) for p in files]
    assert [r.to_dict() for r in par] == [r.to_dict() for r in seq]
    assert par[1].error is not None and all(r.error is None for r in par[:1] + par[2:])


def test_each_job_is_one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--jobs N` means N cores: every worker gets one thread for onnxruntime, OpenCV and BLAS;
    a DARKSCAN_OCR_THREADS the user set is kept."""
    import os

    import cv2

    from darkscan.workers import AnalysisPool

    monkeypatch.delenv("DARKSCAN_OCR_THREADS", raising=False)
    with AnalysisPool(2) as pool:
        got = dict(pool.map(os.getenv, [("DARKSCAN_OCR_THREADS",), ("OMP_NUM_THREADS",)]))
        assert got == {0: "1", 1: "1"}
        assert [n for _, n in pool.map(cv2.getNumThreads, [(), ()])] == [1, 1]
    monkeypatch.setenv("DARKSCAN_OCR_THREADS", "3")
    with AnalysisPool(1) as pool:
        assert [v for _, v in pool.map(os.getenv, [("DARKSCAN_OCR_THREADS",)])] == ["3"]
