"""The uninstall goal: walk the system's own path launcher › Settings › Apps › <app> › Uninstall.

A short greedy walk by labels (zh-Hans, zh-Hant, en), not an exploration of all of Settings:
the Settings icon on the launcher, then the Apps entry, then the row naming the app under test
(its package or label), until a screen naming the app shows an Uninstall button. The button is
observed, never tapped. Steps are counted from the launcher like the app's goals are counted
from its launch screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from darkscan.crawl.state import ScreenKind, Widget
from darkscan.lexicon.normalize import normalize, phrase_set

if TYPE_CHECKING:
    from darkscan.crawl.crawler import Crawler

SETTINGS_WORDS = phrase_set(["设置", "設定", "系统设置", "settings", "setting"])
APPS_WORDS = phrase_set([
    "应用", "应用管理", "应用程序", "应用和通知", "应用程序管理", "全部应用", "所有应用", "查看全部",
    "應用程式", "應用程式和通知", "apps", "applications", "apps & notifications", "app management",
    "manage apps", "see all", "all apps", "app info",
])
MAX_WALK = 10


class SystemPath:
    def __init__(self, crawler: Crawler) -> None:
        self.c = crawler

    def _score(self, w: Widget, kind: ScreenKind) -> int:
        label = normalize(w.label)
        if not w.clickable or not label:
            return 0
        if kind is ScreenKind.LAUNCHER:
            return 2 if label in SETTINGS_WORDS else 0
        names = {normalize(n) for n in self.c.app_names if n}
        if label in names or self._names_inside(w, names):
            return 3
        if label in APPS_WORDS or any(label.startswith(p) for p in APPS_WORDS):
            return 2
        return 0

    def _names_inside(self, w: Widget, names: set[str]) -> bool:
        """A row whose own texts (title, subtitle) include the app's package or label."""
        s = self.c.cur_screen
        if s is None:
            return False
        for o in s.widgets:
            if o is w or o.clickable:
                continue
            if w.bounds.contains(*o.bounds.center) and normalize(o.text) in names:
                return True
        return False

    def walk(self) -> None:
        c = self.c
        c._check_budget()
        nid = c.home()
        if c.graph.kind(nid) is ScreenKind.LAUNCHER and c.graph.launcher is None:
            c.graph.launcher = nid
        tried: set[tuple[str, str]] = set()
        goals = {g.name for g in c.flow.goals.system_goals()}
        for _ in range(MAX_WALK):
            c._check_budget()
            if goals <= c.graph.found_goals():
                return
            s, cur = c.cur_screen, c.cur
            if s is None or cur is None or s.kind not in (ScreenKind.LAUNCHER, ScreenKind.SYSTEM):
                return
            scored = [(self._score(w, s.kind), i, w) for i, w in enumerate(s.widgets)
                      if (cur, w.sig) not in tried]
            scored = [x for x in scored if x[0] > 0]
            if not scored:
                return
            best = max(scored, key=lambda x: (x[0], -x[1]))
            w = best[2]
            tried.add((cur, w.sig))
            if best[0] == 3 and w.label:
                c.app_names.add(w.label.strip())
            c.tap(w, cur)
