"""``darkscan import TOOL DIR --out RUN``: other tools' crawls as darkscan run folders.

One module per source format parses that tool's files into a source-neutral
:class:`~darkscan.importers.base.ImportedCrawl`; :func:`~darkscan.importers.base.write_run`
turns any of them into a run folder with the crawler's own screen kinds, goal predicates and
step counting. Adding a format = one module with a ``read_<tool>(folder) -> ImportedCrawl``
and one line in :data:`READERS`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from darkscan.errors import UsageError
from darkscan.importers.base import ImportedCrawl, ImportResult, write_run
from darkscan.importers.droidbot import read_droidbot

READERS: dict[str, Callable[[Path], ImportedCrawl]] = {"droidbot": read_droidbot}


def import_crawl(tool: str, source: Path | str, out: Path | str) -> ImportResult:
    """Import ``source`` (written by ``tool``) as the run folder ``out``."""
    reader = READERS.get(tool.lower())
    if reader is None:
        raise UsageError(f"unknown crawl format {tool!r}; known: {', '.join(sorted(READERS))}")
    return write_run(reader(Path(source)), Path(out))


__all__ = ["READERS", "ImportResult", "ImportedCrawl", "import_crawl", "write_run"]
