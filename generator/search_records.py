"""What the search index holds: one record per incident, made from its model, not its HTML.

A record is the incident's URL, its text and the facts a search result shows (title, date,
severity, status). The text is what the author wrote, section by section, with the Markdown
markers taken off so that a result's snippet reads as prose; pmkb's page furniture ("Related
incidents", "Source:", navigation) is never in it, so it never answers a query. Hand-written
pages get a record from their Markdown, the same way.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field

from generator.build_cache import BuildCache, make_key
from generator.labels import STATUS_LABELS
from generator.models import Postmortem
from generator.page_workers import map_on_cores


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchRecord:
    """One entry of the search index."""

    url: str
    """The page's URL relative to the site's root (``incidents/db-outage/``)."""
    title: str
    """The result's heading."""
    content: str
    """The text that is searched and that snippets come from."""
    meta: dict[str, str] = field(default_factory=dict)
    """Facts shown with the result: ``date``, ``severity``, ``status``."""


def build_incident_record(postmortem: Postmortem, url: str) -> SearchRecord:
    """Return the search record of one incident."""
    parts = [postmortem.summary] if postmortem.summary else []
    for section in postmortem.sections:
        if section.heading:
            parts.append(section.heading)
        parts.append(section.markdown)
    meta = {"title": postmortem.title, "kind": "incident"}
    if postmortem.date is not None:
        meta["date"] = postmortem.date.isoformat()
    if postmortem.severity:
        meta["severity"] = postmortem.severity
    meta["status"] = STATUS_LABELS[postmortem.status]
    return SearchRecord(
        url=url,
        title=postmortem.title,
        content=strip_markdown("\n".join(parts)),
        meta=meta,
    )


def build_incident_records(
    incidents: Sequence[tuple[Postmortem, str]], *, cache: BuildCache | None = None
) -> Generator[SearchRecord, None, None]:
    """Yield the records of ``(postmortem, url)`` pairs, in their order, as they are made.

    With a build ``cache``, a record made by an earlier build from the same model (its parse's
    key, which covers the file and pmkb's code) for the same URL is taken from it; the others
    are made on every core and kept there. Close the generator to stop early.
    """
    keys = [
        make_key("record", cache.fingerprints.get(p.source) or repr(p), url) if cache else ""
        for p, url in incidents
    ]
    found = [cache.get(key) if cache else None for key in keys]
    records = {n: r for n, r in enumerate(found) if isinstance(r, SearchRecord)}
    del found
    missing = [n for n in range(len(incidents)) if n not in records]

    def build(number: int) -> SearchRecord:
        record = build_incident_record(*incidents[number])
        if cache is not None:
            cache.put(keys[number], record)  # in a worker, its file: this process keeps the key
        return record

    with map_on_cores(missing, build) as results:
        made = iter(results())
        for number in range(len(incidents)):
            record = records.pop(number, None)
            if record is None:
                record = next(made)  # the next missing one is this one: both go in order
                if cache is not None:
                    cache.keep(keys[number], record)
            yield record


def build_page_record(url: str, title: str, markdown: str) -> SearchRecord:
    """Return the search record of a hand-written page from its Markdown."""
    return SearchRecord(
        url=url,
        title=title,
        content=strip_markdown(markdown),
        meta={"title": title, "kind": "page"},
    )


_MARKDOWN_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<!--.*?-->", re.DOTALL), " "),
    (re.compile(r"^```.*$|^~~~.*$", re.MULTILINE), ""),
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # images: their alt text
    (re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # links: their text
    (re.compile(r"<[^>\n]+>"), " "),  # inline HTML tags
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE), ""),  # heading markers
    (re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+(?:\[[ xX]\][ \t]*)?", re.M), ""),  # list markers
    (re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE), ""),  # quotes
    (re.compile(r"^[ \t|:-]*-{3,}[ \t|:-]*$", re.MULTILINE), ""),  # table rules
    # Table cells. The blanks before a "|" are left to the rule for runs of blanks below:
    # a pattern that starts with them is tried at every character (ten times slower).
    (re.compile(r"\|[ \t]*"), " · "),
    (re.compile(r"(\*\*|__|~~|`)"), ""),  # emphasis and code markers
    # Written to start with the literal they look for, so that the scan skips ahead to it (a
    # lookbehind first is tried at every character: 30 times slower on a postmortem).
    (re.compile(r"\*(?:(?<![\w*]\*)(?=\S)|(?<=\S\*)(?![\w*]))"), ""),  # emphasis stars
    (re.compile(r"\t[ \t]*| [ \t]+"), " "),  # runs of blanks; a lone space stays as it is
    (re.compile(r"\n{2,}"), "\n"),
)


def strip_markdown(text: str) -> str:
    """Return Markdown as plain text: links, emphasis, list and table markers taken off."""
    for pattern, replacement in _MARKDOWN_RULES:
        text = pattern.sub(replacement, text)
    lines = (line.strip(" ·") for line in text.splitlines())
    return "\n".join(line for line in lines if line)
