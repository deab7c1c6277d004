"""Visibility: whether a postmortem may be published, decided in one place, failing closed.

A public build (``public: true``) leaves out every postmortem that is not plainly public. The
decision is :func:`read_visibility`'s, from the front matter as read (:mod:`.source`), what may
have been meant as front matter but could not be read, and the body's metadata fields:

* ``internal: true`` (or ``false``) at the top level of readable front matter is the plain way;
* the same said another way is honoured, and an error asks for the plain way: the key in
  another case (``Internal: True``, TOML ``INTERNAL = true``), a synonym (``private``,
  ``confidential``, ``restricted``, ``public: false``), ``visibility: internal``, or a body
  field (``**Visibility:** Internal``);
* anything that leaves a doubt is *in doubt*, which a public build treats as internal: front
  matter that cannot be read, a value that is neither true nor false, ``internal`` nested
  inside another key, a line such as ``internal: true`` in front matter whose fence is never
  closed, or in a first block that looks like front matter without its fences.

Each of those gives a PMK005 error naming the line and the fix, so ``pmkb check`` fails on it
and a public build says why the postmortem is missing.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from generator.errors import Diagnostic, Location, Severity
from generator.models import Field
from generator.parse.front_matter import format_value
from generator.parse.source import FrontMatter, Source

CODE = "PMK005"
"""The code of every diagnostic about a postmortem's visibility."""


class Visibility(enum.Enum):
    """Whether a postmortem may go into a public build."""

    PUBLIC = "public"
    """Nothing marks it internal, and nothing leaves a doubt."""
    INTERNAL = "internal"
    """Marked internal: left out of public builds."""
    IN_DOUBT = "in doubt"
    """pmkb cannot tell: left out of public builds too, with an error saying why."""


# Yes/no keys that mark a postmortem internal when true ("public" when false).
_FLAG_KEYS = frozenset({"internal", "private", "confidential", "restricted", "secret"})
_INVERSE_KEYS = frozenset({"public"})
# Keys whose value names a visibility ("visibility: internal").
_LEVEL_KEYS = frozenset({"visibility", "classification", "confidentiality", "audience"})
_INTERNAL_LEVELS = frozenset(
    {"internal", "private", "confidential", "restricted", "secret", "internal only"}
)
_PUBLIC_LEVELS = frozenset({"public", "external", "everyone", ""})
_TRUE = frozenset({"true", "yes", "y", "on", "1"})
_FALSE = frozenset({"false", "no", "n", "off", "0", ""})
_ALL_KEYS = _FLAG_KEYS | _INVERSE_KEYS | _LEVEL_KEYS
# A line that states a visibility key, as front matter or as a metadata line would:
# "internal: true", "Internal = true", "- **Visibility:** internal", '"private": yes'.
_KEY_LINE = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__)?[\"']?(?P<key>"
    + "|".join(sorted(_ALL_KEYS))
    + r")[\"']?[ \t]*(?:\*\*|__)?[ \t]*[:=]",
    re.IGNORECASE | re.MULTILINE,
)


def read_flag(value: object) -> bool | None:
    """Read a yes/no front matter value: False when absent, None when unreadable."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = value.strip().lower() if isinstance(value, str) else None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def read_visibility(source: Source, fields: Iterable[Field]) -> tuple[Visibility, list[Diagnostic]]:
    """Return whether a postmortem may be published, and each problem that leaves a doubt."""
    found: list[tuple[Visibility, int, str | None]] = []
    found.extend(_from_unread_text(source))
    found.extend(_from_front_matter(source))
    found.extend(_from_body_fields(fields))
    visibilities = {visibility for visibility, _, _ in found}
    if Visibility.INTERNAL in visibilities:
        decided = Visibility.INTERNAL
    elif Visibility.IN_DOUBT in visibilities or any(message for _, _, message in found):
        # Only a postmortem that says nothing about visibility, or says it plainly, is public:
        # "Internal: false" is left out too until it is written the way every tool reads.
        decided = Visibility.IN_DOUBT
    else:
        decided = Visibility.PUBLIC
    said = {line: message for _, line, message in reversed(found) if message is not None}
    diagnostics = [
        Diagnostic(
            location=Location(path=source.path, line=line),
            code=CODE,
            severity=Severity.ERROR,
            message=message,
        )
        for line, message in sorted(said.items())  # one problem per line: the first found
    ]
    return decided, diagnostics


_LEFT_OUT = "public builds leave this postmortem out until then"


def _from_unread_text(source: Source) -> Iterator[tuple[Visibility, int, str | None]]:
    """Front matter pmkb could not read, or a visibility line outside any front matter."""
    if source.state is FrontMatter.BROKEN:
        yield (
            Visibility.IN_DOUBT,
            source.fence_line,
            "the front matter cannot be read (see PMK003), so pmkb cannot tell whether this "
            f"postmortem is internal; fix the front matter: {_LEFT_OUT}",
        )
        return
    if source.state is FrontMatter.UNREAD:
        text, why = source.body, "is not read as front matter (its fences are not '---' lines)"
    elif source.state is FrontMatter.NONE:
        text, why = _first_block(source.body), "sits in the body, not in front matter"
    else:
        return
    match = _KEY_LINE.search(text)
    if match is not None:
        line = source.body_line + text.count("\n", 0, match.start())
        written = text[match.start() :].split("\n", 1)[0].strip()
        yield (
            Visibility.IN_DOUBT,
            line,
            f"'{written[:80]}' {why}, so pmkb cannot tell whether this postmortem is "
            "internal; put the front matter between two '---' lines at the very top of the "
            f"file: {_LEFT_OUT}",
        )


def _first_block(body: str) -> str:
    """Return a file's first block: where front matter without its fences would be."""
    start = len(body) - len(body.lstrip("\n"))
    end = body.find("\n\n", start)
    return body if end < 0 else body[:end]


def _from_front_matter(source: Source) -> Iterator[tuple[Visibility, int, str | None]]:
    # The key lines as written must be the keys as read: YAML keeps the last of two equal keys
    # ("internal: true" then "internal: false" is public to it), and a quote or a block left
    # open swallows the lines after it into a value.
    raw = source.front_matter_text
    said: Counter[str] = Counter()
    for match in _KEY_LINE.finditer(raw):
        if match.group(0)[:1].isspace():
            continue  # inside a value; a nested key is found below
        key = match["key"]
        said[key] += 1
        line = source.fence_line + 1 + raw.count("\n", 0, match.start())
        if said[key] == 2:
            yield (
                Visibility.IN_DOUBT,
                line,
                f"'{key}' is set more than once in the front matter; keep one: {_LEFT_OUT}",
            )
        elif key not in source.front_matter and source.state is FrontMatter.READ:
            yield (
                Visibility.IN_DOUBT,
                line,
                f"'{key}' on this line is read as part of the value above it, not as a key; "
                f"close the quote or bracket above: {_LEFT_OUT}",
            )
    for key, value in source.front_matter.items():
        line = source.front_matter_lines.get(key, source.fence_line)
        name = key.strip().casefold()
        if name in _FLAG_KEYS or name in _INVERSE_KEYS:
            yield _flag(key, name, value, line)
        elif name in _LEVEL_KEYS:
            yield _level(key, value, line)
        elif name != "lessons":  # lesson titles are keys there, not settings
            nested = _nested_key(value)
            if nested is not None:
                yield (
                    Visibility.IN_DOUBT,
                    line,
                    f"'{nested}' inside '{key}' is not read; move it to the top level of the "
                    f"front matter as 'internal: true' or 'internal: false': {_LEFT_OUT}",
                )


def _flag(key: str, name: str, value: object, line: int) -> tuple[Visibility, int, str | None]:
    flag = read_flag(value)
    if flag is None:
        return (
            Visibility.IN_DOUBT,
            line,
            f"'{key}: {_shown(value)}' is neither true nor false, so pmkb cannot tell whether "
            f"this postmortem is internal; write 'internal: true' or 'internal: false': "
            f"{_LEFT_OUT}",
        )
    internal = flag if name not in _INVERSE_KEYS else not flag
    visibility = Visibility.INTERNAL if internal else Visibility.PUBLIC
    if key == "internal":
        return visibility, line, None
    return (
        visibility,
        line,
        f"pmkb reads '{key}: {_shown(value)}' as 'internal: {str(internal).lower()}', but other "
        f"tools will not; write 'internal: {str(internal).lower()}' (lower case)",
    )


def _level(key: str, value: object, line: int) -> tuple[Visibility, int, str | None]:
    level = " ".join(format_value(value).casefold().replace("-", " ").split())
    if level in _INTERNAL_LEVELS:
        visibility = Visibility.INTERNAL
    elif level in _PUBLIC_LEVELS:
        visibility = Visibility.PUBLIC
    else:
        return (
            Visibility.IN_DOUBT,
            line,
            f"'{key}: {_shown(value)}' says neither internal nor public, so pmkb cannot tell "
            f"whether this postmortem is internal; write 'internal: true' or "
            f"'internal: false': {_LEFT_OUT}",
        )
    internal = visibility is Visibility.INTERNAL
    return (
        visibility,
        line,
        f"pmkb reads '{key}: {_shown(value)}' as 'internal: {str(internal).lower()}', but other "
        f"tools will not; write 'internal: {str(internal).lower()}'",
    )


def _nested_key(value: Any) -> str | None:
    """Return a visibility key found inside a nested value, if any (values are shallow)."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for key, item in current.items():
                if str(key).strip().casefold() in _ALL_KEYS:
                    return str(key)
                stack.append(item)
        elif isinstance(current, list):
            stack.extend(current)
    return None


def _from_body_fields(fields: Iterable[Field]) -> Iterator[tuple[Visibility, int, str | None]]:
    for field in fields:
        if field.front_matter or field.name.strip().casefold() not in _ALL_KEYS:
            continue
        name = field.name.strip().casefold()
        if name in _LEVEL_KEYS:
            visibility, _, _ = _level(field.name, field.value, field.line)
        else:
            flag = read_flag(field.value)
            internal = None if flag is None else (flag if name not in _INVERSE_KEYS else not flag)
            visibility = (
                Visibility.IN_DOUBT
                if internal is None
                else Visibility.INTERNAL
                if internal
                else Visibility.PUBLIC
            )
        if visibility is Visibility.PUBLIC:
            continue
        yield (
            visibility,
            field.line,
            f"the body says '{field.name}: {field.value[:60]}'; pmkb keeps this postmortem out "
            "of public builds, but say it in the front matter: 'internal: true' between two "
            "'---' lines at the top of the file",
        )


def _shown(value: object) -> str:
    text = " ".join(format_value(value).split())
    return text if len(text) <= 40 else text[:39] + "…"
