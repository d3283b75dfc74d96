"""A small progress hook: the crawler reports after every step, the CLI draws it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Progress:
    step: int
    max_steps: int
    screens: int             # abstract app states so far
    goals_found: tuple[str, ...]
    goals_total: int
    event: str | None        # the step's event (crash, popup, stopped_before...)
    replaying: bool          # True while --resume replays the logged steps
    phase: str               # "uninstall" | "launch" | "setup" | "explore" | "verify" | "done"


ProgressHook = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    """The default hook: report nothing."""
