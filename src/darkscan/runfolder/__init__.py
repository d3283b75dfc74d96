"""The run folder (docs/run-folder.md) as one typed model, below everything that uses it.

Two producers write it (the crawler, ``darkscan import``) and every later stage reads it
(analyze, report, gate, the graph detectors, batch), all through this package:

    files    atomic JSON write, JSON read, the append-only step log (one error line per problem)
    model    frozen values: RunInfo (run.json), ScreenMeta (screens/<id>.json), StepRecord
             (steps.jsonl), Metrics (metrics.json), GraphData (graph.json)
    reader   RunFolder(root): lazy, cached, typed access to each file
    writer   RunWriter(out): create / resume and write the folder
"""

from __future__ import annotations

from darkscan.runfolder.files import now_iso, read_json, read_step_lines, write_json
from darkscan.runfolder.model import (AppRef, GraphData, Metrics, RunInfo, ScreenMeta,
                                      SourceRef, StepRecord)
from darkscan.runfolder.reader import IMAGE_SUFFIXES, RunFolder, open_run

__all__ = ["AppRef", "GraphData", "IMAGE_SUFFIXES", "Metrics", "RunFolder", "RunInfo",
           "ScreenMeta", "SourceRef", "StepRecord", "now_iso", "open_run", "read_json",
           "read_step_lines", "write_json"]
