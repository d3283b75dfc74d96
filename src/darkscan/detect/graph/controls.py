"""Finding the controls the rules are about with the crawler's goal matchers.

The same :class:`darkscan.crawl.goals.Goal` that filled metrics.json's goal table is applied to
the widgets saved in ``screens/<id>.json``, so a rule and the gate never disagree on what counts
as "the cancel button"; a flow file's extra goal phrases are honoured the same way.
"""

from __future__ import annotations

from typing import Callable

from darkscan.crawl.goals import BUILTIN_GOALS, Goal
from darkscan.crawl.state import Widget as CrawlWidget
from darkscan.detect.graph.rundata import GoalReason, RunView, ScreenRecord, Widget

__all__ = ["goal", "goal_matcher", "goal_reason"]


def goal(run: RunView, name: str) -> Goal:
    """The flow's goal of that name (built-in, extended or replaced), else the built-in one."""
    if run.goal_set is not None:
        g = run.goal_set.get(name)
        if g is not None:
            return g
    return BUILTIN_GOALS[name]


def _as_crawl_widget(w: Widget) -> CrawlWidget:
    return CrawlWidget(
        sig="", cls=w.cls, text=w.text, desc=w.desc, resource_id=w.resource_id,
        label=w.name, bounds=w.bounds, clickable=w.clickable, checkable=w.checkable,
        checked=w.checked, enabled=w.enabled, password=w.password, editable=False,
        list_item=False,
    )


def goal_matcher(run: RunView, name: str) -> Callable[[ScreenRecord, Widget], str | None]:
    """A predicate: the phrase that makes a saved widget a control of goal ``name``."""
    g = goal(run, name)

    def match(screen: ScreenRecord, w: Widget) -> str | None:
        del screen
        return g.match(_as_crawl_widget(w))

    return match


def goal_reason(run: RunView, name: str) -> GoalReason | None:
    """Why the crawler did not find goal ``name`` (or FOUND); None when the table lacks it."""
    row = run.goals.get(name)
    return row.reason if row is not None else None
