"""Anchors: the anchors a postmortem's page has, and the rule that a link's ``#anchor`` exists.

Anchors are computed as Python-Markdown's ``toc`` computes them for headings; an explicit
``{#id}`` on a heading and ``<a id="...">`` count too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from generator.checks.diagnostics import report_problem, shorten_text
from generator.checks.source import count_heading_lines
from generator.errors import Diagnostic
from generator.models import Postmortem

if TYPE_CHECKING:  # the scope collects anchors with this module: a cycle at run time
    from generator.checks.scope import Scope

_HEADING_ID = re.compile(r"\{:?[^}]*?#(?P<id>[\w-]+)[^}]*\}\s*#*\s*$")
_ATTR_LIST = re.compile(r"\s*\{:?[^}]*\}\s*$")
_HTML_ID = re.compile(r"<a\s[^>]*?\b(?:id|name)\s*=\s*[\"']?(?P<id>[^\"'\s>]+)", re.IGNORECASE)
_NUMBERED_ANCHOR = re.compile(r"^(.*)_([0-9]+)$")


def make_heading_anchor(text: str, taken: set[str]) -> str:
    """Return the anchor Python-Markdown's ``toc`` gives a heading, and mark it taken.

    Lower case, accents folded to ASCII, punctuation dropped, spaces and hyphens joined into one
    ``-``; a repeated (or empty) anchor gets ``_1``, ``_2`` ... as toc's ``unique`` does.
    """
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    anchor = re.sub(r"[-\s]+", "-", value)
    if anchor in taken or not anchor:
        numbered = _NUMBERED_ANCHOR.match(anchor)
        base, number = (numbered[1], int(numbered[2])) if numbered else (anchor, 0)
        while True:
            number += 1
            candidate = f"{base}_{number}"
            if candidate not in taken:
                break
        anchor = candidate
    taken.add(anchor)
    return anchor


def check_anchors(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK020: a link's ``#anchor`` leads to a heading.

    The heading is looked for in this postmortem, or in the other postmortem the link leads to
    when that one is checked in the same run.

    Anchors are computed as Python-Markdown's ``toc`` does; an explicit ``{#id}`` on a heading
    and ``<a id="...">`` count too.
    """
    for link in scope.links(postmortem):
        if not link.fragment:
            continue
        target = postmortem if link.resolved is None else scope.files.get(link.resolved)
        if target is None or link.fragment in scope.anchors(target):
            continue
        where = "this postmortem" if link.resolved is None else f"'{shorten_text(link.path)}'"
        yield report_problem(
            postmortem,
            link.line,
            "PMK020",
            f"anchor '#{shorten_text(link.fragment)}' matches no heading of {where}: link to a "
            "heading's anchor (lower case, punctuation dropped, spaces as '-')",
            column=link.column,
        )


def collect_anchors(postmortem: Postmortem, lines: Iterable[tuple[int, str]]) -> frozenset[str]:
    """Return the anchors a postmortem's page has: its headings' and its explicit ``id``s.

    ``lines`` are its prose lines (:func:`~generator.checks.source.read_prose_lines`), which
    the scope reads once for every rule.
    """
    taken: set[str] = set()
    for section in postmortem.sections:
        if count_heading_lines(section) == 0:
            continue
        first = section.markdown.split("\n", 1)[0]
        explicit = _HEADING_ID.search(first)
        if explicit is not None:
            taken.add(explicit["id"])
        else:
            make_heading_anchor(_ATTR_LIST.sub("", section.heading), taken)
    for _, text in lines:
        taken.update(match["id"] for match in _HTML_ID.finditer(text))
    return frozenset(taken)
