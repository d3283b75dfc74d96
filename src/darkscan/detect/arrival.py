"""How a screen came to be shown during a crawl: on its own, or because the user asked for it.

A dialog asking for a rating or an upgrade is nagging when it interrupts: it pops up over a
screen the user navigated to, or on app launch. The same dialog opened by the user's tap on a
control it is about (新人福利 -> the gift dialog, "Cancel subscription" -> "Cancel Premium?") is
the answer to a request, not an interruption. A screenshot alone cannot tell the two apart; a
run folder can (``steps.jsonl``: the ``popup`` event, the action, the tapped control's label).

    shown = shown_from_steps(steps)        # {screen id: Shown}
    shown[sid].interrupting                # popped up on its own at least once
    shown[sid].opened_by                   # labels of the user's taps that led to it
    relates(label, texts)                  # does the tapped label's wording recur in the screen?
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from darkscan.lexicon.normalize import fold

# Events a crawler logs when a screen appeared without being asked for.
_UNSOLICITED_EVENTS = frozenset({"popup"})
# Actions that start the app: whatever shows first was not chosen by the user.
_LAUNCH_ACTIONS = frozenset({"launch"})
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z][a-z']{2,}")
# Words too common to tie a tapped label to a dialog ("the", "your" ...).
_STOP = frozenset({
    "the", "and", "for", "you", "your", "our", "are", "with", "this", "that", "from", "not",
    "now", "get", "all", "more", "can", "will", "have", "has", "its", "into", "out", "any",
    "new", "see", "use", "app"})


@dataclass(frozen=True)
class Shown:
    """What the crawl saw of one screen's arrivals."""

    interrupting: bool = False            # a popup event, or shown on app launch
    opened_by: tuple[str, ...] = ()       # labels of the taps that led to it (no popup)

    def opened_by_user(self, texts: Sequence[str]) -> bool:
        """Never popped up on its own, and opened by a tap on a control it is about."""
        return not self.interrupting and any(relates(lb, texts) for lb in self.opened_by)


def _tokens(text: str) -> set[str]:
    t = fold(text)
    out = {w for w in _WORD.findall(t) if w not in _STOP}
    for run in _HAN.findall(t):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


def relates(label: str, texts: Sequence[str]) -> bool:
    """True when a word of ``label`` (a Latin word of 3+ letters, or two Han characters in a
    row) recurs in ``texts``: the screen continues what the tapped control named."""
    mine = _tokens(label)
    if not mine:
        return False
    theirs: set[str] = set()
    for t in texts:
        theirs |= _tokens(t)
    return bool(mine & theirs)


def _events(step: Mapping[str, Any]) -> set[str]:
    out = {str(e) for e in step.get("events") or () if e}
    if step.get("event"):
        out.add(str(step["event"]))
    return out


def shown_from_steps(steps: Iterable[Mapping[str, Any]]) -> dict[str, Shown]:
    """``steps.jsonl`` records (docs/run-folder.md) -> {screen id: Shown} for every screen a
    step led to. Steps that were not executed (``stopped_before``) show nothing."""
    interrupting: dict[str, bool] = {}
    opened: dict[str, list[str]] = {}
    for st in steps:
        to, frm = st.get("to"), st.get("from")
        action = st.get("action") or {}
        if not isinstance(to, str) or not isinstance(action, Mapping):
            continue
        if action.get("executed") is False or to == frm:
            continue
        interrupting.setdefault(to, False)
        opened.setdefault(to, [])
        kind = str(action.get("kind", ""))
        if _events(st) & _UNSOLICITED_EVENTS or kind in _LAUNCH_ACTIONS:
            interrupting[to] = True
        elif kind == "tap":
            target = action.get("target") or {}
            label = str(target.get("text") or "") if isinstance(target, Mapping) else ""
            if label.strip() and label not in opened[to]:
                opened[to].append(label)
    return {sid: Shown(interrupting[sid], tuple(opened[sid])) for sid in interrupting}


__all__ = ["Shown", "relates", "shown_from_steps"]
