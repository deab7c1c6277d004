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
import enum
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
BINARY_SAMPLE = 8192
"""How many bytes at the start of a file tell a binary file (one with a NUL byte)."""
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


class FrontMatter(enum.Enum):
    """What the top of a file holds, as far as front matter goes."""

    NONE = "none"
    """No front matter: the file starts with its body."""
    READ = "read"
    """Front matter, read into a mapping."""
    BROKEN = "broken"
    """Fenced front matter that is not valid YAML or TOML, or not a mapping: nothing was read."""
    UNREAD = "unread"
    """Something that may be front matter but was not read as such (a fence never closed, or an
    odd fence around text that is no mapping): it is part of the body."""


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
    state: FrontMatter = FrontMatter.NONE
    """Whether front matter was found and read."""
    fence_line: int = 1
    """The line of the opening fence (or of the first line, without one)."""
    front_matter_text: str = ""
    """The front matter as written, between its fences."""


def is_binary(data: bytes) -> bool:
    """Return whether bytes are those of a binary file (a NUL byte at the start)."""
    return b"\x00" in data[:BINARY_SAMPLE]


def decode_bytes(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Return the text of a file's bytes, or None for a binary file, with what was forgiven."""
    if is_binary(data):
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
    """Return the source with its front matter parsed, and what was wrong with it.

    Front matter is read where authors put it, not only where it belongs: after blank lines,
    with blanks after the opening fence, closed by YAML's ``...``. Other tools (GitHub, MkDocs
    for a file in ``docs/``) may read such a file differently, so each of those shapes is an
    error to fix, but pmkb still reads what it says (``internal: true`` above all).
    """
    opening = _OPENING.match(text)
    if opening is None:
        return _body_only(path, text, FrontMatter.NONE, 1), []
    fence = opening.group(1)
    fence_line = text.count("\n", 0, opening.start(1)) + 1
    closing = (_YAML_CLOSING if fence == "---" else _TOML_CLOSING).search(text, opening.end())
    if closing is None:
        # A lone opening fence is a thematic break, not front matter: the text is all body.
        return _body_only(path, text, FrontMatter.UNREAD, fence_line), [
            _diagnostic(
                path,
                fence_line,
                "PMK003",
                Severity.WARNING,
                f"front matter opened with '{fence}' is never closed; add a closing "
                f"'{fence}' line, or a blank line first if this is a horizontal rule",
            )
        ]
    odd = _odd_fences(text, opening, closing)
    raw = text[opening.end() : closing.start()]
    body_start = closing.end() + 1 if closing.end() < len(text) else closing.end()
    body_line = text.count("\n", 0, body_start) + 1
    toml = fence == "+++"
    data, diagnostics = (_load_toml if toml else _load_yaml)(raw, path, fence_line)
    if odd and diagnostics and not any(_key_lines(raw, toml=toml, first=fence_line + 1)):
        # Text between two odd rules ("---  " then a paragraph then "..."): no front matter.
        return _body_only(path, text, FrontMatter.UNREAD, fence_line), []
    if odd:
        diagnostics.insert(
            0,
            _diagnostic(
                path,
                fence_line,
                "PMK003",
                Severity.ERROR,
                f"the front matter's fences are off ({'; '.join(odd)}); pmkb reads it, but other "
                f"tools do not: put '{fence}' alone on the first line and close with '{fence}'",
            ),
        )
    broken = any(d.severity is Severity.ERROR for d in diagnostics[1 if odd else 0 :])
    source = Source(
        path=path,
        front_matter=data,
        front_matter_lines=_key_lines(raw, toml=toml, first=fence_line + 1) if data else {},
        body=text[body_start:],
        body_line=body_line,
        state=FrontMatter.BROKEN if broken else FrontMatter.READ,
        fence_line=fence_line,
        front_matter_text=raw,
    )
    return source, diagnostics


# The first line that is not blank is a fence ("---" or "+++", maybe followed by blanks).
_OPENING = re.compile(r"\A(?:[ \t]*\n)*(---|\+\+\+)([ \t]*)\n")
_YAML_CLOSING = re.compile(r"^(---|\.\.\.)[ \t]*$", re.MULTILINE)
_TOML_CLOSING = re.compile(r"^\+\+\+[ \t]*$", re.MULTILINE)


def _odd_fences(text: str, opening: re.Match[str], closing: re.Match[str]) -> list[str]:
    """Say what is off about front matter fences that are not exactly where they belong."""
    odd = []
    if opening.start(1) > 0:
        odd.append("blank lines before the opening fence")
    if opening.group(2):
        odd.append("blanks after the opening fence")
    if closing.group(0).startswith("..."):
        odd.append("closed with '...'")
    return odd


def _body_only(path: str, text: str, state: FrontMatter, fence_line: int) -> Source:
    return Source(
        path=path,
        front_matter={},
        front_matter_lines={},
        body=text,
        body_line=1,
        state=state,
        fence_line=fence_line,
    )


# Python refuses to turn an integer of more than 4,300 digits into text (or text into one):
# front matter keeps longer numbers as the text written.
_MAX_DIGITS = 4_000
# Deeper than this, a front matter value is no postmortem's metadata, and walking it (pmkb's
# own code is recursive over values) could exhaust the stack.
_MAX_DEPTH = 64
_LOAD_ERRORS = (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError)


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    if len(str(node.value)) > _MAX_DIGITS:
        return str(node.value)
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _load_yaml(raw: str, path: str, fence_line: int = 1) -> tuple[dict[str, Any], list[Diagnostic]]:
    loader = _FrontMatterLoader(raw)
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_size(node) > _MAX_NODES:
            return {}, [
                _diagnostic(
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
            _diagnostic(
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
    return _diagnostic(
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


def _load_toml(raw: str, path: str, fence_line: int = 1) -> tuple[dict[str, Any], list[Diagnostic]]:
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) + fence_line if match else fence_line
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
            _diagnostic(
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
            _diagnostic(
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


def _key_lines(raw: str, *, toml: bool, first: int = 2) -> dict[str, int]:
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


def _diagnostic(path: str, line: int, code: str, severity: Severity, message: str) -> Diagnostic:
    return Diagnostic(
        location=Location(path=path, line=line), code=code, severity=severity, message=message
    )
