"""Property tests: the parser never fails with anything but HierarchyError; trees round-trip."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from darkscan.device.hierarchy import Hierarchy, Node, parse_hierarchy
from darkscan.errors import HierarchyError
from darkscan.geometry import Box

DATA = Path(__file__).parent / "data"
SEEDS = [(DATA / n).read_bytes() for n in ("multiwindow.xml", "dialog.xml", "invalid_chars.xml")]
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse_or_error(data: str | bytes) -> Hierarchy | None:
    try:
        return parse_hierarchy(data)
    except HierarchyError as e:
        assert str(e) and "\n" not in str(e)
        return None


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    parse_or_error(data)


@FAST
@given(st.text(max_size=500))
def test_random_text_after_a_valid_prefix(tail: str) -> None:
    parse_or_error('<hierarchy rotation="0"><node ' + tail)


NASTY = st.sampled_from([
    "<", ">", "&", "&#0;", "&#55357;", "&#56832;", "&#xFFFF;", "&#1114112;", '"', "'", "\x00",
    "\x1b", "\ud800", "</node>", "<node>", "<node/>", "]]>", "<!--", "<?pi?>", "&amp;", "\uffff",
    '<!DOCTYPE x [<!ENTITY e "e">]>', "&e;", "bounds=\"[1,2][3\"", "\r\n", "\t",
])


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    doc = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "insert", "nasty", "flip", "truncate", "dup"]))
        i = draw(st.integers(0, len(doc)))
        if op == "delete":
            del doc[i:i + draw(st.integers(1, 200))]
        elif op == "insert":
            doc[i:i] = draw(st.binary(min_size=1, max_size=20))
        elif op == "nasty":
            doc[i:i] = draw(NASTY).encode("utf-8", "surrogatepass")
        elif op == "flip" and i < len(doc):
            doc[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "truncate":
            del doc[i:]
        elif op == "dup":
            doc[i:i] = doc[i:i + draw(st.integers(1, 300))]
    return bytes(doc)


@FAST
@given(mutated())
def test_mutated_real_dumps(data: bytes) -> None:
    h = parse_or_error(data)
    if h is not None:  # whatever survived must be a usable model
        for n in h:
            h.label_of(n)
        h.for_package("com.example.shop").clickable()
        parse_hierarchy(h.to_xml())


# Text a device can put in an attribute after sanitising: no surrogates or XML-forbidden chars.
XML_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(chr(c) for c in range(0x20) if c not in (9, 10, 13))
        + "\ufffe\uffff",
    ),
    max_size=20,
)
COORD = st.integers(-3000, 3000)


@st.composite
def nodes(draw: st.DrawFn, depth: int = 0) -> Node:
    kids = draw(st.lists(nodes(depth + 1), max_size=3)) if depth < 4 else []
    return Node(
        index=draw(st.integers(0, 50)), text=draw(XML_TEXT), resource_id=draw(XML_TEXT),
        cls=draw(st.sampled_from(["android.widget.TextView", "android.widget.Switch",
                                  "android.view.View", "X", ""])),
        package=draw(st.sampled_from(["com.a", "com.android.systemui", "com.b"])),
        content_desc=draw(XML_TEXT), checkable=draw(st.booleans()), checked=draw(st.booleans()),
        clickable=draw(st.booleans()), enabled=draw(st.booleans()), focusable=draw(st.booleans()),
        focused=draw(st.booleans()), scrollable=draw(st.booleans()),
        long_clickable=draw(st.booleans()), password=draw(st.booleans()),
        selected=draw(st.booleans()), visible=draw(st.booleans()),
        bounds=Box(draw(COORD), draw(COORD), draw(COORD), draw(COORD)),
        hint=draw(st.none() | XML_TEXT), drawing_order=draw(st.none() | st.integers(0, 99)),
        display_id=draw(st.none() | st.integers(0, 3)), naf=draw(st.booleans()),
        children=tuple(kids),
    )


def _strip(n: Node) -> Node:
    """The node without what the parser computes itself (path, depth) or what is compared apart."""
    return replace(n, path="", depth=0, children=())


@FAST
@given(st.lists(nodes(), max_size=4), st.sampled_from([0, 1, 2, 3]))
def test_generated_trees_round_trip(roots: list[Node], rotation: int) -> None:
    original = Hierarchy(roots, rotation)
    parsed = parse_hierarchy(original.to_xml())
    assert parsed.rotation == rotation
    assert len(parsed) == len(original)
    for a, b in zip(original, parsed):
        assert _strip(a) == _strip(b)
        assert len(a.children) == len(b.children)
    assert parse_hierarchy(parsed.to_xml()) == parsed  # stable, paths included
    assert len({n.path for n in parsed}) == len(parsed)
    for pkg in parsed.packages():
        assert all(n.package == pkg for n in parsed.for_package(pkg).roots)


def test_field_list_is_what_the_round_trip_covers() -> None:
    names = {f.name for f in fields(Node)}
    assert {"hint", "drawing_order", "display_id", "naf", "visible", "long_clickable"} <= names
