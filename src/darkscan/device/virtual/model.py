"""The loaded form of a virtual app file (see docs/app-format.md): frozen, validated, plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

Color = tuple[int, int, int, int]  # RGBA


class WidgetType(Enum):
    TEXT = "text"
    BUTTON = "button"
    IMAGE = "image"
    CHECKBOX = "checkbox"
    RADIO = "radio"
    SWITCH = "switch"
    ROW = "row"
    LIST = "list"
    ROW_GROUP = "row_group"
    WEBVIEW = "webview"
    INPUT = "input"
    DIVIDER = "divider"
    SPACER = "spacer"
    APP_GRID = "app_grid"  # internal: the launcher's icon grid (not allowed in app files)


class ActionKind(Enum):
    GO = "go"
    BACK = "back"
    CLOSE = "close"
    TOGGLE = "toggle"
    OPEN_APP = "open_app"
    CRASH = "crash"
    PAY = "pay"
    DELETE_ACCOUNT = "delete_account"
    UNINSTALL = "uninstall"
    HOME = "home"
    NONE = "none"
    NEXT = "next"  # launch sequences: move on to the next launch step (or the start screen)


class ButtonStyle(Enum):
    FILLED = "filled"
    OUTLINED = "outlined"
    TEXT = "text"


class Align(Enum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    target: str | None = None  # screen id (go/pay/delete_account) or package (open_app/uninstall)


@dataclass(frozen=True)
class Edges:
    """Margin or padding in dp."""

    top: float = 0.0
    right: float = 0.0
    bottom: float = 0.0
    left: float = 0.0


@dataclass(frozen=True)
class Icon:
    """A launcher icon."""

    color: Color = (96, 125, 139, 255)
    glyph: str = ""
    transparent: bool = False
    symbol: str | None = None  # an icon name drawn instead of the glyph


@dataclass(frozen=True)
class Widget:
    type: WidgetType
    key: str  # stable path inside the screen ("w3", "w3.1"): keys the widget's state
    line: int | None = None
    id: str | None = None
    tap: Action | None = None
    margin: Edges | None = None  # None = the type's default
    padding: Edges | None = None
    visible: bool = True
    enabled: bool = True
    text: str = ""
    size: float | None = None  # sp
    color: Color | None = None
    text_color: Color | None = None
    bold: bool | None = None
    align: Align | None = None
    background: Color | None = None
    style: ButtonStyle = ButtonStyle.FILLED
    width: str | float = "full"  # full | wrap | dp
    height: float | None = None  # dp
    radius: float | None = None  # dp corner radius
    desc: str = ""
    gradient: bool = False
    checked: bool = False
    sticky: bool = False
    options: tuple[str, ...] = ()
    selected: int = 0
    subtitle: str = ""
    value: str = ""
    icon: str | None = None
    chevron: bool = True
    count: int = 0
    template: str = "Item {i}"
    items: tuple[Widget, ...] = ()
    lines: tuple[str, ...] = ()
    hint: str = ""
    password: bool = False
    code: bool = False       # a verification-code (SMS / one-time code) field; typing is counted
    # internal (launcher): one entry per installed app
    apps: tuple[LauncherEntry, ...] = ()


@dataclass(frozen=True)
class LauncherEntry:
    package: str
    label: str
    icon: Icon


@dataclass(frozen=True)
class TabItem:
    text: str
    icon: str | None
    tap: Action | None


@dataclass(frozen=True)
class Tabs:
    items: tuple[TabItem, ...]
    selected: int = 0


@dataclass(frozen=True)
class Popup:
    screen: str
    times: int = 1


@dataclass(frozen=True)
class Screen:
    id: str
    line: int | None = None
    activity: str = ".MainActivity"
    title: str | None = None
    back_arrow: bool = False
    dialog: bool = False
    outside_closes: bool = False
    secure: bool = False
    crash: bool = False
    crash_first: int = 0  # crash on the first N entries only (per device), then work
    slow: float = 0.0
    popup: Popup | None = None
    tabs: Tabs | None = None
    background: Color | None = None
    widgets: tuple[Widget, ...] = ()


class Show(Enum):
    """When a launch step appears."""

    ALWAYS = "always"  # on every launch
    FIRST = "first"    # until the user has once moved past it (consent given, guide finished)
    RANDOM = "random"  # at random, with ``chance`` (seeded per device: reproducible)


class LaunchBack(Enum):
    """What the system back key does on a launch step."""

    EXIT = "exit"      # the app closes (splash, consent page)
    NEXT = "next"      # like ``next`` (a cancellable popup)
    NONE = "none"      # nothing


@dataclass(frozen=True)
class LaunchStep:
    screen: str
    show: Show = Show.ALWAYS
    chance: float = 0.5
    timeout: float | None = None  # seconds (virtual clock) after which it moves on by itself
    back: LaunchBack = LaunchBack.EXIT
    line: int | None = None


@dataclass(frozen=True)
class Theme:
    primary: Color = (33, 150, 243, 255)
    on_primary: Color = (255, 255, 255, 255)
    background: Color = (255, 255, 255, 255)
    text: Color = (33, 33, 33, 255)
    secondary_text: Color = (117, 117, 117, 255)
    divider: Color = (224, 224, 224, 255)
    app_bar: Color | None = None  # default: primary
    app_bar_text: Color | None = None  # default: on_primary
    status_bar: Color | None = None  # default: app bar colour, darkened


@dataclass(frozen=True)
class ScreenSize:
    width: int = 720
    height: int = 1280
    density: float = 2.0


@dataclass(frozen=True)
class App:
    package: str
    label: str
    screens: dict[str, Screen] = field(hash=False, compare=False)
    start: str
    path: str = "<memory>"
    icon: Icon = Icon()
    lang: str = "zh-Hans"
    screen_size: ScreenSize = ScreenSize()
    theme: Theme = Theme()
    uninstall_disabled: bool = False
    launch: tuple[LaunchStep, ...] = ()  # shown before ``start`` on a launch, in this order
    design: Any = field(default=None, hash=False, compare=False)

    def screen(self, screen_id: str) -> Screen:
        return self.screens[screen_id]
