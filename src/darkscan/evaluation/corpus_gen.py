"""Render the labelled screen corpus (``screenshots/``) from virtual app files.

Each app file in ``APPS_DIR`` (default ``screenshots/apps``) lists, under ``design.corpus``,
the screens to capture and what each one plants - the oracle the labels come from::

    design:
      corpus:
        - name: feed_rate_popup        # output: <app file stem>/<name>.png + .xml
          start: feed_rate             # launch on this screen (its popup, if any, opens)
          plants:                      # [] = a negative screen
            - {category: nagging, dialog: true}              # the open dialog's card
            - {category: disguised_ad, widgets: [ad_card, ad_badge]}  # union of these ids
            - {category: nagging, screen: true}              # the app window below the bars

The device never reads ``design``; only this generator (and tests) do. Boxes come from the
rendered uiautomator XML (``resource-id`` bounds), so they match the pixels exactly.

    python -m darkscan.evaluation.corpus_gen [APPS_DIR] [OUT_DIR]
"""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from PIL import Image

from darkscan.detect.finding import SCREEN_CATEGORIES
from darkscan.device.hierarchy import Hierarchy, parse_hierarchy
from darkscan.device.virtual.appfile import load_app
from darkscan.device.virtual.device import VirtualDevice
from darkscan.device.virtual.model import App
from darkscan.errors import AppFileError
from darkscan.evaluation.labels import LABELS_FILE, screens_document
from darkscan.geometry import Box

# The corpus labels all seven per-screen categories exhaustively (no box = a negative).
CORPUS_CATEGORIES = tuple(c.value for c in SCREEN_CATEGORIES)


@dataclass(frozen=True)
class Plant:
    category: str
    widgets: tuple[str, ...] = ()
    dialog: bool = False
    screen: bool = False
    note: str = ""


@dataclass(frozen=True)
class CorpusScreen:
    name: str
    start: str
    plants: tuple[Plant, ...]


def corpus_entries(app: App) -> list[CorpusScreen]:
    """The ``design.corpus`` list of an app, validated against its screens."""
    design = app.design if isinstance(app.design, dict) else {}
    raw = design.get("corpus")
    if not isinstance(raw, list) or not raw:
        raise AppFileError(app.path, "design.corpus: list the screens to capture")
    known = {c.value for c in SCREEN_CATEGORIES}
    out = []
    for i, e in enumerate(raw):
        where = f"design.corpus[{i}]"
        if not isinstance(e, dict) or not isinstance(e.get("name"), str):
            raise AppFileError(app.path, f"{where}: needs a name")
        start = e.get("start")
        if start not in app.screens:
            raise AppFileError(app.path, f"{where}: unknown start screen {start!r}")
        plants = []
        for j, p in enumerate(e.get("plants") or []):
            if not isinstance(p, dict) or p.get("category") not in known:
                raise AppFileError(app.path, f"{where}.plants[{j}]: category must be one of "
                                             f"{sorted(known)}")
            ws = p.get("widgets") or []
            if isinstance(ws, str):
                ws = [ws]
            plant = Plant(p["category"], tuple(str(w) for w in ws), bool(p.get("dialog")),
                          bool(p.get("screen")), str(p.get("note", "")))
            if not (plant.widgets or plant.dialog or plant.screen):
                raise AppFileError(app.path, f"{where}.plants[{j}]: give widgets, dialog or "
                                             f"screen")
            plants.append(plant)
        out.append(CorpusScreen(e["name"], start, tuple(plants)))
    return out


def _plant_box(app: App, h: Hierarchy, plant: Plant, width: int, height: int,
               where: str) -> Box:
    pkg = app.package
    boxes: list[Box] = []
    if plant.dialog:
        boxes += [n.bounds for n in h.nodes if n.resource_id == f"{pkg}:id/parentPanel"]
        if not boxes:
            raise AppFileError(app.path, f"{where}: no dialog is open on this screen")
    if plant.screen:
        roots = [r.bounds for r in h.roots if r.package == pkg]
        if not roots:
            raise AppFileError(app.path, f"{where}: the app has no window on screen")
        boxes.append(max(roots, key=lambda b: b.area))
    for wid in plant.widgets:
        found = [n.bounds for n in h.nodes if n.resource_id == f"{pkg}:id/{wid}"]
        if not found:
            raise AppFileError(app.path, f"{where}: widget id {wid!r} is not on the screen")
        boxes += found
    out = boxes[0]
    for b in boxes[1:]:
        out = out.union(b)
    return out.clip(width, height)


def render_app(path: Path, out_dir: Path) -> list[dict[str, Any]]:
    """Capture every ``design.corpus`` screen of one app; returns the labels.json entries."""
    app = load_app(path)
    sub = out_dir / path.stem
    sub.mkdir(parents=True, exist_ok=True)
    entries = []
    for cs in corpus_entries(app):
        device = VirtualDevice([dataclasses.replace(app, start=cs.start)])
        device.app_start(app.package)
        rgb = device.screenshot()
        xml = device.dump_hierarchy()
        h = parse_hierarchy(xml)
        height, width = rgb.shape[:2]
        labels = []
        for k, p in enumerate(cs.plants):
            box = _plant_box(app, h, p, width, height, f"design.corpus {cs.name!r} plants[{k}]")
            labels.append({"category": p.category, "bbox": box.as_list(), "note": p.note})
        png = sub / f"{cs.name}.png"
        Image.fromarray(rgb).save(png, optimize=True)
        (sub / f"{cs.name}.xml").write_text(xml, "utf-8")
        entries.append({
            "name": f"{path.stem}/{cs.name}", "image": f"{path.stem}/{cs.name}.png",
            "hierarchy": f"{path.stem}/{cs.name}.xml", "width": width, "height": height,
            "density": device.density(), "lang": app.lang, "app": path.name,
            "labels": labels})
    return entries


def generate(apps_dir: Path, out_dir: Path, apps: Sequence[Path] | None = None) -> Path:
    """Render all app files in ``apps_dir`` into ``out_dir`` and write its labels.json."""
    files = sorted(apps) if apps else sorted(apps_dir.glob("*.yaml"))
    if not files:
        raise AppFileError(str(apps_dir), "no *.yaml app files to render")
    screens: list[dict[str, Any]] = []
    for f in files:
        screens += render_app(f, out_dir)
    doc = screens_document(list(CORPUS_CATEGORIES), screens)
    doc["generator"] = "python -m darkscan.evaluation.corpus_gen"
    target = out_dir / LABELS_FILE
    target.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    repo = Path(__file__).resolve().parents[3]
    apps_dir = Path(args[0]) if args else repo / "screenshots" / "apps"
    out_dir = Path(args[1]) if len(args) > 1 else apps_dir.parent
    generate(apps_dir, out_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
