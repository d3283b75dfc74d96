"""The frozen values a :class:`~darkscan.vision.context.ScreenContext` hands to detectors."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol, runtime_checkable

from darkscan.geometry import Box

RGB = tuple[int, int, int]


@runtime_checkable
class NodeLike(Protocol):
    """What vision reads from a hierarchy node (``darkscan.device.hierarchy.Node`` fits)."""

    text: str
    content_desc: str
    resource_id: str
    cls: str
    checkable: bool
    checked: bool
    clickable: bool
    bounds: Box


class Source(str, Enum):
    """Where a fact about the screen came from."""

    HIERARCHY = "hierarchy"
    OCR = "ocr"
    PIXELS = "pixels"


class ToggleKind(str, Enum):
    CHECKBOX = "checkbox"
    RADIO = "radio"
    SWITCH = "switch"


@dataclass(frozen=True)
class ScreenText:
    """One piece of visible text.

    ``box`` is where the glyphs are (ink box of a hierarchy node, or the OCR box);
    ``node_box`` the hierarchy node bounds when there is a node. ``clickable`` is true when the
    text's node, or a clickable node around it, takes taps.
    """

    text: str
    box: Box
    source: Source
    score: float = 1.0
    node_box: Box | None = None
    clickable: bool = False
    resource_id: str = ""
    cls: str = ""
    from_desc: bool = False  # the text is a content-desc, not drawn text


@dataclass(frozen=True)
class TextMetrics:
    """Measured presentation of one :class:`ScreenText` (all from pixels)."""

    text: ScreenText
    line_height_px: float      # median glyph line height (ink rows), pixels
    line_height_dp: float
    relative_size: float       # font size / the screen's body-text median (1.0 = body)
    fg: RGB | None             # estimated text colour (None: not measurable, e.g. secure screen)
    bg: RGB | None             # estimated local background colour
    contrast: float | None     # WCAG 2 contrast ratio fg vs bg, 1..21
    below_fold: bool           # starts below the first screenful (the screenshot's bottom edge)
    after_cta: bool            # starts below the primary call-to-action's bottom edge
    distance_to_cta_dp: float | None  # vertical gap to the primary CTA, dp (None: no CTA)
    size_px: float = 0.0       # estimated font size (em) from glyph ink, pixels
    size_dp: float = 0.0       # the same in dp (= sp at default font scale)

    def to_evidence(self) -> dict[str, Any]:
        return {
            "line_height_px": round(self.line_height_px, 1),
            "line_height_dp": round(self.line_height_dp, 1),
            "size_dp": round(self.size_dp, 1),
            "relative_size": round(self.relative_size, 2),
            "contrast": None if self.contrast is None else round(self.contrast, 2),
            "fg": None if self.fg is None else "#{:02X}{:02X}{:02X}".format(*self.fg),
            "bg": None if self.bg is None else "#{:02X}{:02X}{:02X}".format(*self.bg),
            "below_fold": self.below_fold,
            "after_cta": self.after_cta,
        }


@dataclass(frozen=True)
class Button:
    """A tappable control with a label, from hierarchy clickables or from pixel shapes.

    ``filled``: drawn on a fill that stands out from the surrounding background.
    ``prominence``: area_dp2 x (1 + fill saturation) x contrast of the fill against the
    background (filled) or of the label against the background (text-only); comparable between
    buttons of one screen, not across screens.
    """

    box: Box
    text: str
    source: Source
    filled: bool
    fill: RGB | None
    fill_saturation: float      # HSV saturation of the fill, 0..1 (0 when not filled)
    fill_contrast: float        # WCAG ratio fill vs surrounding background (1.0 = none)
    label_contrast: float | None  # WCAG ratio label vs what is behind it
    area_dp2: float
    prominence: float
    resource_id: str = ""


@dataclass(frozen=True)
class Toggle:
    """A checkbox / radio / switch and its state.

    ``checked`` is the state on first sight when the crawler recorded it, else the state in
    this screenshot/hierarchy. ``box`` is the control (or the node); ``label`` its text.
    """

    kind: ToggleKind
    box: Box
    checked: bool
    label: str
    label_box: Box | None
    source: Source
    first_seen: bool = False   # ``checked`` came from the crawler's first-seen record
    resource_id: str = ""


@dataclass(frozen=True)
class CloseTarget:
    """A close / skip control (✕, 跳过, Skip, 关闭 ...). Size is the tappable area."""

    box: Box
    text: str
    source: Source
    width_dp: float
    height_dp: float
    contrast: float | None     # of its glyphs against their background
    countdown: bool            # shows a running count ("5s", "跳过 5") - often not tappable yet

    @property
    def min_side_dp(self) -> float:
        return min(self.width_dp, self.height_dp)


class WidgetKind(str, Enum):
    """What a control is drawn as (pixel-only recognition, ``vision.widgets.find_widgets``)."""

    CHECKBOX = "checkbox"
    RADIO = "radio"
    SWITCH = "switch"
    BUTTON = "button"


class Emphasis(str, Enum):
    """How strongly a button is drawn, strongest first."""

    FILLED = "filled"       # a saturated or dark fill that contrasts with its surround
    TONAL = "tonal"         # a pale fill close to the surround (#EEE on white)
    OUTLINED = "outlined"   # a stroke around an unfilled container
    TEXT = "text"           # the label alone

    @property
    def rank(self) -> int:
        return {"filled": 3, "tonal": 2, "outlined": 1, "text": 0}[self.value]


@dataclass(frozen=True)
class Widget:
    """A control recognised from pixels alone.

    ``checked`` is the on/off state of a checkbox / radio / switch (None for buttons);
    ``emphasis`` how a button is drawn (None for toggles); ``style`` the shape variant
    ("square", "round", "tick", "m2", "m3", "bar" ...); ``label`` the text inside a button.
    """

    kind: WidgetKind
    box: Box
    checked: bool | None = None
    emphasis: Emphasis | None = None
    style: str = ""
    label: str = ""
    fill: RGB | None = None
