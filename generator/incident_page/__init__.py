"""The incident page: everything the page of one incident shows, in document order.

Nothing lost: for each section of a postmortem, its heading comes first, then its residual
passages (what no structured element captured, verbatim) interleaved by line with the structured
elements found in its lines (timeline events, action items, lessons, mistakes, root causes, list
items, metrics, body fields). Elements written as rows of a Markdown table keep the table's
header: action items as a checklist table with the source columns, events as a timeline with
the column names above it, any other kind as the source table itself.

Author text is rendered through the :class:`~generator.views.SiteContext` of the build, so that
links, references and the rendering cache are the site's.

The package, by concept: :mod:`~generator.incident_page.view` (the views the template reads),
:mod:`~generator.incident_page.builder` (cutting the body into pieces),
:mod:`~generator.incident_page.elements` (each element's view),
:mod:`~generator.incident_page.source` (tables and other source lines),
:mod:`~generator.incident_page.meta` (the metadata table) and
:mod:`~generator.incident_page.durations` (time between milestones).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from generator.incident_page.builder import IncidentBuilder
from generator.incident_page.durations import (
    DURATIONS,
    PHASE_LABELS,
    format_minutes,
    incident_durations,
)
from generator.incident_page.meta import list_meta
from generator.incident_page.view import (
    ActionRow,
    ActionView,
    Cell,
    Duration,
    EventView,
    IncidentView,
    LessonView,
    MetaRow,
    MistakeView,
    Piece,
)
from generator.link_views import related_rows, theme_links
from generator.models import Postmortem
from generator.settings import Settings
from generator.views import SiteContext

__all__ = [
    "DURATIONS",
    "PHASE_LABELS",
    "ActionRow",
    "ActionView",
    "Cell",
    "Duration",
    "EventView",
    "IncidentView",
    "LessonView",
    "MetaRow",
    "MistakeView",
    "Piece",
    "build_incident_view",
    "format_minutes",
    "incident_durations",
    "make_edit_url",
]


def build_incident_view(site: SiteContext, postmortem: Postmortem) -> IncidentView:
    """Return everything the page of an incident shows."""
    page = site.incident_page(postmortem)
    builder = IncidentBuilder(site, postmortem, page)
    return IncidentView(
        row=site.row(page, postmortem),
        heading=builder.find_heading(),
        meta=list_meta(site, postmortem, page),
        durations=incident_durations(postmortem),
        pieces=builder.cut_pieces(),
        done_actions=sum(1 for a in postmortem.action_items if a.done),
        related=related_rows(site, postmortem, page),
        themes=theme_links(site, postmortem, page),
        source=postmortem.source,
        edit_url=make_edit_url(site.settings, postmortem),
    )


def make_edit_url(settings: Settings, postmortem: Postmortem) -> str | None:
    """Return where to edit a postmortem's file, when the settings say and it is in the KB.

    Used for the page's source link and for the theme's "edit this page" button alike.
    """
    source = Path(postmortem.source)
    if not settings.edit_url or source.is_absolute() or ".." in source.parts:
        return None
    return settings.edit_url.rstrip("/") + "/" + quote(postmortem.source)
