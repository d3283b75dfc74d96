"""Write ``RUN/report/``: index.html, content-hashed CSS/JS copied from package data, and
downscaled screenshots in ``img/``. The folder opens from disk (file://) with no network."""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime
from importlib import resources
from pathlib import Path

import jinja2

from darkscan.errors import InputError
from darkscan.report.build import build_page
from darkscan.report.data import ReportPage
from darkscan.report.gate import GateResult
from darkscan.report.goals import goal_steps, main_screen
from darkscan.report.i18n import Translator
from darkscan.report.images import Scaled, scale_all
from darkscan.report.load import RunData, load_run
from darkscan.runfolder.files import write_atomic, write_error

STATIC_FILES = ("report.css", "report.js")


def _package_dir(name: str) -> Path:
    return Path(str(resources.files("darkscan.report").joinpath(name)))


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_package_dir("templates"))),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False,
        lstrip_blocks=False)


def copy_static(out: Path) -> dict[str, str]:
    """Copy our CSS/JS next to the report as ``report.<hash>.css``; returns name -> copied name."""
    names: dict[str, str] = {}
    for old in out.glob("report.*.*"):
        if old.suffix in (".css", ".js"):
            old.unlink()
    for name in STATIC_FILES:
        data = (_package_dir("static") / name).read_bytes()
        stem, ext = name.rsplit(".", 1)
        hashed = f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{ext}"
        write_atomic(out / hashed, data)
        names[name] = hashed
    return names


def render(page: ReportPage, lang: str) -> str:
    template = _environment().get_template("index.html")
    return template.render(page=page, t=Translator(lang))


def _scale_screens(run: RunData, img_dir: Path) -> dict[str, Scaled]:
    if img_dir.exists():
        shutil.rmtree(img_dir)
    sources = {f"s{i + 1:04d}": s.image for i, s in enumerate(run.screens.values())
               if s.image is not None}
    scaled = scale_all(sources, img_dir)
    by_stem = {f"s{i + 1:04d}": sid for i, sid in enumerate(run.screens)}
    return {by_stem[stem]: v for stem, v in scaled.items()}


def write_report(run: RunData | Path | str, *, lang: str = "en", gate: GateResult | None = None,
                 out: Path | str | None = None, now: datetime | None = None) -> Path:
    """Write the HTML report for ``run`` and return the path of its index.html."""
    data = run if isinstance(run, RunData) else load_run(run)
    out_dir = Path(out) if out is not None else data.root / "report"
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: is a file; the report needs a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{out_dir}: cannot write the report here: {e.strerror}") from None
    try:
        scaled = _scale_screens(data, out_dir / "img")
        assets = copy_static(out_dir)
    except OSError as e:  # a full disk while writing images: one line, exit 3
        raise write_error(out_dir, e) from None
    page = build_page(data, lang=lang, scaled=scaled, css=assets["report.css"],
                      js=assets["report.js"], gate=gate, now=now,
                      goals_counted=goal_steps(data, main_screen(data)))
    index = out_dir / "index.html"
    write_atomic(index, render(page, lang).encode("utf-8", "replace"))
    return index
