"""YAML loading that remembers line numbers, so app-file errors can name FILE:LINE."""

from __future__ import annotations

from typing import Any

import yaml

from darkscan.errors import AppFileError


class LineDict(dict):
    """A mapping from YAML that knows its own line and each key's line (1-based)."""

    line: int | None = None
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int | None:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int | None = None
    item_lines: list[int]

    def line_of(self, index: int) -> int | None:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


class _Loader(yaml.SafeLoader):
    path = "<memory>"


def _construct_map(loader: _Loader, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
    loader.flatten_mapping(node)
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float, bool)):
            raise AppFileError(loader.path, "mapping keys must be plain words", line)
        if key in data:
            raise AppFileError(loader.path, f"duplicate key '{key}'", line)
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line


def _construct_seq(loader: _Loader, node: yaml.SequenceNode):  # type: ignore[no-untyped-def]
    data = LineList()
    data.line = node.start_mark.line + 1
    data.item_lines = [n.start_mark.line + 1 for n in node.value]
    yield data
    data.extend(loader.construct_object(n, deep=True) for n in node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def load_yaml(text: str, path: str) -> Any:
    """Parse YAML text; syntax errors become AppFileError naming the line."""
    loader = _Loader(text)
    loader.path = path
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise AppFileError(path, f"YAML syntax: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise AppFileError(path, f"YAML syntax: {exc}") from None
    finally:
        loader.dispose()


def plain(value: Any) -> Any:
    """LineDict/LineList -> ordinary dict/list (for opaque metadata such as ``design:``)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
