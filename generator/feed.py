"""The Atom feed of incidents: ``feed.xml`` at the site's root, newest incident first.

Each entry has the incident's title, date, severity, status, summary and a link to its page.
Every date comes from the postmortem (its ``updated`` or ``last_updated`` front-matter key, else
its date), never from the clock or the files, so two builds of the same files give the same feed,
byte for byte. Ids are ``urn:uuid:`` names derived from the incident's id (and the feed's from the
site's name): they stay the same when the site moves. Links are absolute when ``site_url`` is set
in ``mkdocs.yml``, else relative to the feed's own address (feed readers resolve them against it).

The feed reads the catalog the pages read, so ``public: true`` leaves internal postmortems out of
it as everywhere else. Undated postmortems without an ``updated`` key have no date an entry could
carry, and are left out.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import urljoin

from generator.catalog import Catalog
from generator.labels import STATUS_LABELS
from generator.models import Postmortem
from generator.parse.text import plain_text
from generator.parse.times import parse_date

FEED_PATH = "feed.xml"
"""Where the feed lives in the site."""

FEED_LIMIT = 50
"""How many incidents the feed holds at most (the newest)."""

ATOM = "http://www.w3.org/2005/Atom"
"""Atom's XML namespace."""

UPDATED_KEYS = ("updated", "last_updated")
"""Front-matter keys that say when a postmortem was last changed."""

SUMMARY_LIMIT = 600
"""Characters of the summary an entry carries at most."""

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_feed(
    catalog: Catalog,
    *,
    site_name: str,
    site_url: str,
    page_url: Callable[[Postmortem], str],
) -> str:
    """Return the Atom feed of a catalog's newest incidents.

    ``page_url`` gives an incident page's URL relative to the site's root; ``site_url`` (may be
    empty) makes it absolute.
    """
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "title", f"{site_name}: incidents")
    _add(feed, "id", _urn(f"pmkb-feed:{site_name}"))
    entries = [(p, updated) for p in catalog if (updated := entry_updated(p)) is not None]
    entries = entries[:FEED_LIMIT]
    newest = max((updated for _, updated in entries), default=dt.date(1970, 1, 1))
    _add(feed, "updated", _stamp(newest))
    home = site_url.rstrip("/") + "/" if site_url else ""
    if home:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=urljoin(home, FEED_PATH))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=home or "./")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _add(author, "name", site_name)
    _add(feed, "generator", "pmkb")
    for postmortem, updated in entries:
        _entry(feed, postmortem, updated, urljoin(home, page_url(postmortem)))
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def entry_updated(postmortem: Postmortem) -> dt.date | None:
    """Return when a postmortem last changed: its ``updated`` key, else its date."""
    for field in postmortem.fields:
        if field.front_matter and field.name in UPDATED_KEYS:
            found = parse_date(field.value)
            if found is not None:
                return found
    return postmortem.date


def _entry(feed: ET.Element, postmortem: Postmortem, updated: dt.date, url: str) -> None:
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _add(entry, "title", postmortem.title)
    _add(entry, "id", _urn(f"pmkb-incident:{postmortem.id}"))
    _add(entry, "updated", _stamp(updated))
    if postmortem.date is not None:
        _add(entry, "published", _stamp(postmortem.date))
    ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=url)
    for name in postmortem.authors:
        if name.strip():
            author = ET.SubElement(entry, f"{{{ATOM}}}author")
            _add(author, "name", name.strip())
    facts = [postmortem.date.isoformat() if postmortem.date else ""]
    facts += [postmortem.severity or "", STATUS_LABELS[postmortem.status]]
    if postmortem.severity:
        ET.SubElement(entry, f"{{{ATOM}}}category", term=postmortem.severity, label="severity")
    ET.SubElement(entry, f"{{{ATOM}}}category", term=str(postmortem.status), label="status")
    summary = _shorten(plain_text(postmortem.summary.replace("\n", " ")))
    text = " · ".join(fact for fact in facts if fact) + (f". {summary}" if summary else "")
    _add(entry, "summary", text)


def _add(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    # Control characters are not allowed in XML 1.0: a title with one would break the feed.
    element.text = _CONTROL.sub("", text)
    return element


def _stamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def _urn(name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def _shorten(text: str) -> str:
    if len(text) <= SUMMARY_LIMIT:
        return text
    return text[: SUMMARY_LIMIT - 1].rsplit(" ", 1)[0] + "…"
