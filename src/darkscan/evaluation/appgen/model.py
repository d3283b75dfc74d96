"""The generated app as data: screens, widgets, actions - what the writer and the oracle read.

Mirrors the subset of the virtual app format (docs/app-format.md) the generator uses, with one
addition the format does not have: ``W.goal`` marks the widget that *is* a goal's control, so
the oracle knows the answer without reading any text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

APP_GOALS = ("subscribe", "cancel_subscription", "delete_account", "recommendation_off",
             "privacy_policy", "customer_service")
GOALS = APP_GOALS + ("uninstall",)
#: launcher › Settings › Apps › <app> › Uninstall on the virtual device's system Settings
UNINSTALL_STEPS = 4


@dataclass
class W:
    """A widget. ``act`` is one of go | back | close | next | crash | open_app | pay |
    delete_account | toggle | none (None = not clickable); ``arg`` its target (screen id or
    package). ``next`` moves a launch step on."""

    type: str                       # row | button | image | switch | text | webview | input
    text: str = ""
    act: str | None = None
    arg: str | None = None
    goal: str | None = None
    opts: dict[str, Any] = field(default_factory=dict)   # icon, subtitle, style, desc, ...
    items: list[W] = field(default_factory=list)          # a row_group's children

    @property
    def go(self) -> str | None:
        return self.arg if self.act == "go" else None


@dataclass
class S:
    """A screen or dialog."""

    id: str
    title: str | None = None
    back_arrow: bool = False
    dialog: bool = False
    outside_closes: bool = False
    tabs: list[tuple[str, str, str]] | None = None     # (text, icon, screen id)
    tab_index: int = 0
    widgets: list[W] = field(default_factory=list)
    crash: bool | str = False                          # True | "once"
    secure: bool = False
    slow: float = 0.0
    popup: tuple[str, int] | None = None                # (dialog id, times)
    activity: str = ".MainActivity"

    def all_widgets(self) -> list[W]:
        out: list[W] = []
        for w in self.widgets:
            out.append(w)
            out.extend(w.items)
        return out


@dataclass
class AppModel:
    seed: int
    package: str
    label: str
    lang: str
    size: tuple[int, int, float]          # width px, height px, density
    start: str
    main: str
    screens: dict[str, S]
    features: set[str] = field(default_factory=set)   # what this app exercises (for reports)
    #: launch steps before ``start``: (screen id, show) with show "always" or "first"
    launch: list[tuple[str, str]] = field(default_factory=list)

    def screen(self, sid: str) -> S:
        return self.screens[sid]
