"""YAML loading that remembers line numbers, so app-file errors can name FILE:LINE.

Every YAML file darkscan reads (apps, flows) goes through :class:`SafeDepthLoader`: PyYAML
composes nodes recursively, so a hostile file nested thousands of levels deep would end in a
RecursionError; nesting beyond :data:`MAX_YAML_DEPTH` is a one-line error instead, and so is a
file larger than :data:`MAX_YAML_BYTES`.
"""

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


# Real app and flow files nest under ten levels and are a few hundred kB at most.
MAX_YAML_DEPTH = 64
MAX_YAML_BYTES = 8_000_000


class YamlTooDeep(yaml.YAMLError):
    """Raised by :class:`SafeDepthLoader`; ``line`` is 1-based."""

    def __init__(self, line: int) -> None:
        super().__init__(f"nests deeper than {MAX_YAML_DEPTH} levels")
        self.line = line


class SafeDepthLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses nesting deeper than :data:`MAX_YAML_DEPTH`."""

    _depth = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise YamlTooDeep(self.peek_event().start_mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def too_big(size: int) -> str | None:
    """The problem with a YAML file of ``size`` bytes, or None."""
    if size > MAX_YAML_BYTES:
        return (f"file is {size / 1e6:.1f} MB; darkscan reads YAML files of at most "
                f"{MAX_YAML_BYTES // 1_000_000} MB")
    return None


class _Loader(SafeDepthLoader):
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
    if (problem := too_big(len(text.encode("utf-8", "surrogatepass")))) is not None:
        raise AppFileError(path, problem)
    loader = _Loader(text)
    loader.path = path
    try:
        return loader.get_single_data()
    except YamlTooDeep as exc:
        raise AppFileError(path, str(exc), exc.line) from None
    except RecursionError:
        raise AppFileError(path, "nests too deeply") from None
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
