"""Reading text out of screenshots: the OCR engine interface, the engines, and a content cache.

    OcrText(text, box, score)             one recognised line; ``box`` in pixels of the input
    OcrEngine                              protocol: ``read(image: np.ndarray) -> list[OcrText]``
    RapidOcrEngine                         default: rapidocr + PP-OCR ONNX models from its wheel
    PaddleOcrEngine                        optional: paddleocr with local model dirs, never downloads
    CachedOcrEngine                        same image bytes -> no second inference (memory + disk)
    default_engine()                       the process-wide cached RapidOcrEngine (loads lazily),
                                           disk cache in cache_dir() shared by every run
    cache_dir()                            $DARKSCAN_CACHE_DIR/ocr, else ~/.cache/darkscan/ocr
    read_regions(engine, image, boxes)     OCR only some rectangles (what the hierarchy lacks)

Images are RGB ``uint8`` arrays of shape (H, W, 3); :func:`as_rgb` converts grayscale / RGBA.
The model is loaded on first ``read`` and shared; loading costs ~0.5 s, a 720x1280 screen ~0.4 s.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from darkscan.errors import EnvironmentProblem, ImageError
from darkscan.geometry import Box


@dataclass(frozen=True)
class OcrText:
    """One line of text the OCR read. ``box`` is the axis-aligned hull of its quad, in pixels."""

    text: str
    box: Box
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "box": self.box.as_list(), "score": self.score}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> OcrText:
        return cls(str(d["text"]), Box(*[int(v) for v in d["box"]]), float(d["score"]))

    def shifted(self, dx: int, dy: int) -> OcrText:
        b = self.box
        return OcrText(self.text, Box(b.x1 + dx, b.y1 + dy, b.x2 + dx, b.y2 + dy), self.score)


@runtime_checkable
class OcrEngine(Protocol):
    """Anything that turns an RGB image into text lines with pixel boxes."""

    @property
    def name(self) -> str:
        """Identifies engine + model, so caches never mix results of different models."""
        ...

    def read(self, image: np.ndarray) -> list[OcrText]: ...


def as_rgb(image: np.ndarray) -> np.ndarray:
    """Return ``image`` as a contiguous RGB uint8 (H, W, 3) array (gray and RGBA converted)."""
    if not isinstance(image, np.ndarray):
        raise ImageError(f"expected an image array, got {type(image).__name__}")
    img = image
    if img.dtype != np.uint8:
        if np.issubdtype(img.dtype, np.floating) and img.size and float(img.max()) <= 1.0:
            img = img * 255.0
        img = np.clip(img, 0, 255).astype(np.uint8)
    if img.ndim == 2:
        img = np.repeat(img[:, :, None], 3, axis=2)
    elif img.ndim == 3 and img.shape[2] == 1:
        img = np.repeat(img, 3, axis=2)
    elif img.ndim == 3 and img.shape[2] == 4:
        rgb = img[:, :, :3].astype(np.float32)
        alpha = img[:, :, 3:4].astype(np.float32) / 255.0
        # Composite onto white: screenshots with alpha are UI captures on a light window.
        img = (rgb * alpha + 255.0 * (1.0 - alpha)).round().astype(np.uint8)
    elif not (img.ndim == 3 and img.shape[2] == 3):
        raise ImageError(f"unsupported image shape {tuple(image.shape)}")
    if img.shape[0] == 0 or img.shape[1] == 0:
        raise ImageError("image is empty (0 pixels)")
    return np.ascontiguousarray(img)


def _quad_to_box(quad: Iterable[Iterable[float]], width: int, height: int) -> Box:
    pts = np.asarray(list(quad), dtype=np.float64).reshape(-1, 2)
    x1, y1 = np.floor(pts.min(axis=0))
    x2, y2 = np.ceil(pts.max(axis=0))
    return Box(int(x1), int(y1), int(x2), int(y2)).clip(width, height)


# Longest side the text detector works at (rapidocr scales larger inputs down to it).
DET_LIMIT_SIDE = 2000


@functools.lru_cache(maxsize=1)
def rapidocr_model_id() -> str:
    """rapidocr's version and its default det/rec model names, without loading any model."""
    try:
        from importlib.metadata import PackageNotFoundError, version

        import yaml

        try:
            ver = version("rapidocr")
        except PackageNotFoundError:
            ver = "?"
        import rapidocr

        cfg = yaml.safe_load((Path(rapidocr.__file__).parent / "config.yaml").read_text("utf-8"))
        det, rec = cfg["Det"], cfg["Rec"]
        return (f"{ver}-det{det['ocr_version']}.{det['model_type']}-"
                f"rec{rec['ocr_version']}.{rec['model_type']}.{rec['lang_type']}")
    except (ImportError, OSError, KeyError, TypeError, ValueError):
        return "PP-OCR"


class RapidOcrEngine:
    """PP-OCR (detection + recognition ONNX models shipped inside the rapidocr wheel).

    Works fully offline. The ONNX sessions are created on the first :meth:`read`, once.
    """

    def __init__(self, *, text_score: float = 0.5, threads: int | None = None,
                 limit_side_len: int = DET_LIMIT_SIDE, device: str = "cpu") -> None:
        self._text_score = text_score
        self._threads = threads
        self._device = device   # "cpu" or "cuda" (onnxruntime's CUDA execution provider)
        self._limit = int(limit_side_len)
        self._engine: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """Fixed for the engine's life (read from rapidocr's config, not from a loaded model),
        so disk-cache keys are the same before and after the first inference."""
        return f"rapidocr:{rapidocr_model_id()}:score{self._text_score}:side{self._limit}"

    @property
    def loaded(self) -> bool:
        return self._engine is not None

    def _load(self) -> Any:
        if self._engine is not None:
            return self._engine
        with self._lock:
            if self._engine is None:
                try:
                    from rapidocr import RapidOCR
                except ImportError as e:  # pragma: no cover - a dependency
                    raise EnvironmentProblem(
                        "rapidocr is not installed; `pip install rapidocr onnxruntime`"
                    ) from e
                params: dict[str, Any] = {
                    "Global.log_level": "error",
                    "Global.text_score": self._text_score,
                    # Screens are read at native resolution (capped): the default "min side
                    # 736" upscales small crops, which costs seconds and gains nothing on UI text.
                    "Det.limit_type": "max",
                    "Det.limit_side_len": self._limit,
                }
                if self._threads:
                    params["EngineConfig.onnxruntime.intra_op_num_threads"] = self._threads
                if self._device == "cuda":
                    _require_cuda()
                    params["EngineConfig.onnxruntime.use_cuda"] = True
                try:
                    engine = RapidOCR(params=params)
                except (OSError, ValueError, FileNotFoundError) as e:
                    raise EnvironmentProblem(f"cannot load the PP-OCR models: {e}") from e
                logging.getLogger("RapidOCR").setLevel(logging.ERROR)
                self._engine = engine
        return self._engine

    def read(self, image: np.ndarray) -> list[OcrText]:
        rgb = as_rgb(image)
        h, w = rgb.shape[:2]
        if h < 4 or w < 4:
            return []
        engine = self._load()
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])
        out = engine(bgr)
        boxes = getattr(out, "boxes", None)
        txts = getattr(out, "txts", None)
        scores = getattr(out, "scores", None)
        if boxes is None or txts is None or scores is None:
            return []
        result = []
        for quad, text, score in zip(boxes, txts, scores):
            text = str(text).strip()
            if text:
                result.append(OcrText(text, _quad_to_box(quad, w, h), float(score)))
        return result


class PaddleOcrEngine:
    """PaddleOCR with model directories already on disk (``det_model_dir``/``rec_model_dir``).

    For users who have paddleocr installed; darkscan never downloads models, so both dirs
    must exist.
    """

    def __init__(self, det_model_dir: str | Path, rec_model_dir: str | Path,
                 *, lang: str = "ch", text_score: float = 0.5) -> None:
        self._det = Path(det_model_dir)
        self._rec = Path(rec_model_dir)
        self._lang = lang
        self._text_score = text_score
        for p in (self._det, self._rec):
            if not p.is_dir():
                raise EnvironmentProblem(f"PaddleOCR model directory not found: {p}",
                                         hint="darkscan never downloads models; "
                                              "point it at local PP-OCR model dirs")
        try:
            import paddleocr  # noqa: F401
        except ImportError as e:
            raise EnvironmentProblem("paddleocr is not installed",
                                     hint="pip install 'darkscan[paddle]' or use the default "
                                          "rapidocr engine") from e
        self._engine: Any = None

    @property
    def name(self) -> str:
        return f"paddleocr:{self._det.name}:{self._rec.name}"

    def _load(self) -> Any:
        if self._engine is None:
            from paddleocr import PaddleOCR

            self._engine = PaddleOCR(det_model_dir=str(self._det), rec_model_dir=str(self._rec),
                                     lang=self._lang, use_angle_cls=False, show_log=False)
        return self._engine

    def read(self, image: np.ndarray) -> list[OcrText]:
        rgb = as_rgb(image)
        h, w = rgb.shape[:2]
        raw = self._load().ocr(np.ascontiguousarray(rgb[:, :, ::-1]), cls=False)
        result = []
        for page in raw or []:
            for quad, (text, score) in page or []:
                if score >= self._text_score and str(text).strip():
                    result.append(OcrText(str(text).strip(), _quad_to_box(quad, w, h),
                                          float(score)))
        return result


def image_key(image: np.ndarray) -> str:
    """A content hash of the pixels (shape included)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((image.shape, str(image.dtype))).encode())
    h.update(np.ascontiguousarray(image).data)
    return h.hexdigest()


@dataclass
class OcrStats:
    calls: int = 0
    hits: int = 0
    inferences: int = 0
    inference_seconds: float = 0.0
    pixels_inferred: int = 0


class CachedOcrEngine:
    """Wraps an engine: the same pixels are inferred once (in memory, optionally on disk).

    The disk cache is one JSON file per image in ``cache_dir``, named by engine and content
    hash (content-addressed: the same pixels read by the same model in any run, any process,
    hit it), in 256 subfolders by hash prefix. It survives processes, is safe to delete and to
    share between concurrent workers (entries are written to a private temporary file and
    renamed into place); a cache that cannot be written is skipped, never an error.
    """

    def __init__(self, engine: OcrEngine, *, cache_dir: str | Path | None = None,
                 max_entries: int = 4096) -> None:
        self.engine = engine
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.max_entries = max_entries
        self._memory: OrderedDict[str, tuple[OcrText, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self.stats = OcrStats()

    @property
    def name(self) -> str:
        return self.engine.name

    def _disk_path(self, key: str) -> Path | None:
        if self.cache_dir is None:
            return None
        safe = "".join(c if c.isalnum() or c in "-." else "_" for c in self.engine.name)
        return self.cache_dir / key[:2] / f"{safe}-{key}.json"

    def read(self, image: np.ndarray) -> list[OcrText]:
        rgb = as_rgb(image)
        key = image_key(rgb)
        with self._lock:
            self.stats.calls += 1
            hit = self._memory.get(key)
            if hit is not None:
                self._memory.move_to_end(key)
                self.stats.hits += 1
                return list(hit)
        path = self._disk_path(key)
        if path is not None and path.is_file():
            try:
                items = tuple(OcrText.from_dict(d) for d in json.loads(path.read_text("utf-8")))
            except (ValueError, KeyError, TypeError):
                items = None  # a corrupt cache entry is re-computed and overwritten
            if items is not None:
                self._remember(key, items)
                with self._lock:
                    self.stats.hits += 1
                return list(items)
        t0 = time.perf_counter()
        items = tuple(self.engine.read(rgb))
        with self._lock:
            self.stats.inferences += 1
            self.stats.inference_seconds += time.perf_counter() - t0
            self.stats.pixels_inferred += rgb.shape[0] * rgb.shape[1]
        self._remember(key, items)
        if path is not None:
            self._store(path, items)
        return list(items)

    @staticmethod
    def _store(path: Path, items: tuple[OcrText, ...]) -> None:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps([t.to_dict() for t in items], ensure_ascii=False), "utf-8")
            tmp.replace(path)
        except OSError:  # read-only or full disk: the cache is an optimisation only
            tmp.unlink(missing_ok=True)

    def _remember(self, key: str, items: tuple[OcrText, ...]) -> None:
        with self._lock:
            self._memory[key] = items
            self._memory.move_to_end(key)
            while len(self._memory) > self.max_entries:
                self._memory.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._memory.clear()


_DEFAULTS: dict[str, CachedOcrEngine] = {}
_DEFAULT_LOCK = threading.Lock()
DEVICES = ("cpu", "cuda")


def cache_dir() -> Path | None:
    """Where OCR results are kept on disk: ``$DARKSCAN_CACHE_DIR/ocr`` if set (``off`` or
    empty: no disk cache), else ``$XDG_CACHE_HOME/darkscan/ocr`` or ``~/.cache/darkscan/ocr``."""
    env = os.environ.get("DARKSCAN_CACHE_DIR")
    if env is not None:
        return None if env.strip() in ("", "off") else Path(env) / "ocr"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "darkscan" / "ocr"


def ocr_threads() -> int | None:
    """onnxruntime's intra-op thread budget for this process (``DARKSCAN_OCR_THREADS``; unset:
    onnxruntime's default, all cores). Parallel analysis gives each worker its share."""
    env = os.environ.get("DARKSCAN_OCR_THREADS", "").strip()
    return int(env) if env.isdigit() and int(env) > 0 else None


def ocr_device() -> str:
    """Where OCR inference runs: ``DARKSCAN_OCR_DEVICE`` (``cpu``, the default, or ``cuda``)."""
    env = os.environ.get("DARKSCAN_OCR_DEVICE", "").strip().lower() or "cpu"
    if env not in DEVICES:
        from darkscan.errors import UsageError

        raise UsageError(f"DARKSCAN_OCR_DEVICE={env}: expected one of {', '.join(DEVICES)}")
    return env


def _require_cuda() -> None:
    import onnxruntime

    if "CUDAExecutionProvider" not in onnxruntime.get_available_providers():
        raise EnvironmentProblem(
            "OCR on the GPU needs onnxruntime's CUDA provider, which this onnxruntime lacks "
            f"(it has: {', '.join(onnxruntime.get_available_providers())})",
            hint="pip install onnxruntime-gpu (with CUDA), or leave DARKSCAN_OCR_DEVICE unset")


def default_engine() -> CachedOcrEngine:
    """The process-wide PP-OCR engine for :func:`ocr_device`, cached in memory and on disk
    (:func:`cache_dir`); the model loads on the first read. The cache is shared by devices:
    the same models read the same text."""
    device = ocr_device()
    engine = _DEFAULTS.get(device)
    if engine is None:
        with _DEFAULT_LOCK:
            engine = _DEFAULTS.get(device)
            if engine is None:
                engine = _DEFAULTS[device] = CachedOcrEngine(
                    RapidOcrEngine(threads=ocr_threads(), device=device), cache_dir=cache_dir())
    return engine


# Padding around a region before OCR: the detector needs some background around glyphs.
_REGION_PAD = 8


def read_regions(engine: OcrEngine, image: np.ndarray, boxes: Sequence[Box]) -> list[OcrText]:
    """OCR only ``boxes`` of ``image`` (each padded a little); results in full-image pixels.

    Overlapping boxes are merged first so no pixel is read twice.
    """
    rgb = as_rgb(image)
    h, w = rgb.shape[:2]
    merged = [Box(b.x1 - _REGION_PAD, b.y1 - _REGION_PAD, b.x2 + _REGION_PAD,
                  b.y2 + _REGION_PAD).clip(w, h) for b in boxes]
    merged = [b for b in merged if not b.empty]
    changed = True
    while changed:  # union overlapping regions until none overlap
        changed = False
        for i in range(len(merged)):
            for j in range(i + 1, len(merged)):
                if merged[i].overlaps(merged[j]):
                    merged[i] = merged[i].union(merged.pop(j))
                    changed = True
                    break
            if changed:
                break
    out: list[OcrText] = []
    for r in merged:
        crop = rgb[r.y1:r.y2, r.x1:r.x2]
        out.extend(t.shifted(r.x1, r.y1) for t in engine.read(crop))
    return out
