"""Front matter loading: YAML or TOML text to a plain mapping, safely.

Front matter is untrusted text: loading it never runs code, never hangs on nested aliases, keeps
dates and huge integers as the text written, and refuses values nested deeper than any metadata
is. What cannot be read becomes a diagnostic that says where and what to do.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from typing import Any

import yaml

from generator.errors import Diagnostic, Severity
from generator.parse.encoding import make_diagnostic

# libyaml's loader when PyYAML was built with it (its wheels are): several times faster.
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FrontMatterLoader(_SAFE_LOADER):  # type: ignore[valid-type,misc]
    """A safe loader that keeps dates as the text written.

    ``date: 2025-13-45`` is then a value ``pmkb check`` can point at (PMK014), not an exception,
    and every date reaches the parser the same way, whatever the YAML spelling.
    """


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _SAFE_LOADER.yaml_implicit_resolvers.items()
}
# A "billion laughs" of nested aliases must not hang the build; real front matter holds tens.
_MAX_NODES = 10_000


# Python refuses to turn an integer of more than 4,300 digits into text (or text into one):
# front matter keeps longer numbers as the text written.
_MAX_DIGITS = 4_000
# Deeper than this, a front matter value is no postmortem's metadata, and walking it (pmkb's
# own code is recursive over values) could exhaust the stack.
_MAX_DEPTH = 64
_LOAD_ERRORS = (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError)


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    """Load an integer, or keep it as the text written when it is too long for Python."""
    if len(str(node.value)) > _MAX_DIGITS:
        return str(node.value)
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def load_yaml(raw: str, path: str, fence_line: int = 1) -> tuple[dict[str, Any], list[Diagnostic]]:
    loader = _FrontMatterLoader(raw)
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_size(node) > _MAX_NODES:
            return {}, [
                make_diagnostic(
                    path,
                    fence_line + 1,
                    "PMK003",
                    Severity.ERROR,
                    "front matter expands to more than "
                    f"{_MAX_NODES:,} values through YAML aliases; write the values out",
                )
            ]
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark is not None and (mark is None or mark.line >= raw.count("\n")):
            # Noticed only at the end ("[2025-01-02" never closed): point where it began.
            mark = error.context_mark
        # +1 for 1-based lines, and the fence line before the first line of the front matter.
        line = mark.line + fence_line + 1 if mark is not None else fence_line
        problem = error.problem or error.context or "invalid YAML"
        return {}, [
            make_diagnostic(
                path,
                line,
                "PMK003",
                Severity.ERROR,
                f"front matter is not valid YAML ({problem}); fix it, or quote values that "
                "contain ':' or start with '[', '{', '*', '&' or '@'",
            )
        ]
    except _LOAD_ERRORS as error:
        return {}, [_unreadable(path, fence_line + 1, "YAML", error)]
    finally:
        loader.dispose()
    return _as_mapping(data, path, fence_line)


def _unreadable(path: str, line: int, language: str, error: BaseException) -> Diagnostic:
    if isinstance(error, RecursionError):
        problem = "values nested too deeply"
    elif isinstance(error, ValueError) and "digits" in str(error):
        problem = "a number of thousands of digits"
    else:
        problem = str(error).split("\n", 1)[0][:200] or type(error).__name__
    return make_diagnostic(
        path,
        line,
        "PMK003",
        Severity.ERROR,
        f"front matter is not valid {language} ({problem}); fix the value, or quote it",
    )


def _expanded_size(root: yaml.Node) -> int:
    """Count the values a YAML document holds once its aliases are expanded (stops early)."""
    count = 0
    stack = [root]
    while stack and count <= _MAX_NODES:
        node = stack.pop()
        count += 1
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return count


def load_toml(raw: str, path: str, fence_line: int = 1) -> tuple[dict[str, Any], list[Diagnostic]]:
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) + fence_line if match else fence_line
        return {}, [
            make_diagnostic(
                path,
                line,
                "PMK003",
                Severity.ERROR,
                f"front matter is not valid TOML ({error}); fix it or switch to YAML between "
                "'---' lines",
            )
        ]
    except _LOAD_ERRORS as error:
        return {}, [_unreadable(path, fence_line + 1, "TOML", error)]
    return _as_mapping(data, path, fence_line)


def _as_mapping(
    data: object, path: str, fence_line: int = 1
) -> tuple[dict[str, Any], list[Diagnostic]]:
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [
            make_diagnostic(
                path,
                fence_line + 1,
                "PMK003",
                Severity.ERROR,
                "front matter must be a mapping of 'key: value' lines, not a "
                f"{type(data).__name__}",
            )
        ]
    try:
        tamed = _tame(data, 0)
    except _TooDeepError:
        return {}, [
            make_diagnostic(
                path,
                fence_line + 1,
                "PMK003",
                Severity.ERROR,
                f"front matter nests values more than {_MAX_DEPTH} deep; flatten it",
            )
        ]
    return {str(key): value for key, value in tamed.items()}, []


class _TooDeepError(Exception):
    """A front matter value nests deeper than :data:`_MAX_DEPTH`."""


def _tame(value: Any, depth: int) -> Any:
    """Return a front matter value every part of pmkb can turn into text.

    Integers too long for ``str()`` (TOML's hexadecimal ones can be read) become their
    hexadecimal text; mapping keys become text.
    """
    if depth > _MAX_DEPTH:
        raise _TooDeepError
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return hex(value) if value.bit_length() > _MAX_DIGITS * 3 else value
    if isinstance(value, dict):
        return {_key_text(key): _tame(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_tame(item, depth + 1) for item in value]
    if isinstance(value, (set, frozenset)):
        return [_tame(item, depth + 1) for item in sorted(value, key=repr)]
    return value


def _key_text(key: object) -> str:
    tamed = _tame(key, _MAX_DEPTH)
    return format_value(tamed) if not isinstance(tamed, str) else tamed


_YAML_KEY = re.compile(r"^([^\s#:][^:]*?)\s*:(?:\s|$)")
_TOML_KEY = re.compile(r"^([A-Za-z0-9_\-\"']+)\s*=")


def find_key_lines(raw: str, *, toml: bool, first: int = 2) -> dict[str, int]:
    """Map each top-level key of the front matter (starting on line ``first``) to its line."""
    pattern = _TOML_KEY if toml else _YAML_KEY
    lines: dict[str, int] = {}
    for number, line in enumerate(raw.split("\n"), start=first):
        if toml and line.startswith("["):
            break  # keys after a table header belong to that table
        match = pattern.match(line)
        if match:
            lines.setdefault(match.group(1).strip("\"'"), number)
    return lines


def format_value(value: object) -> str:
    """Return a front matter value as text (lists joined with commas)."""
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {format_value(item)}" for key, item in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return "" if value is None else str(value)
