"""`darkscan eval DIR`: precision / recall / F1 of the per-screen detectors on labelled screens."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from darkscan.cli.app import app, console, console_err
from darkscan.errors import UsageError
from darkscan.evaluation.labels import DatasetFormat, load_dataset
from darkscan.evaluation.predict import ocr_engine, registry_predictor
from darkscan.evaluation.runner import EvalReport, Split, evaluate


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def render_table(report: EvalReport) -> Table:
    ds = report.dataset
    title = (f"{ds.root} — {ds.format.value}, {len(report.results)} screens"
             + ("" if report.split is Split.ALL else f" (half {report.split.value})"))
    table = Table(title=Text(title), title_justify="left")
    table.add_column("category")
    if ds.format is DatasetFormat.COCO:
        table.add_column("from findings of")
    for col in ("labels", "predictions", "correct", "found", "precision", "recall", "F1"):
        table.add_column(col, justify="right")
    for cat, c in report.counts.items():
        row = [cat]
        if ds.format is DatasetFormat.COCO:
            row.append(" | ".join(sorted(x.value for x in ds.mapping[cat])))
        row += [str(c.labels), str(c.predictions), str(c.correct), str(c.found),
                _fmt(c.precision), _fmt(c.recall), _fmt(c.f1)]
        table.add_row(*(Text(c) for c in row))
    return table


@app.command("eval")
def eval_command(
    directory: Path = typer.Argument(..., metavar="DIR", help="Folder with labels.json: the "
                                     "project's screenshots/ format or COCO (e.g. ContextDP)."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON (per-category "
                                 "counts and per-screen matches) instead of a table."),
    split: Split = typer.Option(Split.ALL, "--split", case_sensitive=False,
                                help="Score all screens or one fixed half (a/b, by a hash of the "
                                     "file name): tune on one half, report the other."),
    min_iou: float = typer.Option(0.0, "--min-iou", help="0 = a prediction matches a label when "
                                  "the boxes overlap at all; > 0 = IoU at least this."),
    only: Optional[List[str]] = typer.Option(None, "--only", help="Run only these detectors "
                                             "(module names or categories); repeatable."),
    pixels_only: bool = typer.Option(False, "--pixels-only", help="Ignore hierarchy XML: "
                                     "detect from the screenshot alone (OCR + OpenCV)."),
    ocr_cache: Optional[Path] = typer.Option(None, "--ocr-cache", help="Folder to keep OCR "
                                             "results in between runs (safe to delete)."),
    widgets: bool = typer.Option(False, "--widgets", help="DIR is a DroidBot crawl (or a folder "
                                 "of crawls): score pixel-only checkboxes, radios, switches and "
                                 "buttons against its view trees, per widget kind and per app."),
    no_ocr: bool = typer.Option(False, "--no-ocr", help="With --widgets: shapes only, no text "
                                "(checkboxes, radios, switches; no buttons)."),
) -> int:
    """Score the per-screen detectors against labelled screenshots: P / R / F1 per category."""
    if not 0.0 <= min_iou <= 1.0:
        raise UsageError(f"--min-iou must be between 0 and 1, got {min_iou}")
    if no_ocr and not widgets:
        raise UsageError("--no-ocr only goes with --widgets")
    if widgets:
        return _eval_widgets(directory, as_json=as_json, ocr_cache=ocr_cache, no_ocr=no_ocr)
    dataset = load_dataset(directory)
    predictor = registry_predictor(ocr_engine(ocr_cache), only=only, pixels_only=pixels_only)
    n = sum(1 for s in dataset.screens if split.includes(s.name))
    with Progress(TextColumn("evaluating"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("{task.description}"), console=console_err,
                  transient=True) as progress:
        task = progress.add_task("", total=n)
        report = evaluate(dataset, predictor, min_iou=min_iou, split=split,
                          progress=lambda s: progress.update(
                              task, advance=1, description=Path(s.name).name[:40]))
    if as_json:
        console.print_json(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        console.print(render_table(report))
        flagged, n = len(report.flagged()), len(report.results)
        console.print(f"screens with high or medium findings: {flagged} of {n} "
                      f"({100 * flagged / max(1, n):.1f} %)", highlight=False)
        if dataset.ignored_categories:
            console.print(Text(f"not scored (no darkscan category): "
                               f"{', '.join(dataset.ignored_categories)}"), highlight=False)
    return 0


def _eval_widgets(directory: Path, *, as_json: bool, ocr_cache: Path | None,
                  no_ocr: bool) -> int:
    from darkscan.evaluation.widgets import (
        TUNED_APPS,
        evaluate_widgets,
        load_droidbot,
        ocr_for_widgets,
        pixel_detector,
    )

    screens = load_droidbot(directory)
    detect = pixel_detector(None if no_ocr else ocr_for_widgets(ocr_cache))
    with Progress(TextColumn("widgets"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("{task.description}"), console=console_err,
                  transient=True) as progress:
        task = progress.add_task("", total=len(screens))
        report = evaluate_widgets(screens, detect, progress=lambda s: progress.update(
            task, advance=1, description=s.name[-40:]))
    apps = sorted({s.app for s in screens})
    tuned = [a for a in apps if a in TUNED_APPS]
    held = [a for a in apps if a not in TUNED_APPS]
    groups = {"all": None, "tuned on": tuned, "held out": held}
    if as_json:
        console.print_json(json.dumps({"dataset": str(directory), "ocr": not no_ocr,
                                       "tuned_apps": tuned, "held_out_apps": held,
                                       **{k: report.to_dict(v) for k, v in groups.items()}}))
        return 0
    for name, group in groups.items():
        if group is not None and not group:
            continue
        n = sum(1 for r in report.results if group is None or r.screen.app in group)
        table = Table(title=f"{directory} — pixel-only widgets vs view trees, {name} "
                            f"({n} screens{'' if group is None else ': ' + ', '.join(group)})",
                      title_justify="left")
        for col in ("kind", "truth", "predictions", "matched", "precision", "recall",
                    "state acc."):
            table.add_column(col, justify="left" if col == "kind" else "right")
        counts = report.counts(group)
        rows = [(k.value, c) for k, c in counts.items()] + [("toggles (all three)",
                                                             report.toggles(group))]
        for label, c in rows:
            table.add_row(label, str(c.truth), str(c.predictions), str(c.correct),
                          _fmt(c.precision), _fmt(c.recall), _fmt(c.state_accuracy))
        console.print(table)
    return 0
