"""Views: what the page templates read, built from the catalog for one page at a time.

A template should arrange, not compute. So everything that needs care is done here: author
Markdown is rendered to safe HTML (:mod:`generator.markup`), URLs are made relative to the page
that shows them (:mod:`generator.site_urls`), and each list the index pages show (incidents, open
action items, lessons) is built once per page. :class:`SiteContext` holds what every page needs
and caches it; the body of an incident's page is cut into pieces by
:mod:`generator.incident_page`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from markupsafe import Markup

from generator.catalog import Catalog, LessonGroup, OpenAction
from generator.html_sanitizer import is_relative_url
from generator.labels import ACTION_STATE_LABELS, LESSON_KIND_LABELS, STATUS_LABELS
from generator.markup import UNPUBLISHED_URL, MarkupRenderer
from generator.models import Postmortem, Status
from generator.settings import Settings
from generator.site_urls import relative_url
from generator.slugs import claim_slug, slugify


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """A link to show: where it goes and its text."""

    url: str
    """The URL, relative to the page that shows it."""
    text: str
    """The text (plain: the template escapes it)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentRow:
    """An incident as a line of a list or table."""

    postmortem: Postmortem
    """The incident."""
    url: str
    """Its page, relative to the page showing the row."""
    date: str
    """ISO date, or empty."""
    year: str
    """Year, or empty."""
    status: str
    """Status value (CSS class and filter value)."""
    status_label: str
    """Status as shown."""
    services: tuple[Link, ...]
    """Affected services, linked to the services page."""
    open_actions: int
    """Action items still to do."""
    total_actions: int
    """All action items."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenActionRow:
    """An open action item on the cross-incident pages."""

    open: OpenAction
    """The item, its incident, age and overdue flag."""
    incident: IncidentRow
    """Its incident."""
    html: Markup
    """The item's text."""
    owner: str
    """Owner, or empty."""
    due: str
    """Due date (ISO), or empty."""
    priority: str
    """Priority, or empty."""
    group: str
    """Group heading, or empty."""
    state_label: str
    """State as shown."""
    incident_open: int
    """How many open items its incident has (its group on the actions page)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LessonOccurrence:
    """One incident's wording of a recurring lesson."""

    incident: IncidentRow
    """The incident."""
    kind_label: str
    """Kind as shown."""
    html: Markup
    """The lesson as that incident wrote it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LessonGroupView:
    """A lesson on the lessons page."""

    group: LessonGroup
    """The group."""
    occurrences: tuple[LessonOccurrence, ...]
    """Where it was learned, newest first."""


@dataclass(slots=True)
class SiteContext:
    """What every view needs: the catalog, settings, URL rules, and the files pages refer to.

    One per build and not frozen: it caches what several pages show (rendered author text,
    incident rows) and collects the files pages link to (:attr:`assets`) while they render.
    """

    catalog: Catalog
    """The catalog."""
    settings: Settings
    """The knowledge base's settings."""
    today: dt.date
    """The day overdue items and ages are computed for."""
    directory_urls: bool = True
    """Whether pages live at ``name/`` (MkDocs' default) or ``name.html``."""
    assets: dict[str, Path] = field(default_factory=dict)
    """Files next to postmortems that pages link to (site path → file), filled while rendering."""
    memo: dict[tuple[str, str], Any] = field(default_factory=dict)
    """What a view module computes once per build and several pages read, by (kind, key)."""
    renderer: MarkupRenderer = field(init=False)
    _sources: dict[Path, Postmortem] | None = field(init=False)
    _references: dict[str, dict[str, Any]] = field(init=False)
    _service_anchors: dict[str, str] = field(init=False)
    _tag_anchors: dict[str, str] = field(init=False)
    _html: dict[tuple[str, str, str, str], Markup] = field(init=False)
    _rows: dict[tuple[str, str], IncidentRow] = field(init=False)

    def __post_init__(self) -> None:
        self.renderer = MarkupRenderer(self.settings.raw_html)
        self._sources = None  # made when a page first links to a file (a stat per postmortem)
        self._references = {}
        self._html = {}
        self._rows = {}
        self._service_anchors = _anchors("service", self.catalog.services)
        self._tag_anchors = _anchors("tag", self.catalog.tags)

    # -- where things are -------------------------------------------------------------------

    @property
    def prefix(self) -> str:
        """The site folder of incident pages."""
        return self.settings.url_prefix

    def incident_page(self, postmortem: Postmortem) -> str:
        """Return the site path of an incident's page."""
        return f"{self.prefix}/{self.catalog.slug(postmortem)}.md"

    def source_path(self, postmortem: Postmortem) -> Path:
        """Return the absolute path of a postmortem's file."""
        return self.settings.locate(postmortem.source).resolve()

    @contextmanager
    def collecting_assets(self) -> Iterator[dict[str, Path]]:
        """Collect the files linked while the block runs on their own, apart from the others'.

        Each page's are kept with the page (a page taken from the build cache brings its own).
        """
        everyone, self.assets = self.assets, {}
        try:
            yield self.assets
        finally:
            self.assets = everyone

    def url(self, page: str, target: str) -> str:
        """Return the URL of ``target`` (a site path, maybe with ``#anchor``) from ``page``."""
        return relative_url(page, target, directory_urls=self.directory_urls)

    def service_url(self, page: str, name: str) -> str:
        """Return the URL of a service's entry on the services page."""
        anchor = self._service_anchors.get(name.strip().casefold(), "")
        return self.url(page, f"services.md#{anchor}" if anchor else "services.md")

    def service_anchor(self, name: str) -> str:
        """Return the anchor of a service on the services page."""
        return self._service_anchors[name.strip().casefold()]

    def tag_anchor(self, name: str) -> str:
        """Return the anchor of a tag on pmkb's own tags page."""
        return self._tag_anchors[name.strip().casefold()]

    # -- author text --------------------------------------------------------------------------

    def block(self, postmortem: Postmortem, page: str, markdown: str) -> Markup:
        """Return a postmortem's Markdown as safe HTML for ``page``."""
        return self._render("block", postmortem, page, markdown)

    def inline(self, postmortem: Postmortem, page: str, markdown: str) -> Markup:
        """Return one line of a postmortem's Markdown as safe HTML for ``page``."""
        return self._render("inline", postmortem, page, markdown)

    def forget_page(self, postmortem: Postmortem) -> None:
        """Let go of what was kept while a postmortem's own page was made, once it is.

        Author text is kept to be shown again on another page, and incident rows to be listed
        again, but an incident page shows its own (its text, the rows of its related incidents,
        each with links from this page), and the list pages have a context of their own: at
        10,000 incidents, the author text alone held some 100 MB in each process making incident
        pages, and the rows grew with every page made.
        """
        self._html.clear()
        self._rows.clear()
        self._references.pop(postmortem.source, None)

    def _render(self, kind: str, postmortem: Postmortem, page: str, markdown: str) -> Markup:
        # The same text shows on several pages (a lesson on its incident's page and on the
        # lessons page): rendered once, and once per page only if it links to a file.
        anywhere = (kind, postmortem.source, markdown, "")
        here = (kind, postmortem.source, markdown, page)
        found = self._html.get(anywhere) or self._html.get(here)
        if found is not None:
            return found
        relative = False

        def rewrite(url: str) -> str:
            nonlocal relative
            relative = True
            return self.rewrite_url(postmortem, page, url)

        render = self.renderer.block if kind == "block" else self.renderer.inline
        html = render(markdown, references=self._document_references(postmortem), rewrite=rewrite)
        result = Markup(html)  # noqa: S704  (sanitised by the renderer)
        self._html[here if relative else anywhere] = result
        return result

    def _document_references(self, postmortem: Postmortem) -> dict[str, Any]:
        found = self._references.get(postmortem.source)
        if found is None:
            whole = "\n\n".join(section.markdown for section in postmortem.sections)
            found = self.renderer.references(whole)
            self._references[postmortem.source] = found
        return found

    def rewrite_url(self, postmortem: Postmortem, page: str, url: str) -> str:
        """Return the URL a relative link of a postmortem should have on ``page``.

        A link to another postmortem file goes to its page; a link to any other file inside the
        postmortems folder (an image) goes to a copy of it in the site; anything else, and
        anything that would leave the postmortems folder, is left as written.
        """
        if not is_relative_url(url):
            return url
        path, hash_mark, fragment = url.partition("#")
        path, question, query = path.partition("?")
        if not path:
            return url
        base = self.source_path(postmortem).parent
        try:
            target = (base / unquote(path)).resolve()
            inside = target.relative_to(self.settings.postmortems_dir.resolve())
        except (ValueError, OSError):
            return url
        suffix = (question + query) + (hash_mark + fragment)
        if self._sources is None:
            self._sources = {self.source_path(p): p for p in self.catalog}
        other = self._sources.get(target)
        if other is not None:
            return self.url(page, self.incident_page(other)) + (hash_mark + fragment)
        if target.suffix.lower() in (".md", ".markdown") or not target.is_file():
            # In a public build, a postmortem file without a page is one left out (internal):
            # its link keeps its text only, never the file's name.
            return UNPUBLISHED_URL if self.settings.public and target.is_file() else url
        site_path = f"{self.prefix}/{inside.as_posix()}"
        self.assets[site_path] = target
        return quote(self.url(page, site_path)) + suffix

    # -- shared views -----------------------------------------------------------------------

    def row(self, page: str, postmortem: Postmortem) -> IncidentRow:
        """Return an incident's summary data for a list on ``page``."""
        key = (page, postmortem.source)
        found = self._rows.get(key)
        if found is None:
            found = self._rows[key] = self._make_row(page, postmortem)
        return found

    def _make_row(self, page: str, postmortem: Postmortem) -> IncidentRow:
        return IncidentRow(
            postmortem=postmortem,
            url=self.url(page, self.incident_page(postmortem)),
            date=postmortem.date.isoformat() if postmortem.date else "",
            year=str(postmortem.date.year) if postmortem.date else "",
            status=str(postmortem.status),
            status_label=STATUS_LABELS[postmortem.status],
            services=tuple(
                Link(url=self.service_url(page, name), text=name)
                for name in unique_names(postmortem.services)
            ),
            open_actions=len(postmortem.open_action_items),
            total_actions=len(postmortem.action_items),
        )

    def rows(self, page: str) -> tuple[IncidentRow, ...]:
        """Return every incident's summary data, newest first, for ``page``."""
        return tuple(self.row(page, p) for p in self.catalog)

    def filter_choices(self) -> dict[str, list[Any]]:
        """Return the values the incidents list can be filtered by, sorted."""
        statuses = {p.status for p in self.catalog}
        return {
            "status": [(str(s), STATUS_LABELS[s]) for s in Status if s in statuses],
            "severity": sorted({p.severity for p in self.catalog if p.severity}, key=str.casefold),
            "tag": sorted({t.strip() for p in self.catalog for t in p.tags if t.strip()}),
            "year": sorted({str(p.date.year) for p in self.catalog if p.date}, reverse=True),
        }

    def open_action_counts(self, page: str, by: str) -> list[tuple[Any, int, int]]:
        """Return open and overdue item counts per owner (or per incident), most open first.

        Each entry is (owner, or the incident's row when ``by`` is ``incident``; open; overdue).
        """
        counts: Counter[str] = Counter()
        late: Counter[str] = Counter()
        incidents: dict[str, Postmortem] = {}
        for found in self.catalog.open_actions(self.today):
            key = (found.item.owner or "").strip() if by == "owner" else found.postmortem.source
            incidents[key] = found.postmortem
            counts[key] += 1
            late[key] += int(found.overdue)
        ordered = sorted(counts, key=lambda key: (-counts[key], key == "", key))
        return [
            (key if by == "owner" else self.row(page, incidents[key]), counts[key], late[key])
            for key in ordered
        ]

    def open_action_rows(self, page: str) -> tuple[OpenActionRow, ...]:
        """Return every open action item, oldest incident first, for ``page``."""
        rows = []
        open_actions = self.catalog.open_actions(self.today)
        per_incident = Counter(found.postmortem.source for found in open_actions)
        for found in open_actions:
            item = found.item
            rows.append(
                OpenActionRow(
                    open=found,
                    incident=self.row(page, found.postmortem),
                    html=self.block(found.postmortem, page, item.text),
                    owner=item.owner or "",
                    due=item.due.isoformat() if item.due else "",
                    priority=item.priority or "",
                    group=item.group or "",
                    state_label=ACTION_STATE_LABELS[item.state],
                    incident_open=per_incident[found.postmortem.source],
                )
            )
        return tuple(rows)

    def lesson_group_views(self, page: str) -> tuple[LessonGroupView, ...]:
        """Return the lesson groups with each incident's wording, for ``page``."""
        return tuple(
            LessonGroupView(
                group=group,
                occurrences=tuple(
                    LessonOccurrence(
                        incident=self.row(page, postmortem),
                        kind_label=LESSON_KIND_LABELS[lesson.kind],
                        html=self.block(postmortem, page, lesson.text),
                    )
                    for postmortem, lesson in group.occurrences
                ),
            )
            for group in self.catalog.lessons
        )


def _anchors(prefix: str, names: Iterable[str]) -> dict[str, str]:
    taken: set[str] = set()
    return {
        name.strip().casefold(): claim_slug(f"{prefix}-{slugify(name, max_length=60)}", taken)
        for name in names
    }


def unique_names(values: Iterable[str]) -> list[str]:
    """Return names without blanks and repeats, trimmed, in their order."""
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))
