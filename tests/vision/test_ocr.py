from __future__ import annotations

import json

import numpy as np
import pytest

from darkscan.errors import ImageError
from darkscan.geometry import Box
from darkscan.vision.ocr import CachedOcrEngine, OcrEngine, as_rgb, read_regions


def _norm(s: str) -> str:
    return "".join(s.split())


def test_reads_chinese_and_english_with_pixel_boxes(canvas, ocr_engine: OcrEngine) -> None:
    c = canvas(720, 600)
    b1 = c.text((40, 60), "连续包月 ¥25/月", size=32)
    b2 = c.text((40, 200), "Then $9.99/month, renews automatically", size=24, color="#757575")
    b3 = c.text((40, 340), "自動續訂，可隨時取消", size=26)
    texts = ocr_engine.read(c.array())
    found = {_norm(t.text): t for t in texts}
    assert "连续包月¥25/月" in found
    assert any("renewsautomatically" in k for k in found)
    assert any("自動續訂" in k for k in found)
    box = found["连续包月¥25/月"].box
    # the OCR box hugs the drawn glyphs (within a few pixels)
    assert abs(box.y1 - b1[1]) < 10 and abs(box.y2 - b1[3]) < 10
    assert box.x1 < b1[0] + 10 and box.x2 > b1[2] - 10
    assert all(0.5 <= t.score <= 1.0 for t in texts)
    del b2, b3


def test_cache_skips_second_inference(canvas, ocr_engine: OcrEngine) -> None:
    cached = CachedOcrEngine(ocr_engine)  # a fresh cache over the shared engine
    c = canvas(400, 120)
    c.text((20, 40), "立即开通", size=30)
    img = c.array()
    first = cached.read(img)
    second = cached.read(img.copy())  # same bytes, different array object
    assert first == second and first
    assert cached.stats.inferences == 1 and cached.stats.hits == 1
    img2 = img.copy()
    img2[0, 0] = (0, 0, 0)  # one pixel differs -> new inference
    cached.read(img2)
    assert cached.stats.inferences == 2


def test_disk_cache_survives_a_new_engine(canvas, ocr_engine: OcrEngine, tmp_path) -> None:
    c = canvas(400, 120)
    c.text((20, 40), "隐私政策", size=30)
    img = c.array()
    a = CachedOcrEngine(ocr_engine, cache_dir=tmp_path)
    texts = a.read(img)
    files = list(tmp_path.rglob("*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text("utf-8"))[0]["text"]

    class Exploding:
        name = ocr_engine.name

        def read(self, image: np.ndarray):
            raise AssertionError("disk cache should have answered")

    b = CachedOcrEngine(Exploding(), cache_dir=tmp_path)
    assert b.read(img) == texts


def test_read_regions_returns_full_image_coordinates(canvas, ocr_engine: OcrEngine) -> None:
    c = canvas(720, 800)
    c.text((40, 100), "首页", size=28)
    drawn = c.text((300, 600), "自动续费", size=28)
    texts = read_regions(ocr_engine, c.array(), [Box(280, 580, 500, 660)])
    assert [_norm(t.text) for t in texts] == ["自动续费"]
    b = texts[0].box
    assert abs(b.x1 - drawn[0]) < 10 and abs(b.y1 - drawn[1]) < 10


def test_as_rgb_converts_gray_and_rgba() -> None:
    gray = np.full((10, 12), 128, np.uint8)
    assert as_rgb(gray).shape == (10, 12, 3)
    rgba = np.zeros((10, 12, 4), np.uint8)
    rgba[..., 3] = 0  # fully transparent -> white
    assert (as_rgb(rgba) == 255).all()
    with pytest.raises(ImageError):
        as_rgb(np.zeros((0, 5, 3), np.uint8))
    with pytest.raises(ImageError):
        as_rgb(np.zeros((4, 4, 2, 2), np.uint8))


def test_engine_name_is_stable_across_model_load(canvas, tmp_path) -> None:
    """The disk cache is keyed by the engine name: it must not change when the model loads."""
    from darkscan.vision.ocr import RapidOcrEngine

    fresh = RapidOcrEngine()
    before = fresh.name
    assert not fresh.loaded
    c = canvas(400, 120)
    c.text((20, 40), "自动续费", size=30)
    img = c.array()
    first = CachedOcrEngine(fresh, cache_dir=tmp_path)
    texts = first.read(img)
    assert fresh.loaded and fresh.name == before
    second = CachedOcrEngine(fresh, cache_dir=tmp_path)  # new process, same disk cache
    assert second.read(img) == texts
    assert second.stats.inferences == 0 and second.stats.hits == 1
    assert len(list(tmp_path.rglob("*.json"))) == 1
    # a different detector resolution is a different cache
    assert RapidOcrEngine(limit_side_len=1280).name != before


def test_gpu_ocr_without_a_cuda_provider_is_a_clear_machine_error(
        canvas, monkeypatch: pytest.MonkeyPatch, tmp_path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """DARKSCAN_OCR_DEVICE=cuda needs onnxruntime-gpu; without it: one line, exit 3; a value
    that is no device: exit 2."""
    import onnxruntime

    from darkscan.cli import main
    from darkscan.errors import EnvironmentProblem
    from darkscan.vision.ocr import RapidOcrEngine

    if "CUDAExecutionProvider" in onnxruntime.get_available_providers():
        pytest.skip("this onnxruntime has a CUDA provider")
    with pytest.raises(EnvironmentProblem, match="onnxruntime-gpu|CUDA provider"):
        RapidOcrEngine(device="cuda").read(canvas(200, 100).array())
    png = tmp_path / "s.png"
    c = canvas(360, 200)
    c.text((20, 40), "Subscribe", size=20)
    c.img.save(png)
    monkeypatch.setenv("DARKSCAN_CACHE_DIR", "off")
    for device, code in (("cuda", 3), ("tpu", 2)):
        monkeypatch.setenv("DARKSCAN_OCR_DEVICE", device)
        assert main(["scan", str(png), "--jobs", "1"]) == code
        err = capsys.readouterr().err
        assert "Traceback" not in err and len(err.strip().splitlines()) <= 2, err
