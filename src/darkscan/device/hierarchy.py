"""The screen model: uiautomator ``dump_hierarchy()`` XML parsed into typed, immutable nodes.

A dump is ``<hierarchy rotation="0">`` holding one ``<node>`` tree per window on screen (the
app, the status bar ``com.android.systemui``, the keyboard ``com.google.android.inputmethod.*``,
a permission dialog of another package...). :func:`parse_hierarchy` accepts what real devices
emit — invalid XML characters, lone UTF-16 surrogates written as ``&#55357;``, zero-size, inverted
or off-screen bounds, very deep nesting, multi-megabyte dumps — and raises
:class:`~darkscan.errors.HierarchyError` (with line and column) only for text that is not XML.

Parsing is iterative (expat callbacks and explicit stacks). Hostile or runaway dumps are cut to
fixed limits instead of hanging or exhausting memory, each cut noted once in
``Hierarchy.warnings``: views nested deeper than :data:`MAX_DEPTH` are kept as children of their
ancestor at that depth (their text stays; only the nesting is lost), a window keeps its first
:data:`MAX_NODES` views (pre-order = reading order), and ``text`` / ``content-desc`` longer than
:data:`MAX_TEXT` characters are cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from itertools import islice
from xml.parsers import expat

from darkscan.device.xmlclean import sanitize_xml
from darkscan.errors import HierarchyError
from darkscan.geometry import Box

__all__ = ["MAX_DEPTH", "MAX_NODES", "MAX_TEXT", "Hierarchy", "Node", "parse_hierarchy",
           "sanitize_xml"]

# Real dumps: view trees rarely nest 60 deep, WebView accessibility trees a few hundred; a
# screen of 4,000 views is already a long web page.
MAX_DEPTH = 200      # deeper views are re-attached to their ancestor at this depth
MAX_NODES = 12_000   # views kept per window
MAX_TEXT = 5_000     # characters kept of one text / content-desc
# label_of / _row_label look at no more than this many nodes of a subtree
_LABEL_SEARCH = 400

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

    def __init__(self, roots: Sequence[Node] = (), rotation: int = 0,
                 warnings: Sequence[str] = ()) -> None:
        self.roots: tuple[Node, ...] = tuple(roots)
        self.rotation = rotation
        # what parse_hierarchy cut to stay within its limits (one line each)
        self.warnings: tuple[str, ...] = tuple(warnings)
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
        return Hierarchy([r for r in self.roots if r.package == package], self.rotation,
                         self.warnings)

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
        inner = next((d.label for d in islice(node.iter(), _LABEL_SEARCH)
                      if d is not node and d.label), "")
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
            for cand in islice(anc.iter(), _LABEL_SEARCH):
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
    """expat callbacks building frozen nodes bottom-up with explicit stacks.

    Views beyond :data:`MAX_DEPTH` become leaves of the ancestor at that depth (built at their
    start tag; the stack then only holds a marker), views beyond :data:`MAX_NODES` per window
    are skipped, so memory stays bounded however the dump nests.
    """

    _DEEP = None   # stack marker: a view re-attached to the ancestor at MAX_DEPTH
    _SKIP = False  # stack marker: a view over the window's node limit

    def __init__(self) -> None:
        self.rotation = 0
        self.roots: list[Node] = []
        self.seen_root = False
        # per open element: (attrs, path, depth, children, per-class sibling counters), or a marker
        self.stack: list[tuple[dict[str, str], str, int, list[Node], dict[str, int]] | None
                         | bool] = []
        self.root_counters: dict[str, int] = {}
        self.window_nodes = 0
        self.deep = 0
        self.skipped = 0
        self.cut_texts = 0

    def warnings(self) -> list[str]:
        out = []
        if self.deep:
            out.append(f"{self.deep} views nested deeper than {MAX_DEPTH} levels were kept "
                       f"as children of their ancestor at depth {MAX_DEPTH}")
        if self.skipped:
            out.append(f"a window has more than {MAX_NODES} views; {self.skipped} views after "
                       "the first were left out")
        if self.cut_texts:
            out.append(f"{self.cut_texts} texts longer than {MAX_TEXT} characters were cut")
        return out

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if not self.seen_root:
            if tag != "hierarchy":
                raise HierarchyError(f"root element is <{tag}>, expected <hierarchy>")
            self.seen_root = True
            self.rotation = _int(attrs.get("rotation")) or 0
            return
        if not self.stack:
            self.window_nodes = 0
        if self.window_nodes >= MAX_NODES:
            self.skipped += 1
            self.stack.append(self._SKIP)
            return
        self.window_nodes += 1
        cls = attrs.get("class") or (tag if tag != "node" else "")
        short = _short(cls)
        if len(self.stack) >= MAX_DEPTH:
            # re-attach to the ancestor at MAX_DEPTH: a leaf built now, a marker on the stack
            anchor = self.stack[MAX_DEPTH - 1]
            assert isinstance(anchor, tuple)
            anchor[4][short] = anchor[4].get(short, 0) + 1
            path = f"{anchor[1]}/{short}[{anchor[4][short]}]"
            anchor[3].append(self._node(tag, attrs, path, MAX_DEPTH, ()))
            self.deep += 1
            self.stack.append(self._DEEP)
            return
        if self.stack:
            parent = self.stack[-1]
            assert isinstance(parent, tuple)
            counters = parent[4]
            prefix = parent[1]
        else:
            counters = self.root_counters
            short = f"{attrs.get('package', '')}:{short}"
            prefix = ""
        counters[short] = counters.get(short, 0) + 1
        path = f"{prefix}/{short}[{counters[short]}]"
        self.stack.append((attrs, path, len(self.stack), [], {}))

    def _text(self, value: str) -> str:
        if len(value) <= MAX_TEXT:
            return value
        self.cut_texts += 1
        return value[:MAX_TEXT]

    def _node(self, tag: str, a: dict[str, str], path: str, depth: int,
              children: Sequence[Node]) -> Node:
        return Node(
            index=_int(a.get("index")) or 0,
            text=self._text(a.get("text", "")),
            resource_id=a.get("resource-id", "")[:MAX_TEXT],
            cls=(a.get("class") or (tag if tag != "node" else ""))[:MAX_TEXT],
            package=a.get("package", "")[:MAX_TEXT],
            content_desc=self._text(a.get("content-desc", "")),
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
            hint=None if a.get("hint") is None else self._text(a["hint"]),
            drawing_order=_int(a.get("drawing-order")),
            display_id=_int(a.get("display-id")),
            naf=_bool(a.get("NAF")),
            path=path,
            depth=depth,
            children=tuple(children),
        )

    def end(self, tag: str) -> None:
        if not self.stack:
            return  # </hierarchy>
        top = self.stack.pop()
        if not isinstance(top, tuple):
            return  # re-attached or skipped at its start tag
        a, path, depth, children, _ = top
        node = self._node(tag, a, path, depth, children)
        if self.stack:
            parent = self.stack[-1]
            assert isinstance(parent, tuple)
            parent[3].append(node)
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
    return Hierarchy(builder.roots, builder.rotation, builder.warnings())

