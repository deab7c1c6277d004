"""Links between postmortems: the links a postmortem makes, and the rule that they lead to a file.

Links are found in the prose lines (links in code are not links); only relative links to a
Markdown file, or to an anchor of the page itself, stay in the knowledge base and are kept.
Links are resolved against the file system, since a link may name any file.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from generator.checks.diagnostics import report_problem, shorten_text
from generator.errors import Diagnostic
from generator.models import Postmortem

if TYPE_CHECKING:  # the scope finds links with this module: a cycle at run time
    from generator.checks.scope import Scope

_INLINE_LINK = re.compile(
    r"(?<![!\\])\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(?P<target><[^>\n]*>|[^\s()]+(?:\([^\s()]*\))?)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(?P<target><[^>\n]*>|\S+)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_POSTMORTEM_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """A link of a postmortem to a Markdown file or to an anchor."""

    line: int
    """Source line of the link."""
    column: int
    """Column where the link (or the link definition's target) starts."""
    path: str
    """The file part of the target, as written (empty for a link within the page)."""
    fragment: str
    """The anchor, decoded (empty when there is none)."""
    resolved: Path | None
    """The file a link to a Markdown file names; None for other links."""


def find_links(postmortem: Postmortem, scope: Scope) -> Iterator[Link]:
    """Yield the links of a postmortem to a Markdown file or to an anchor of its own page."""
    here = scope.settings.locate(postmortem.source).parent
    for line, text in scope.prose_lines(postmortem):
        for column, target in _find_link_targets(text):
            path, _, fragment = target.partition("#")
            path = path.split("?", 1)[0]
            if not path:
                if fragment:
                    yield Link(
                        line=line, column=column, path="", fragment=unquote(fragment), resolved=None
                    )
                continue
            if path.lower().endswith(_POSTMORTEM_SUFFIXES):
                yield Link(
                    line=line,
                    column=column,
                    path=path,
                    fragment=unquote(fragment),
                    resolved=(here / unquote(path)).resolve(),
                )


def check_links(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK019: a relative link to a Markdown file (another postmortem) leads to a file.

    The file is looked for next to the postmortem, as the link says; links in code are not
    links, and links with a scheme (``https:``) or from the site's root (``/``) are not checked.
    """
    for link in scope.links(postmortem):
        target = scope.files.get(link.resolved) if link.resolved is not None else None
        if target is not None and target.internal and scope.settings.public:
            if not postmortem.internal:
                yield report_problem(
                    postmortem,
                    link.line,
                    "PMK019",
                    f"link to '{shorten_text(link.path)}' leads to an internal postmortem, which "
                    "a public build leaves out: the site shows the link's text only; link to a "
                    "public page instead, or remove the link",
                    column=link.column,
                )
            continue
        if link.resolved is None or link.resolved in scope.files or link.resolved.is_file():
            continue
        yield report_problem(
            postmortem,
            link.line,
            "PMK019",
            f"link to '{shorten_text(link.path)}' leads nowhere: there is no file "
            f"{_show_target(postmortem.source, link.path)}; fix the link, or remove it",
            column=link.column,
        )


def _show_target(source: str, path: str) -> str:
    """Return a link's target as diagnostics name files: from where the source is named."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(path)))


def _find_link_targets(text: str) -> Iterator[tuple[int, str]]:
    """Yield (column, target) of the inline links and link definitions of a line."""
    if "](" not in text and "]:" not in text:
        return
    definition = _LINK_DEFINITION.match(text)
    if definition is not None:
        yield definition.start("target") + 1, definition["target"].strip("<>")
        return
    for match in _INLINE_LINK.finditer(text):
        target = match["target"].strip("<>").strip()
        if target and not _SCHEME.match(target) and not target.startswith(("/", "\\")):
            yield match.start() + 1, target
