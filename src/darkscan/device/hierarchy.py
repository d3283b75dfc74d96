"""The screen model: uiautomator ``dump_hierarchy()`` XML parsed into typed, immutable nodes.

A dump is ``<hierarchy rotation="0">`` holding one ``<node>`` tree per window on screen (the
app, the status bar ``com.android.systemui``, the keyboard ``com.google.android.inputmethod.*``,
a permission dialog of another package...). :func:`parse_hierarchy` accepts what real devices
emit — invalid XML characters, lone UTF-16 surrogates written as ``&#55357;``, zero-size, inverted
or off-screen bounds, very deep nesting, multi-megabyte dumps — and raises
:class:`~darkscan.errors.HierarchyError` (with line and column) only for text that is not XML.

Parsing is iterative (expat callbacks and explicit stacks), so depth is bounded by memory only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from xml.parsers import expat

from darkscan.device.xmlclean import sanitize_xml
from darkscan.errors import HierarchyError
from darkscan.geometry import Box

__all__ = ["Hierarchy", "Node", "parse_hierarchy", "sanitize_xml"]

_EMPTY_BOX = Box(0, 0, 0, 0)
_BOUNDS_RE = re.compile(r"\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]\s*\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]")
def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() == "true"


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def _bounds(value: str | None) -> Box:
    if not value:
        return _EMPTY_BOX
    m = _BOUNDS_RE.match(value.strip())
    if not m:
        return _EMPTY_BOX
    x1, y1, x2, y2 = (int(g) for g in m.groups())
    return Box(x1, y1, x2, y2)


def _short(cls: str) -> str:
    return cls.rsplit(".", 1)[-1] or "node"


@dataclass(frozen=True, eq=False)
class Node:
    """One view of one window. ``path`` is a stable, xpath-like id (see :func:`parse_hierarchy`).

    Equality compares the node's own attributes and path, not its children, so comparing or
    hashing a node never walks a (possibly very deep) subtree.
    """

    index: int
    text: str
    resource_id: str
    cls: str
    package: str
    content_desc: str
    checkable: bool
    checked: bool
    clickable: bool
    enabled: bool
    focusable: bool
    focused: bool
    scrollable: bool
    long_clickable: bool
    password: bool
    selected: bool
    visible: bool
    bounds: Box
    hint: str | None = None
    drawing_order: int | None = None
    display_id: int | None = None
    naf: bool = False
    path: str = ""
    depth: int = 0
    children: tuple[Node, ...] = field(default=(), repr=False)

    def _key(self) -> tuple[object, ...]:
        return tuple(getattr(self, f.name) for f in fields(self) if f.name != "children")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Node):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    @property
    def label(self) -> str:
        """Own visible text, else content description (stripped)."""
        return self.text.strip() or self.content_desc.strip()

    @property
    def short_class(self) -> str:
        return _short(self.cls)

    def iter(self) -> Iterator[Node]:
        """This node and its descendants, pre-order, without recursion."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


_ATTRS: tuple[tuple[str, str], ...] = (
    ("index", "index"), ("text", "text"), ("resource_id", "resource-id"), ("cls", "class"),
    ("package", "package"), ("content_desc", "content-desc"), ("checkable", "checkable"),
    ("checked", "checked"), ("clickable", "clickable"), ("enabled", "enabled"),
    ("focusable", "focusable"), ("focused", "focused"), ("scrollable", "scrollable"),
    ("long_clickable", "long-clickable"), ("password", "password"), ("selected", "selected"),
    ("visible", "visible-to-user"), ("bounds", "bounds"), ("drawing_order", "drawing-order"),
    ("hint", "hint"), ("display_id", "display-id"),
)


class Hierarchy:
    """Every window of one dump: ``roots`` (one per window) and ``nodes`` (all, pre-order)."""

    def __init__(self, roots: Sequence[Node] = (), rotation: int = 0) -> None:
        self.roots: tuple[Node, ...] = tuple(roots)
        self.rotation = rotation
        nodes: list[Node] = []
        parents: dict[int, Node] = {}
        stack: list[Node] = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            nodes.append(node)
            for child in node.children:
                parents[id(child)] = node
            stack.extend(reversed(node.children))
        self.nodes: tuple[Node, ...] = tuple(nodes)
        self._parents = parents
        self._order = {id(n): i for i, n in enumerate(nodes)}

    # -- container --------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def __bool__(self) -> bool:
        return bool(self.nodes)

    def __repr__(self) -> str:
        return f"Hierarchy({len(self.roots)} windows, {len(self.nodes)} nodes, {self.packages()})"

    @property
    def empty(self) -> bool:
        return not self.nodes

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Hierarchy):
            return NotImplemented
        return self.rotation == other.rotation and self.nodes == other.nodes

    __hash__ = None  # type: ignore[assignment]

    # -- navigation -------------------------------------------------------------------------
    def parent(self, node: Node) -> Node | None:
        return self._parents.get(id(node))

    def ancestors(self, node: Node) -> Iterator[Node]:
        """Parent, grandparent, ... up to the window root."""
        p = self.parent(node)
        while p is not None:
            yield p
            p = self.parent(p)

    def window_of(self, node: Node) -> Node:
        root = node
        for a in self.ancestors(node):
            root = a
        return root

    # -- queries ----------------------------------------------------------------------------
    def clickable(self) -> list[Node]:
        """Enabled, visible nodes that accept a tap (clickable or long-clickable) and have area."""
        return [
            n for n in self.nodes
            if (n.clickable or n.long_clickable) and n.enabled and n.visible and not n.bounds.empty
        ]

    def checkables(self) -> list[Node]:
        """Check boxes, switches, radio buttons, toggles (``checkable="true"``)."""
        return [n for n in self.nodes if n.checkable]

    def texts(self) -> list[str]:
        """Visible text and content descriptions, pre-order, stripped, non-empty."""
        out: list[str] = []
        for n in self.nodes:
            if not n.visible:
                continue
            for s in (n.text, n.content_desc):
                s = s.strip()
                if s:
                    out.append(s)
        return out

    def find(
        self,
        *,
        text: str | None = None,
        resource_id: str | None = None,
        cls: str | None = None,
        content_desc: str | None = None,
        package: str | None = None,
        text_contains: str | None = None,
    ) -> list[Node]:
        """Nodes matching every given criterion exactly (``text_contains``: substring)."""
        out = []
        for n in self.nodes:
            if text is not None and n.text != text:
                continue
            if resource_id is not None and n.resource_id != resource_id:
                continue
            if cls is not None and n.cls != cls:
                continue
            if content_desc is not None and n.content_desc != content_desc:
                continue
            if package is not None and n.package != package:
                continue
            if text_contains is not None and text_contains not in n.text:
                continue
            out.append(n)
        return out

    def packages(self) -> list[str]:
        """Packages of the windows on screen, in dump order, without repeats."""
        seen: dict[str, None] = {}
        for r in self.roots:
            seen.setdefault(r.package, None)
        return list(seen)

    def for_package(self, package: str) -> Hierarchy:
        """Only the windows the given app owns (status bar, keyboard, other apps removed)."""
        return Hierarchy([r for r in self.roots if r.package == package], self.rotation)

    app_windows = for_package

    def label_of(self, node: Node) -> str:
        """What a user reads as this node's name.

        Own text or content description; else the first descendant text; for a check box,
        switch or radio without text, the text beside it in the same row (a settings row puts
        the title in a sibling layout of the switch).
        """
        own = node.label
        if own:
            return own
        inner = next((d.label for d in node.iter() if d is not node and d.label), "")
        if inner and not node.checkable:
            return inner
        row = self._row_label(node)
        return row or inner

    def _row_label(self, node: Node, levels: int = 3) -> str:
        own_ids = {id(d) for d in node.iter()}
        b = node.bounds
        for level, anc in enumerate(self.ancestors(node)):
            if level >= levels:
                break
            best: Node | None = None
            for cand in anc.iter():
                if id(cand) in own_ids or not cand.label or cand.checkable or cand.clickable:
                    continue
                if not cand.visible:
                    continue
                cb = cand.bounds
                if not b.empty and not (cb.y1 < b.y2 and b.y1 < cb.y2):
                    continue  # not in the same row
                best = cand
                break  # pre-order = reading order: the row's title comes first
            if best is not None:
                return best.label
        return ""

    # -- output -----------------------------------------------------------------------------
    def to_xml(self) -> str:
        """uiautomator-format XML of these windows (parses back to an equal hierarchy)."""
        parts = [
            "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\r\n",
            f'<hierarchy rotation="{self.rotation}">',
        ]
        stack: list[tuple[Node, bool]] = [(r, False) for r in reversed(self.roots)]
        while stack:
            node, closing = stack.pop()
            if closing:
                parts.append("</node>")
                continue
            parts.append("<node" + _attrs_xml(node))
            if node.children:
                parts.append(">")
                stack.append((node, True))
                stack.extend((c, False) for c in reversed(node.children))
            else:
                parts.append(" />")
        if not self.roots:
            parts[-1] = f'<hierarchy rotation="{self.rotation}" />'
        else:
            parts.append("</hierarchy>")
        return "".join(parts)


def _esc(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def _attrs_xml(n: Node) -> str:
    out = []
    for name, xml_name in _ATTRS:
        v = getattr(n, name)
        if v is None:
            continue
        if name == "index" and n.naf:
            out.append(f' index="{v}" NAF="true"')
            continue
        if isinstance(v, bool):
            s = "true" if v else "false"
        elif isinstance(v, Box):
            s = f"[{v.x1},{v.y1}][{v.x2},{v.y2}]"
        else:
            s = _esc(str(v))
        out.append(f' {xml_name}="{s}"')
    return "".join(out)


class _Builder:
    """expat callbacks building frozen nodes bottom-up with explicit stacks."""

    def __init__(self) -> None:
        self.rotation = 0
        self.roots: list[Node] = []
        self.seen_root = False
        # per open element: (attrs, path, depth, children, per-class sibling counters)
        self.stack: list[tuple[dict[str, str], str, int, list[Node], dict[str, int]]] = []
        self.root_counters: dict[str, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if not self.seen_root:
            if tag != "hierarchy":
                raise HierarchyError(f"root element is <{tag}>, expected <hierarchy>")
            self.seen_root = True
            self.rotation = _int(attrs.get("rotation")) or 0
            return
        cls = attrs.get("class") or (tag if tag != "node" else "")
        short = _short(cls)
        if self.stack:
            counters = self.stack[-1][4]
            prefix = self.stack[-1][1]
        else:
            counters = self.root_counters
            short = f"{attrs.get('package', '')}:{short}"
            prefix = ""
        counters[short] = counters.get(short, 0) + 1
        path = f"{prefix}/{short}[{counters[short]}]"
        self.stack.append((attrs, path, len(self.stack), [], {}))

    def end(self, tag: str) -> None:
        if not self.stack:
            return  # </hierarchy>
        a, path, depth, children, _ = self.stack.pop()
        node = Node(
            index=_int(a.get("index")) or 0,
            text=a.get("text", ""),
            resource_id=a.get("resource-id", ""),
            cls=a.get("class") or (tag if tag != "node" else ""),
            package=a.get("package", ""),
            content_desc=a.get("content-desc", ""),
            checkable=_bool(a.get("checkable")),
            checked=_bool(a.get("checked")),
            clickable=_bool(a.get("clickable")),
            enabled=_bool(a.get("enabled"), True),
            focusable=_bool(a.get("focusable")),
            focused=_bool(a.get("focused")),
            scrollable=_bool(a.get("scrollable")),
            long_clickable=_bool(a.get("long-clickable")),
            password=_bool(a.get("password")),
            selected=_bool(a.get("selected")),
            visible=_bool(a.get("visible-to-user"), True),
            bounds=_bounds(a.get("bounds")),
            hint=a.get("hint"),
            drawing_order=_int(a.get("drawing-order")),
            display_id=_int(a.get("display-id")),
            naf=_bool(a.get("NAF")),
            path=path,
            depth=depth,
            children=tuple(children),
        )
        if self.stack:
            self.stack[-1][3].append(node)
        else:
            self.roots.append(node)


def _reject_doctype(*_args: object) -> None:
    raise HierarchyError("hierarchy dump contains a DOCTYPE; uiautomator dumps never do")


def parse_hierarchy(xml: str | bytes) -> Hierarchy:
    """Parse a uiautomator dump. Raises HierarchyError for anything that is not XML.

    ``Node.path`` ids look like ``/com.example:FrameLayout[1]/LinearLayout[1]/TextView[2]``:
    the window's package, then each level's short class name with its 1-based position among
    siblings of that class. They do not change when another window (status bar, keyboard)
    appears or disappears.
    """
    text = sanitize_xml(xml)
    if not text.strip():
        raise HierarchyError("hierarchy dump is empty (no XML at all)")
    builder = _Builder()
    parser = expat.ParserCreate(encoding="utf-8")
    parser.buffer_text = True
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.StartDoctypeDeclHandler = _reject_doctype
    parser.EntityDeclHandler = _reject_doctype
    try:
        parser.Parse(text.encode("utf-8", errors="replace"), True)
    except expat.ExpatError as e:
        msg = expat.ErrorString(e.code) if e.code else str(e)
        raise HierarchyError(
            f"hierarchy dump is not valid XML: {msg} at line {e.lineno}, column {e.offset + 1}"
        ) from None
    except RecursionError:  # pragma: no cover - the builder is iterative
        raise HierarchyError("hierarchy dump nests too deeply") from None
    if not builder.seen_root:
        raise HierarchyError("hierarchy dump has no <hierarchy> element")
    return Hierarchy(builder.roots, builder.rotation)

