"""An edited postmortem's page, made alone from the last full build's catalog (``pmkb serve``).

Saving a postmortem under ``pmkb serve`` should show the edit on its page within a moment, at any
number of postmortems. A full build reads every file, links the incidents, draws the insights and
renders every page; here only the edited file is parsed, its models take the place of the old
ones in the catalog the last full build made (:func:`replace_postmortems`), and only its pages are
rendered. What the other pages say about it (lists, related incidents, lessons, search) is as the
last full build left it until the next one, which ``pmkb serve`` starts right after.

An edit that changes which pages exist (a new or deleted file, a changed id, an incident now
``internal`` in a public build) cannot be shown this way: :func:`preview_edit` returns None and
the full build shows it. No MkDocs here: :mod:`generator.serve` turns the Markdown into the page.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import jinja2

from generator.catalog import Catalog
from generator.errors import Diagnostic, show_path
from generator.models import Postmortem
from generator.postmortem_files import read_postmortems
from generator.render import SiteOptions, render_incident_page
from generator.settings import Settings


@dataclass(frozen=True, slots=True, kw_only=True)
class PreviewPage:
    """One incident page made from an edited file."""

    path: str
    """The page's site path (``incidents/<slug>.md``)."""
    markdown: str
    """The page's Markdown, as a full build would render it from the same catalog."""
    assets: dict[str, Path]
    """Files the page links to (images next to the postmortem), by site path."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EditPreview:
    """What one saved postmortem file changes, before the next full build."""

    catalog: Catalog
    """The last full build's catalog with the file's postmortems replaced by the new ones."""
    pages: tuple[PreviewPage, ...]
    """The pages of the file's postmortems."""
    diagnostics: tuple[Diagnostic, ...]
    """Problems found in the file."""


def preview_edit(
    catalog: Catalog,
    settings: Settings,
    options: SiteOptions,
    path: Path,
    *,
    environment: jinja2.Environment | None = None,
) -> EditPreview | None:
    """Return the pages of one edited postmortem file, parsed alone; None when a full build must.

    A full build must when the file is not one of the catalog's (new, or left out), is gone or
    unreadable, or its incidents are not the same ones (by id) as before.
    """
    source = show_path(path, settings.root)
    before = [postmortem for postmortem in catalog if postmortem.source == source]
    if not before or not path.is_file():
        return None
    after, diagnostics = read_postmortems((path,), settings=settings)
    if [p.id for p in after] != [p.id for p in before] or any(p.source != source for p in after):
        return None
    if settings.public and any(p.internal for p in after):
        return None
    updated = replace_postmortems(catalog, after)
    pages = []
    for postmortem in after:
        page, markdown, assets = render_incident_page(
            updated, settings, options, postmortem, environment=environment
        )
        pages.append(PreviewPage(path=page, markdown=markdown, assets=assets))
    mine = tuple(d for d in diagnostics if d.code not in settings.disabled_rules)
    return EditPreview(catalog=updated, pages=tuple(pages), diagnostics=mine)


def replace_postmortems(catalog: Catalog, postmortems: list[Postmortem]) -> Catalog:
    """Return the catalog with each postmortem of the same source and id replaced.

    Everything computed across incidents (links, lesson groups, service and tag indexes) stays
    as it was: it is keyed by source path, so the new models find it, and the next full build
    computes it again.
    """
    new = {(p.source, p.id): p for p in postmortems}
    ordered = tuple(new.get((p.source, p.id), p) for p in catalog.postmortems)
    by_id = {
        key: new.get((p.source, p.id), p)
        for key, p in catalog._by_id.items()  # a catalog made from a catalog
    }
    return dataclasses.replace(catalog, postmortems=ordered, _by_id=MappingProxyType(by_id))
