"""From the bytes of a file to clean text and front matter.

Postmortems arrive from wikis, chat exports and editors on every platform, so reading them is
forgiving and says what it forgave: a byte-order mark and CRLF line ends are dropped silently;
text that is not UTF-8 is read as Windows-1252 with a warning; mojibake (UTF-8 read as
Windows-1252 somewhere upstream, like the seed's ``âœ…``) is repaired sequence by sequence, so a
line that mixes damaged and correct characters keeps the correct ones. Only a binary file is
refused.

Front matter is YAML between ``---`` lines or TOML between ``+++`` lines, at the very top.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from typing import Any

import yaml
from ftfy import TextFixerConfig, fix_text

from generator.errors import Diagnostic, Location, Severity

# Only encoding repair: the other fixers of ftfy would rewrite what authors wrote on purpose
# (full-width brackets in Japanese text, curly quotes, HTML entities).
_REPAIR_ONLY = TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=False,
    decode_inconsistent_utf8=True,
    fix_c1_controls=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

# A UTF-8 lead byte seen through Windows-1252 (Â-ô) followed by a continuation byte seen the same
# way. Text without such a pair has no mojibake to repair, and skipping ftfy then keeps reading
# fast.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_BINARY_SAMPLE = 8192
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """A postmortem file read into text, front matter split off."""

    path: str
    """The path as given."""
    front_matter: dict[str, Any]
    """The front matter, parsed (empty when there is none or it is broken)."""
    front_matter_lines: dict[str, int]
    """Source line of each top-level front matter key."""
    body: str
    """Everything after the front matter."""
    body_line: int
    """The 1-based source line where the body starts."""


def decode_bytes(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Return the text of a file's bytes, or None for a binary file, with what was forgiven."""
    if b"\x00" in data[:_BINARY_SAMPLE]:
        return None, [
            _diagnostic(
                path,
                1,
                "PMK001",
                Severity.ERROR,
                "this is a binary file, not a postmortem; move it out of the postmortems folder",
            )
        ]
    diagnostics: list[Diagnostic] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        text = data.decode("cp1252", errors="replace")
        diagnostics.append(
            _diagnostic(
                path,
                line,
                "PMK002",
                Severity.WARNING,
                "the file is not UTF-8 (first bad byte on this line); it was read as "
                "Windows-1252: re-save it as UTF-8",
            )
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return repair_mojibake(text), diagnostics


def repair_mojibake(text: str) -> str:
    """Return ``text`` with UTF-8-read-as-Windows-1252 sequences decoded again."""
    if not _MOJIBAKE_HINT.search(text):
        return text
    return fix_text(text, _REPAIR_ONLY)


def split_front_matter(text: str, path: str) -> tuple[Source, list[Diagnostic]]:
    """Return the source with its front matter parsed, and what was wrong with it."""
    fence = text[:4]
    if fence not in ("---\n", "+++\n"):
        return Source(path=path, front_matter={}, front_matter_lines={}, body=text, body_line=1), []
    closing = re.compile(rf"^{re.escape(fence[:3])}[ \t]*$", re.MULTILINE)
    end = closing.search(text, 4)
    if end is None:
        # A lone opening fence is a thematic break, not front matter: the text is all body.
        return Source(path=path, front_matter={}, front_matter_lines={}, body=text, body_line=1), [
            _diagnostic(
                path,
                1,
                "PMK003",
                Severity.WARNING,
                f"front matter opened with '{fence[:3]}' is never closed; add a closing "
                f"'{fence[:3]}' line, or a blank line first if this is a horizontal rule",
            )
        ]
    raw = text[4 : end.start()]
    body_start = end.end() + 1 if end.end() < len(text) else end.end()
    body_line = text.count("\n", 0, body_start) + 1
    loader = _load_yaml if fence == "---\n" else _load_toml
    data, diagnostics = loader(raw, path)
    lines = _key_lines(raw, toml=fence == "+++\n") if data else {}
    source = Source(
        path=path,
        front_matter=data,
        front_matter_lines=lines,
        body=text[body_start:],
        body_line=body_line,
    )
    return source, diagnostics


def _load_yaml(raw: str, path: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    loader = _FrontMatterLoader(raw)
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_size(node) > _MAX_NODES:
            return {}, [
                _diagnostic(
                    path,
                    2,
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
        line = mark.line + 2 if mark is not None else 1  # +1 for 1-based, +1 for the fence
        problem = error.problem or error.context or "invalid YAML"
        return {}, [
            _diagnostic(
                path,
                line,
                "PMK003",
                Severity.ERROR,
                f"front matter is not valid YAML ({problem}); fix it, or quote values that "
                "contain ':' or start with '[', '{', '*', '&' or '@'",
            )
        ]
    except yaml.YAMLError as error:
        return {}, [_diagnostic(path, 2, "PMK003", Severity.ERROR, f"front matter: {error}")]
    finally:
        loader.dispose()
    return _as_mapping(data, path)


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


def _load_toml(raw: str, path: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) + 1 if match else 1
        return {}, [
            _diagnostic(
                path,
                line,
                "PMK003",
                Severity.ERROR,
                f"front matter is not valid TOML ({error}); fix it or switch to YAML between "
                "'---' lines",
            )
        ]
    return _as_mapping(data, path)


def _as_mapping(data: object, path: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [
            _diagnostic(
                path,
                2,
                "PMK003",
                Severity.ERROR,
                "front matter must be a mapping of 'key: value' lines, not a "
                f"{type(data).__name__}",
            )
        ]
    return {str(key): value for key, value in data.items()}, []


_YAML_KEY = re.compile(r"^([^\s#:][^:]*?)\s*:(?:\s|$)")
_TOML_KEY = re.compile(r"^([A-Za-z0-9_\-\"']+)\s*=")


def _key_lines(raw: str, *, toml: bool) -> dict[str, int]:
    """Map each top-level key of the front matter to its source line."""
    pattern = _TOML_KEY if toml else _YAML_KEY
    lines: dict[str, int] = {}
    for number, line in enumerate(raw.split("\n"), start=2):
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


def _diagnostic(path: str, line: int, code: str, severity: Severity, message: str) -> Diagnostic:
    return Diagnostic(
        location=Location(path=path, line=line), code=code, severity=severity, message=message
    )
