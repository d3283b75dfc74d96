"""Labelled screen sets: the data model and the project's own ``screenshots/`` format.

A labelled set is a folder. Two layouts are read (see docs/eval.md):

* **darkscan screens** — ``labels.json`` with ``"format": "darkscan-screens"``: every screen
  names its PNG, optionally its uiautomator XML and density, and lists labelled boxes per
  darkscan category; ``categories`` lists the categories labelled exhaustively (a screen with
  no box of such a category is a negative for it).
* **COCO** — ``labels.json`` with ``images`` / ``annotations`` / ``categories`` (e.g. the
  ContextDP set); :mod:`darkscan.evaluation.coco` maps its names to darkscan categories.

Boxes are ``Box`` (x1, y1, x2, y2) in pixels of the labelled image size (``width``/``height``);
a screenshot stored at another size is resized to that size before detection.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Mapping

from darkscan.detect.finding import SCREEN_CATEGORIES, Category
from darkscan.errors import InputError
from darkscan.geometry import Box

SCREENS_FORMAT = "darkscan-screens"
SCREENS_VERSION = 1
LABELS_FILE = "labels.json"


class DatasetFormat(str, Enum):
    SCREENS = "darkscan-screens"
    COCO = "coco"


@dataclass(frozen=True)
class LabelledBox:
    """One labelled region: ``category`` is an evaluation category name."""

    category: str
    box: Box
    note: str = ""


@dataclass(frozen=True)
class LabelledScreen:
    """One screenshot with its labels. ``width``/``height`` are the label coordinate space."""

    name: str
    image: Path
    width: int
    height: int
    boxes: tuple[LabelledBox, ...] = ()
    hierarchy: Path | None = None
    density: float | None = None
    lang: str | None = None

    def boxes_of(self, category: str) -> list[Box]:
        return [b.box for b in self.boxes if b.category == category]


@dataclass(frozen=True)
class Dataset:
    """A labelled set ready to score.

    ``mapping`` says, for each evaluation category, which darkscan categories' findings count
    as predictions of it. Findings of categories mapped nowhere are ignored.
    """

    root: Path
    format: DatasetFormat
    categories: tuple[str, ...]
    mapping: Mapping[str, frozenset[Category]]
    screens: tuple[LabelledScreen, ...]
    ignored_categories: tuple[str, ...] = field(default=())

    def label_counts(self) -> dict[str, int]:
        counts = {c: 0 for c in self.categories}
        for s in self.screens:
            for b in s.boxes:
                if b.category in counts:
                    counts[b.category] += 1
        return counts


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text ({e.reason})") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}: invalid JSON: {e.msg}") from None
    except RecursionError:
        raise InputError(f"{path}: invalid JSON: nested too deeply") from None


def _box(value: Any, where: str) -> Box:
    if (not isinstance(value, (list, tuple)) or len(value) != 4
            or not all(isinstance(v, (int, float)) for v in value)):
        raise InputError(f"{where}: bbox must be 4 numbers [x1, y1, x2, y2], got {value!r}")
    b = Box(*[int(round(v)) for v in value])
    if b.empty:
        raise InputError(f"{where}: bbox {list(value)} is empty (x2 <= x1 or y2 <= y1)")
    return b


def _positive_int(d: Mapping[str, Any], key: str, where: str) -> int:
    v = d.get(key)
    if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
        raise InputError(f"{where}: '{key}' must be a positive integer, got {v!r}")
    return v


def load_screens(root: Path, data: Mapping[str, Any]) -> Dataset:
    """Read a ``darkscan-screens`` labels.json (already parsed) under ``root``."""
    src = root / LABELS_FILE
    version = data.get("version", SCREENS_VERSION)
    if version != SCREENS_VERSION:
        raise InputError(f"{src}: unsupported darkscan-screens version {version!r} "
                         f"(this darkscan reads {SCREENS_VERSION})")
    known = {c.value for c in SCREEN_CATEGORIES}
    cats = data.get("categories")
    if not isinstance(cats, list) or not cats:
        raise InputError(f"{src}: 'categories' must list the darkscan categories labelled")
    for c in cats:
        if c not in known:
            raise InputError(f"{src}: unknown category {c!r} (known: {', '.join(sorted(known))})")
    raw_screens = data.get("screens")
    if not isinstance(raw_screens, list):
        raise InputError(f"{src}: 'screens' must be a list")
    screens: list[LabelledScreen] = []
    seen: set[str] = set()
    for i, s in enumerate(raw_screens):
        where = f"{src}: screens[{i}]"
        if not isinstance(s, dict) or not isinstance(s.get("image"), str):
            raise InputError(f"{where}: each screen needs an 'image' path")
        image = root / s["image"]
        if s["image"] in seen:
            raise InputError(f"{where}: image {s['image']!r} listed twice")
        seen.add(s["image"])
        if not image.is_file():
            raise InputError(f"{where}: image {s['image']!r} not found under {root}")
        hierarchy = None
        if s.get("hierarchy") is not None:
            hierarchy = root / str(s["hierarchy"])
            if not hierarchy.is_file():
                raise InputError(f"{where}: hierarchy {s['hierarchy']!r} not found under {root}")
        density = s.get("density")
        if density is not None and (not isinstance(density, (int, float)) or density <= 0):
            raise InputError(f"{where}: 'density' must be a positive number, got {density!r}")
        boxes = []
        for j, lab in enumerate(s.get("labels", [])):
            lw = f"{where}.labels[{j}]"
            if not isinstance(lab, dict) or lab.get("category") not in cats:
                raise InputError(f"{lw}: 'category' must be one of the file's categories "
                                 f"{cats}, got {lab.get('category') if isinstance(lab, dict) else lab!r}")
            boxes.append(LabelledBox(lab["category"], _box(lab.get("bbox"), lw),
                                     str(lab.get("note", ""))))
        screens.append(LabelledScreen(
            name=str(s.get("name", s["image"])), image=image,
            width=_positive_int(s, "width", where), height=_positive_int(s, "height", where),
            boxes=tuple(boxes), hierarchy=hierarchy,
            density=float(density) if density is not None else None,
            lang=s.get("lang")))
    if not screens:
        raise InputError(f"{src}: no screens listed")
    mapping = {c: frozenset({Category(c)}) for c in cats}
    return Dataset(root=root, format=DatasetFormat.SCREENS, categories=tuple(cats),
                   mapping=mapping, screens=tuple(screens))


def screens_document(categories: list[str], screens: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON document :func:`load_screens` reads (used by the corpus generator)."""
    return {"format": SCREENS_FORMAT, "version": SCREENS_VERSION,
            "categories": categories, "screens": screens}


def load_dataset(path: str | Path) -> Dataset:
    """Open a labelled folder (or its labels.json) in either supported layout."""
    p = Path(path)
    if p.is_file() and p.name.endswith(".json"):
        root, src = p.parent, p
    elif p.is_dir():
        root, src = p, p / LABELS_FILE
        if not src.is_file():
            raise InputError(f"{p}: no {LABELS_FILE} in this folder",
                             hint="darkscan eval reads a folder with labels.json "
                                  "(darkscan-screens or COCO); see docs/eval.md")
    elif not p.exists():
        raise InputError(f"{p}: no such file or folder")
    else:
        raise InputError(f"{p}: expected a folder holding {LABELS_FILE}")
    data = read_json(src)
    if isinstance(data, dict) and data.get("format") == SCREENS_FORMAT:
        return load_screens(root, data)
    if isinstance(data, dict) and {"images", "annotations", "categories"} <= data.keys():
        from darkscan.evaluation.coco import load_coco

        return load_coco(root, data, src)
    raise InputError(f"{src}: neither a darkscan-screens file (\"format\": \"{SCREENS_FORMAT}\") "
                     f"nor COCO (images/annotations/categories)")
