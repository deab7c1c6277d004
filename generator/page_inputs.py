"""What an incident page shows, as a key: the page is rendered again only when it changes.

An incident page shows its own postmortem and, from the rest of the knowledge base: the related
incidents (their rows: title, date, severity, status, services, action counts, and why they are
related), its failure themes (with the words that showed them), the recurring lessons its
elements say (each note names other incidents: their titles, dates, slugs and lines), the lesson
groups its lessons belong to (title, anchor, how many incidents), the URLs of other pages
(slugs), images next to postmortems that it links to, the day overdue items are judged on, the
settings and the page templates.
:func:`describe_site_inputs` covers what all pages share, :func:`describe_page_inputs` what one
page reads; the build cache (:mod:`generator.build_cache`) keys each page's Markdown by both.

Adding to what an incident page shows from outside its own postmortem means adding it here:
a test renders a site from the cache after such a change and compares it with a cold render.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from generator.models import Postmortem
from generator.views import SiteContext


def describe_site_inputs(context: SiteContext, options: object, templates: tuple[Path, ...]) -> str:
    """Return a digest of what every incident page depends on alike."""
    catalog = context.catalog
    digest = hashlib.sha256()
    for part in (
        repr(context.settings),
        repr(options),
        repr(context.today),
        repr(context.directory_urls),
        repr(sorted((p.source, catalog.slug(p)) for p in catalog)),
    ):
        digest.update(part.encode("utf-8", "surrogatepass"))
    for folder in templates:  # the team's page templates, when it overrides some
        for path in sorted(folder.glob("*.j2")) if folder.is_dir() else ():
            digest.update(path.name.encode() + path.read_bytes())
    folder = context.settings.postmortems_dir
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        # Files pages link to (images): a link to one that appears or changes must be redone.
        if path.suffix.lower() not in (".md", ".markdown") and path.is_file():
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def describe_page_inputs(
    context: SiteContext, postmortem: Postmortem, fingerprints: Mapping[str, str]
) -> str:
    """Return what one incident page reads, beyond :func:`describe_site_inputs`, as text.

    ``fingerprints`` has a digest of each postmortem's model (its parse's cache key, which
    covers its file and pmkb's code); a postmortem without one is described in full.
    """
    catalog = context.catalog

    def describe(other: Postmortem) -> str:
        return fingerprints.get(other.source) or repr(other)

    links = catalog.links
    related = [
        (describe(r.postmortem), catalog.slug(r.postmortem), r.reasons)
        for r in links.related(postmortem)
    ]
    themes = [(theme.id, theme.title, theme.triggers) for theme in links.themes_of(postmortem)]
    # A recurrence note names the other incidents that say the same lesson, by title and date.
    lines = sorted(
        {
            element.line
            for elements in (
                postmortem.lessons,
                postmortem.mistakes,
                postmortem.root_causes,
                postmortem.contributing_factors,
                postmortem.action_items,
            )
            for element in elements
        }
    )
    notes = [
        (
            line,
            [
                (
                    lesson.id,
                    lesson.title,
                    lesson.count,
                    [
                        (describe(o.postmortem), catalog.slug(o.postmortem), o.line)
                        for o in lesson.occurrences
                        if o.postmortem.source != postmortem.source
                    ],
                )
                for lesson in links.recurrences(postmortem, line)
            ],
        )
        for line in lines
        if links.recurrences(postmortem, line)
    ]
    groups = [
        [(g.key, g.title, g.anchor, g.count) for g in catalog.lesson_groups(postmortem, lesson)]
        for lesson in postmortem.lessons
    ]
    page = context.incident_page(postmortem)
    return repr((page, describe(postmortem), related, themes, notes, groups))
