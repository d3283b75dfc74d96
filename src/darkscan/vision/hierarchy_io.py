"""Loading a uiautomator XML file into the device layer's :class:`Hierarchy`."""

from __future__ import annotations

from pathlib import Path

from darkscan.device.hierarchy import Hierarchy, parse_hierarchy
from darkscan.errors import HierarchyError


def parse_xml_file(path: str | Path) -> Hierarchy:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise HierarchyError(f"{p}: cannot read hierarchy: {e.strerror or e}") from None
    try:
        return parse_hierarchy(data)
    except HierarchyError as e:
        raise HierarchyError(f"{p}: {e.message}") from None
