"""The screen model on real-shaped uiautomator2 dumps (tests/device/data/*.xml)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from darkscan.device.hierarchy import MAX_DEPTH, Hierarchy, Node, parse_hierarchy, sanitize_xml
from darkscan.errors import HierarchyError
from darkscan.geometry import Box

DATA = Path(__file__).parent / "data"
APP = "com.example.shop"


def load(name: str) -> Hierarchy:
    return parse_hierarchy((DATA / name).read_bytes())


@pytest.fixture(scope="module")
def multi() -> Hierarchy:
    return load("multiwindow.xml")


def test_windows_and_packages(multi: Hierarchy) -> None:
    assert len(multi.roots) == 4
    assert multi.packages() == [
        "com.android.systemui", APP, "com.google.android.inputmethod.latin",
    ]
    assert multi.rotation == 0


def test_for_package_drops_status_bar_ime_and_nav_bar(multi: Hierarchy) -> None:
    app = multi.for_package(APP)
    assert app.packages() == [APP]
    assert {n.package for n in app} == {APP}
    texts = app.texts()
    assert "9:41" not in texts and "Battery 84 percent." not in texts  # status bar
    assert "q" not in texts and "promo" not in texts  # keyboard keys and suggestion
    assert "Home" not in texts  # navigation bar
    assert "Cancel subscription" in texts
    assert multi.app_windows(APP).nodes == app.nodes
    assert multi.for_package("com.not.there").empty


def test_node_attributes_are_typed(multi: Hierarchy) -> None:
    (switch,) = multi.find(cls="android.widget.Switch")
    assert switch.checkable and switch.checked and not switch.clickable
    assert switch.bounds == Box(880, 470, 1032, 570)
    assert switch.resource_id == "android:id/switch_widget"
    assert switch.drawing_order == 1 and switch.display_id == 0 and switch.hint == ""
    (promo,) = multi.find(resource_id=f"{APP}:id/promo")
    assert promo.hint == "Promo code" and promo.focused and promo.long_clickable
    (pin,) = multi.find(resource_id=f"{APP}:id/pin")
    assert pin.password
    (tos,) = multi.find(text="Terms of service")
    assert not tos.visible
    naf = [n for n in multi if n.naf]
    assert [n.cls for n in naf] == ["android.widget.ImageButton"]


def test_preorder_iteration_and_paths(multi: Hierarchy) -> None:
    nodes = list(multi)
    assert nodes == list(multi.nodes)
    assert nodes[0].package == "com.android.systemui" and nodes[0].depth == 0
    # pre-order: every node comes after its parent
    pos = {id(n): i for i, n in enumerate(nodes)}
    for n in nodes:
        p = multi.parent(n)
        if p is not None:
            assert pos[id(p)] < pos[id(n)]
            assert n.depth == p.depth + 1
    paths = [n.path for n in nodes]
    assert len(set(paths)) == len(paths)
    (cancel,) = multi.find(text="Cancel subscription")
    assert cancel.path == (
        "/com.example.shop:FrameLayout[1]/FrameLayout[1]/LinearLayout[1]/FrameLayout[1]"
        "/RecyclerView[1]/TextView[1]"
    )


def test_paths_do_not_depend_on_other_windows(multi: Hierarchy) -> None:
    alone = parse_hierarchy(multi.for_package(APP).to_xml())
    assert [n.path for n in alone] == [n.path for n in multi.for_package(APP)]


def test_clickable_excludes_disabled_hidden_and_zero_size(multi: Hierarchy) -> None:
    app = multi.for_package(APP)
    labels = [app.label_of(n) for n in app.clickable()]
    assert labels == [
        "Navigate up", "Auto-renew", "Send me partner offers", "Cancel subscription",
        "", "••••••", "", "Continue",
    ]
    assert all(not n.bounds.empty for n in app.clickable())


def test_degenerate_bounds_are_kept_as_given(multi: Hierarchy) -> None:
    (zero,) = multi.find(resource_id=f"{APP}:id/spacer")
    assert zero.bounds.empty
    inverted = [n for n in multi if n.bounds.x1 > n.bounds.x2]
    assert len(inverted) == 1 and inverted[0].bounds.empty
    (tos,) = multi.find(text="Terms of service")
    assert tos.bounds.y1 >= 2400  # below the screen


def test_checkables_and_labels(multi: Hierarchy) -> None:
    app = multi.for_package(APP)
    got = [(n.short_class, n.checked, app.label_of(n)) for n in app.checkables()]
    assert got == [("Switch", True, "Auto-renew"), ("CheckBox", True, "Send me partner offers")]
    (row,) = [n for n in app if n.clickable and n.short_class == "LinearLayout"]
    assert app.label_of(row) == "Auto-renew"  # nearest descendant text
    (up,) = app.find(content_desc="Navigate up")
    assert app.label_of(up) == "Navigate up"


def test_find_combines_criteria(multi: Hierarchy) -> None:
    assert [n.text for n in multi.find(text_contains="subscription")] == ["Cancel subscription"]
    assert multi.find(text="Auto-renew", resource_id="android:id/title")
    assert not multi.find(text="Auto-renew", resource_id="android:id/summary")
    ime = multi.find(package="com.google.android.inputmethod.latin")
    assert len(ime) == 15 and sum(1 for n in ime if n.content_desc) == 10


def test_dialog_window_of_same_app_is_kept_and_permission_prompt_dropped() -> None:
    h = load("dialog.xml")
    assert h.packages() == [
        "com.android.systemui", APP, "com.google.android.permissioncontroller",
    ]
    app = h.for_package(APP)
    assert len(app.roots) == 2  # activity + dialog window
    assert "Leave without your free trial?" in app.texts()
    assert "Allow" not in app.texts()
    (keep,) = app.find(text="Keep trial")
    assert app.window_of(keep) is app.roots[1]
    assert keep.path.startswith("/com.example.shop:FrameLayout[2]/")


def test_empty_hierarchy() -> None:
    h = load("empty.xml")
    assert h.empty and len(h) == 0 and h.roots == () and h.packages() == []
    assert h.texts() == [] and h.clickable() == []
    assert parse_hierarchy(h.to_xml()).empty


def test_invalid_characters_are_sanitised() -> None:
    raw = (DATA / "invalid_chars.xml").read_bytes()
    import xml.etree.ElementTree as ET

    with pytest.raises(ET.ParseError):
        ET.fromstring(raw)  # the fixture really is invalid XML
    h = parse_hierarchy(raw)
    texts = h.texts()
    assert texts[0] == "会员中心 😀"  # surrogate pair written as two references, joined
    assert texts[2] == "到期自动续费，可随时取消"  # lone surrogates dropped
    assert texts[4] == "立即开通"  # NUL, U+FFFF and form feed dropped
    assert all("\x08" not in t and "\x1b" not in t for t in texts)
    (switch,) = h.checkables()
    assert h.label_of(switch) == "自动续费"  # label from the sibling TextView in the row


def test_sanitize_keeps_valid_references() -> None:
    s = '<a t="x&#10;y&#x4E2D;&#128512;&amp;"/>'
    assert sanitize_xml(s) == s
    assert sanitize_xml("a\ud83db") == "ab"
    assert sanitize_xml(b"\xff<a/>") == "\ufffd<a/>"


@pytest.mark.parametrize(
    ("xml", "needle"),
    [
        ("", "empty"),
        ("   \r\n ", "empty"),
        ('<hierarchy rotation="0"><node index="0" ', "line 1"),
        ("<?xml version='1.0' ?>\n<hierarchy>\n<node></hierarchy>", "line 3, column"),
        ("<html><body/></html>", "expected <hierarchy>"),
        ("not xml at all", "not valid XML"),
        ('<!DOCTYPE h [<!ENTITY a "aaaa">]><hierarchy/>', "DOCTYPE"),
    ],
)
def test_malformed_input_raises_hierarchy_error(xml: str, needle: str) -> None:
    with pytest.raises(HierarchyError) as e:
        parse_hierarchy(xml)
    assert needle in str(e.value)
    assert "\n" not in str(e.value)


def test_truncated_real_dump_names_line_and_column() -> None:
    raw = (DATA / "multiwindow.xml").read_text(encoding="utf-8")
    cut = raw[: len(raw) // 2]
    with pytest.raises(HierarchyError, match=r"line \d+, column \d+"):
        parse_hierarchy(cut)


def _chain(depth: int) -> str:
    open_ = (
        '<node index="0" text="" class="android.widget.FrameLayout" package="p" '
        'bounds="[0,0][100,100]">'
    )
    leaf = '<node index="0" text="deep" class="android.widget.TextView" package="p" ' \
           'bounds="[0,0][10,10]" />'
    return '<hierarchy rotation="0">' + open_ * depth + leaf + "</node>" * depth + "</hierarchy>"


def test_deep_nesting_is_iterative() -> None:
    depth = 5000  # far beyond the recursion limit and uiautomator's own max_depth of 50
    h = parse_hierarchy(_chain(depth))
    assert len(h) == depth + 1  # every view kept ...
    leaf = h.nodes[-1]
    # ... but nesting beyond MAX_DEPTH is flattened onto the ancestor at that depth
    assert leaf.text == "deep" and leaf.depth == MAX_DEPTH
    assert sum(1 for _ in h.ancestors(leaf)) == MAX_DEPTH
    assert len(h.warnings) == 1 and str(MAX_DEPTH) in h.warnings[0]
    assert parse_hierarchy(h.to_xml()) == h
    shallow = parse_hierarchy(_chain(MAX_DEPTH - 1))
    assert not shallow.warnings and shallow.nodes[-1].depth == MAX_DEPTH - 1
    assert shallow.label_of(shallow.nodes[0]) == "deep"
    assert repr(h.nodes[0]).startswith("Node(")  # repr does not walk children
    assert hash(h.nodes[0]) == hash(parse_hierarchy(h.to_xml()).nodes[0])


def _big_dump(target_bytes: int) -> str:
    row = (
        '<node index="{i}" text="Item {i} 自动续费" resource-id="com.example:id/row" '
        'class="android.widget.TextView" package="com.example" content-desc="" '
        'checkable="false" checked="false" clickable="true" enabled="true" focusable="true" '
        'focused="false" scrollable="false" long-clickable="false" password="false" '
        'selected="false" visible-to-user="true" bounds="[0,{y}][1080,{y2}]" '
        'drawing-order="{i}" hint="" display-id="0" />'
    )
    head = ('<hierarchy rotation="0"><node index="0" class="android.widget.ListView" '
            'package="com.example" bounds="[0,0][1080,2400]" scrollable="true">')
    parts = [head]
    size, i = 0, 0
    while size < target_bytes:
        s = row.format(i=i, y=i * 10, y2=i * 10 + 10)
        parts.append(s)
        size += len(s.encode())
        i += 1
    parts.append("</node></hierarchy>")
    return "".join(parts)


def test_five_megabyte_dump_parses_fast() -> None:
    xml = _big_dump(5 * 1024 * 1024)
    t0 = time.perf_counter()
    h = parse_hierarchy(xml)
    elapsed = time.perf_counter() - t0
    assert len(h) > 10_000
    assert h.nodes[-1].text.startswith("Item ")
    assert elapsed < 5.0, f"5 MB dump took {elapsed:.2f}s"


def test_nodes_compare_by_attributes_not_identity(multi: Hierarchy) -> None:
    again = load("multiwindow.xml")
    assert again == multi
    assert isinstance(again.nodes[3], Node) and again.nodes[3] == multi.nodes[3]
    assert again.nodes[3] is not multi.nodes[3]
