"""The metadata table of an incident page: the model's values, then every field not shown yet."""

from __future__ import annotations

from markupsafe import Markup

from generator.html_sanitizer import escape_html
from generator.incident_page.source import squash
from generator.incident_page.view import MetaRow
from generator.labels import STATUS_LABELS
from generator.models import Postmortem
from generator.views import SiteContext, unique_names

# Front matter keys that date the write-up rather than the incident, once the parser has told
# the two apart.
_SEVERITY_KEYS = frozenset({"severity", "sev"})

_PUBLICATION_KEYS = frozenset({"date", "published", "publishdate", "pubdate", "published_at"})


def list_meta(site: SiteContext, postmortem: Postmortem, page: str) -> tuple[MetaRow, ...]:
    """Return the metadata rows: the model's values, then each field not shown yet."""
    p = postmortem
    rows: list[MetaRow] = []
    shown: set[tuple[str, str]] = set()

    def add(name: str, html: Markup, key: str, value: str) -> None:
        rows.append(MetaRow(name=name, html=html))
        shown.add((key, squash(value)))

    shown.add(("title", squash(p.title)))
    if p.date:
        add("Date", _escape_text(p.date.isoformat()), "date", p.date.isoformat())
    if len(p.incidents) > 1:
        # A log of several incidents: each one's day and title (its sections follow below).
        text = "; ".join(
            f"{entry.date.isoformat() if entry.date else ''} {entry.title}".strip()
            for entry in p.incidents
        )
        add("Incidents", _escape_text(text), "incidents", text)
    if p.published and p.published != p.date:
        # A blog post's own date is when it was written up, not when the incident was.
        add(
            "Published", _escape_text(p.published.isoformat()), "published", p.published.isoformat()
        )
    status_text = p.status_text or ""
    badge = Markup('<span class="pmkb-badge pmkb-status pmkb-status--{}">{}</span>').format(
        str(p.status), STATUS_LABELS[p.status]
    )
    if status_text and squash(status_text) != squash(STATUS_LABELS[p.status]):
        badge += Markup(" ") + _escape_text(status_text)
    add("Status", badge, "status", status_text or str(p.status))
    if p.severity:
        # One row: the author's words when they say more than the severity read from them
        # ("SEV1 (customer-facing)"); the value read drives badges and filters elsewhere.
        said = [f for f in p.fields if f.name.lower() in _SEVERITY_KEYS]
        written = said[0].value if said else ""
        if written and squash(written) != squash(p.severity):
            add("Severity", _escape_text(written), "severity", written)
        else:
            add("Severity", _escape_text(p.severity), "severity", p.severity)
        shown.update((f.name, squash(f.value)) for f in said)
    if p.services:
        links = Markup(", ").join(
            Markup('<a href="{}">{}</a>').format(site.service_url(page, s), s)
            for s in unique_names(p.services)
        )
        add("Services", links, "services", ", ".join(p.services))
    for name, values in (("Tags", p.tags), ("Authors", p.authors), ("Owners", p.owners)):
        if values:
            text = ", ".join(values)
            add(name, _escape_text(text), name.lower(), text)
    for f in p.fields:
        if (f.name, squash(f.value)) in shown:
            continue
        if p.published and f.front_matter and f.name in _PUBLICATION_KEYS:
            continue  # shown as "Published" (or as the date, when they are the same day)
        add(f.name[:1].upper() + f.name[1:], _escape_text(f.value), f.name, f.value)
    return tuple(rows)


def _escape_text(text: str) -> Markup:
    return Markup(escape_html(text))  # noqa: S704  (escaped right here)
