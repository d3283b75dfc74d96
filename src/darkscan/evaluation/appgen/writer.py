"""Write an app model as a virtual app file (docs/app-format.md), with the oracle's answers in
its ``design:`` block (the device and the crawler never read it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from darkscan.evaluation.appgen.model import AppModel, S, W
from darkscan.evaluation.appgen.oracle import truths

PALETTE = ("#E53935", "#8E24AA", "#3949AB", "#039BE5", "#00897B", "#7CB342", "#FB8C00",
           "#6D4C41", "#546E7A", "#D81B60")


def _tap(w: W) -> Any:
    if w.act in ("back", "close", "crash", "none", "toggle", "next"):
        return w.act
    if w.act in ("go", "open_app", "pay", "delete_account"):
        return {w.act: w.arg}
    return None


def _widget(w: W) -> dict[str, Any]:
    d: dict[str, Any] = {"type": w.type}
    if w.type == "row_group":
        d["items"] = [_widget(i) for i in w.items]
        return d
    if w.text:
        d["text"] = w.text
    for k, v in w.opts.items():
        if k == "icons":
            continue
        d[k] = v
    if w.type == "button":
        d.setdefault("width", "full")
    if w.type == "image" and w.act is not None:
        d.setdefault("radius", 20)
    tap = _tap(w)
    if tap is not None:
        d["tap"] = tap
    return d


def _screen(s: S) -> dict[str, Any]:
    d: dict[str, Any] = {}
    if not s.dialog and s.activity != ".MainActivity":
        d["activity"] = s.activity
    if s.title:
        d["title"] = s.title
    if s.back_arrow and not s.dialog and not s.tabs:
        d["back_arrow"] = True
    if s.dialog:
        d["dialog"] = True
        if s.outside_closes:
            d["outside_closes"] = True
    if s.crash:
        d["crash"] = s.crash
    if s.secure:
        d["secure"] = True
    if s.slow:
        d["slow"] = s.slow
    if s.popup:
        d["popup"] = {"screen": s.popup[0], "times": s.popup[1]}
    if s.tabs:
        d["tabs"] = {"items": [{"text": t, "icon": i, "go": g} for t, i, g in s.tabs],
                     "selected": s.tab_index}
    d["widgets"] = [_widget(w) for w in s.widgets]
    return d


def app_document(app: AppModel) -> dict[str, Any]:
    t = truths(app)
    w, h, dens = app.size
    color = PALETTE[app.seed % len(PALETTE)]
    return {
        "app": {"package": app.package, "label": app.label,
                "icon": {"color": color, "glyph": app.label[0]}, "lang": app.lang,
                "screen": {"width": w, "height": h, "density": dens},
                "theme": {"primary": color, "on_primary": "#FFFFFF"}, "start": app.start,
                **({"launch": [{"screen": sid, "show": show} for sid, show in app.launch]}
                   if app.launch else {})},
        "design": {
            "generator": {"module": "darkscan.evaluation.appgen", "seed": app.seed,
                          "features": sorted(app.features)},
            "description": "generated app; goal depths from the oracle (model only)",
            "main_screen": app.main,
            "goals": {g: tr.from_launch for g, tr in t.items()},
            "goals_from_main": {g: tr.from_main for g, tr in t.items()},
            "goal_paths": {g: list(tr.path) for g, tr in t.items() if tr.present and tr.path},
        },
        "screens": {sid: _screen(s) for sid, s in app.screens.items()},
    }


def dump(app: AppModel) -> str:
    return yaml.safe_dump(app_document(app), allow_unicode=True, sort_keys=False, width=100)


def write(app: AppModel, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(app), encoding="utf-8")
    return path
