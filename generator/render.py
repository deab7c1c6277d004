"""Render: the catalog becomes the site's pages, as Markdown, through Jinja2 templates.

:func:`render_site` returns every generated page as ``{site path: Markdown}`` plus the files
pages link to (images next to postmortems). Both the MkDocs plugin (:mod:`generator.plugin`) and
``pmkb generate`` use it, so a site built by MkDocs and one built from generated files by any
engine that reads ``mkdocs.yml`` show the same pages.

Templates are looked up first in the knowledge base's ``templates/site/`` folder, then in the
package's own ``generator/templates/site/``: a team overrides a page by copying its template.
Templates are autoescaped; author Markdown arrives in them already rendered to safe HTML
(:mod:`generator.views`, :mod:`generator.incident_page`), and the ``md`` filter escapes a
one-line value for a Markdown line (headings). Each page starts with front matter that pmkb
writes with ``yaml.safe_dump``: only its own keys (``title``, ``tags``, ``hide``, ``search``),
with HTML-escaped values, never the author's.

The pages:

====================  =========================  ==========================================
site path             template                   what
====================  =========================  ==========================================
``index.md``          ``home.md.j2``             counts, recent incidents, top lessons,
                                                 oldest open action items
``<prefix>/index.md`` ``incidents.md.j2``        every incident, filterable
``<prefix>/<slug>.md`` ``incident.md.j2``        one incident
``lessons.md``        ``lessons.md.j2``          lessons across incidents (recurring first)
``themes.md``         ``themes.md.j2``           incidents per failure theme per year
``actions.md``        ``actions.md.j2``          open action items across incidents
``services.md``       ``services.md.j2``         incidents by service, each one's incidents
                                                 over time and open action items
``insights.md``       ``insights.md.j2``         charts across incidents (over time,
                                                 durations, backlog, services, themes)
``tags.md``           ``tags.md.j2``             incidents by tag (Material's tags plugin)
====================  =========================  ==========================================
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from generator.catalog import Catalog
from generator.charts import draw_insights
from generator.clock import find_today
from generator.feed import FEED_PATH, render_feed
from generator.incident_page import build_incident_view
from generator.insights import compute_insights
from generator.link_views import recurring_views, theme_views
from generator.markup import escape_html, escape_markdown
from generator.service_views import build_service_views
from generator.settings import Settings
from generator.views import SiteContext

PACKAGE_TEMPLATES = Path(__file__).parent / "templates" / "site"
"""The package's default page templates."""

ASSETS_DIR = Path(__file__).parent / "assets"
"""The CSS and JavaScript that pmkb adds to the site."""

ASSET_FILES = ("pmkb.css", "pmkb.js")
"""The files of :data:`ASSETS_DIR`, in the order pages load them."""

ASSETS_SITE_DIR = "assets/pmkb"
"""Where the assets live in the site."""

SITE_PAGES = (
    "index.md",
    "insights.md",
    "lessons.md",
    "themes.md",
    "actions.md",
    "services.md",
    "tags.md",
)
"""The generated pages outside the incidents folder."""

MANIFEST = ".pmkb-generated.json"
"""The file in which ``pmkb generate`` records what it wrote (path and SHA-256 of each file)."""


class RenderError(Exception):
    """A page template failed (a team's override, usually); the message names it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteOptions:
    """How the site around the pages is built."""

    today: dt.date
    """The day overdue action items and ages are computed for."""
    site_name: str = "Postmortems"
    """The site's name, shown on the home page."""
    directory_urls: bool = True
    """Whether pages live at ``name/`` (MkDocs' default) or at ``name.html``."""
    tags_plugin: bool = True
    """Whether Material's tags plugin lists the tags (else pmkb's tags page does)."""
    site_url: str = ""
    """The site's address (``site_url`` of ``mkdocs.yml``), for the feed's absolute links."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    """The generated part of a site."""

    pages: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Markdown of each generated page, by site path, in a stable order."""
    assets: Mapping[str, Path] = field(default_factory=lambda: MappingProxyType({}))
    """Files that pages link to, by site path (images next to the postmortems)."""
    files: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Other generated files by site path: the Atom feed (:data:`~generator.feed.FEED_PATH`)."""


def render_pages(
    catalog: Catalog, settings: Settings, options: SiteOptions | None = None
) -> dict[str, str]:
    """Return the Markdown of every generated page, by site path."""
    return dict(render_site(catalog, settings, options).pages)


def render_site(catalog: Catalog, settings: Settings, options: SiteOptions | None = None) -> Site:
    """Return the generated pages and the files they link to."""
    options = options or SiteOptions(today=find_today())
    prefix = settings.url_prefix
    environment = create_environment(settings)
    context = SiteContext(
        catalog=catalog,
        settings=settings,
        today=options.today,
        directory_urls=options.directory_urls,
    )
    pages: dict[str, str] = {}

    def render(
        path: str,
        template: str,
        title: str,
        *,
        tags: tuple[str, ...] = (),
        hide: tuple[str, ...] = (),
        search: bool = True,
        **values: Any,
    ) -> None:
        try:
            body = environment.get_template(template).render(
                page=path,
                site=context,
                catalog=catalog,
                options=options,
                prefix=prefix,
                url=lambda target: context.url(path, target),
                **values,
            )
        except jinja2.TemplateError as error:
            raise RenderError(_describe(template, error)) from None
        pages[path] = _front_matter(title, tags, hide, search=search) + body

    render("index.md", "home.md.j2", "Home", hide=("toc",))
    # The lists repeat what the incident pages say: left out of the search index, so that a
    # search lists incidents rather than the lists that mention them.
    render(f"{prefix}/index.md", "incidents.md.j2", "Incidents", hide=("toc",), search=False)
    for postmortem in catalog:
        render(
            context.incident_page(postmortem),
            "incident.md.j2",
            postmortem.title,
            tags=tuple(dict.fromkeys(t.strip() for t in postmortem.tags if t.strip())),
            incident=build_incident_view(context, postmortem),
        )
    insights = compute_insights(catalog, options.today)
    charts = draw_insights(
        insights, lambda lesson: context.url("insights.md", f"lessons.md#{lesson.anchor}")
    )
    render(
        "insights.md",
        "insights.md.j2",
        "Insights",
        search=False,
        insights=insights,
        charts={chart.id: chart for chart in charts},
    )
    render(
        "lessons.md",
        "lessons.md.j2",
        "Lessons",
        search=False,
        recurring=recurring_views(context, "lessons.md"),
    )
    render(
        "themes.md",
        "themes.md.j2",
        "Failure themes",
        search=False,
        themes=theme_views(context, "themes.md"),
    )
    render("actions.md", "actions.md.j2", "Open action items", hide=("toc",), search=False)
    render(
        "services.md",
        "services.md.j2",
        "Services",
        search=False,
        services=build_service_views(context, insights, "services.md"),
    )
    render("tags.md", "tags.md.j2", "Tags")
    feed = render_feed(
        catalog,
        site_name=options.site_name,
        site_url=options.site_url,
        page_url=lambda p: context.url("index.md", context.incident_page(p)),
    )
    return Site(
        pages=MappingProxyType(pages),
        assets=MappingProxyType(dict(sorted(context.assets.items()))),
        files=MappingProxyType({FEED_PATH: feed}),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteReport:
    """What :func:`write_site` did, by path relative to the output folder."""

    written: tuple[str, ...] = ()
    """Files created or updated."""
    unchanged: tuple[str, ...] = ()
    """Files already as they should be."""
    removed: tuple[str, ...] = ()
    """Files pmkb wrote before that no page needs any more (and nobody edited since)."""
    kept: tuple[str, ...] = ()
    """Files in the way that pmkb did not write, or that were edited since: left untouched."""


def write_site(
    site: Site,
    out: Path,
    *,
    extra_files: Mapping[str, bytes] | None = None,
    inputs: tuple[Path, ...] = (),
) -> WriteReport:
    """Write a site's pages and files into ``out``; never touch a file pmkb did not write.

    ``out`` holds a manifest (:data:`MANIFEST`) of the files pmkb wrote there and their hashes.
    A file is only replaced or removed when the manifest lists it and it is unchanged since
    pmkb wrote it; any other file in the way (one the author wrote, or a generated file the
    author edited) is left alone and reported in :attr:`WriteReport.kept`. Nothing is written
    or removed through a symbolic link (a link in the way is kept), and nothing at all when a
    file would land in one of the ``inputs`` folders (the postmortems, the templates) or the
    manifest is a link: :class:`RenderError` says so.
    """
    contents: dict[str, bytes] = {path: text.encode("utf-8") for path, text in site.pages.items()}
    contents.update({path: text.encode("utf-8") for path, text in site.files.items()})
    contents.update(extra_files or {})
    contents.update({path: source.read_bytes() for path, source in site.assets.items()})
    if (out / MANIFEST).is_symlink():
        raise RenderError(
            f"{out / MANIFEST} is a symbolic link: pmkb never writes through a link; "
            "delete the link (pmkb then writes the file anew)"
        )
    _refuse_inputs(out, [*contents, MANIFEST], inputs)
    out.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(out / MANIFEST)
    manifest: dict[str, str] = {}
    written: list[str] = []
    unchanged: list[str] = []
    kept: list[str] = []
    for path in sorted(contents):
        target = out / path
        if _through_link(out, path):
            kept.append(path)
            continue
        digest = hashlib.sha256(contents[path]).hexdigest()
        if target.exists():
            current = _digest(target)
            if current == digest:
                unchanged.append(path)
                if previous.get(path) == digest:
                    manifest[path] = digest
                continue
            if current is None or previous.get(path) != current:
                kept.append(path)
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(contents[path])
        manifest[path] = digest
        written.append(path)
    removed = []
    for path, digest in sorted(previous.items()):
        target = out / path
        if path in contents or _through_link(out, path):
            continue
        if target.is_file() and _digest(target) == digest:
            target.unlink()
            removed.append(path)
    (out / MANIFEST).write_text(
        json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return WriteReport(
        written=tuple(written),
        unchanged=tuple(unchanged),
        removed=tuple(removed),
        kept=tuple(kept),
    )


def _refuse_inputs(out: Path, paths: list[str], inputs: tuple[Path, ...]) -> None:
    """Raise :class:`RenderError` when a file would be written into a folder pmkb reads."""
    folders = [folder.resolve() for folder in inputs]
    for path in paths:
        target = (out / path).resolve()
        for folder in folders:
            if target.is_relative_to(folder):
                raise RenderError(
                    f"{out} would put generated files into {folder}, which pmkb reads as "
                    "input; write them into another folder (your docs folder, say)"
                )


def _through_link(out: Path, path: str) -> bool:
    """Return whether ``out/path`` is a link, or lies under one, or outside ``out``."""
    current = out
    for part in PurePosixPath(path).parts:
        if part in ("", ".", ".."):
            return True
        current = current / part
        if current.is_symlink():
            return True
    return False


def _read_manifest(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(k, str)}


def _digest(path: Path) -> str | None:
    if not path.is_file() or path.is_symlink():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def split_page(markdown: str) -> list[tuple[str, str]] | None:
    """Return a page's blocks if it is only Markdown headings and blocks of HTML, else None.

    Each block is ``("heading", line)`` or ``("html", text)``. The page templates write pages of
    that shape (see ``_macros.md.j2``), which lets the MkDocs plugin skip the Markdown pass for
    them. A block (text after a blank line) that starts with anything but a tag is Markdown, so
    the page gives None; blank lines inside ``<pre>`` (code) are part of the HTML, and so are
    heading-like lines there (``# a shell comment``).
    """
    blocks: list[tuple[str, str]] = []
    html: list[str] = []
    in_pre = False
    fresh = True  # at the start of a block: after a blank line or a heading
    for line in markdown.strip("\n").split("\n"):
        if fresh and not in_pre and _HEADING.match(line):
            if html:
                blocks.append(("html", "\n".join(html).strip("\n")))
                html = []
            blocks.append(("heading", line))
            continue
        if fresh and not in_pre and line.strip() and not line.lstrip().startswith("<"):
            return None
        html.append(line)
        opened, closed = len(_PRE_OPEN.findall(line)), line.count("</pre>")
        if opened != closed:
            in_pre = opened > closed
        fresh = not line.strip()
    if html and "\n".join(html).strip():
        blocks.append(("html", "\n".join(html).strip("\n")))
    return blocks


_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_PRE_OPEN = re.compile(r"<pre[\s>]")


def create_environment(settings: Settings) -> jinja2.Environment:
    """Return the Jinja2 environment of the page templates (team overrides first)."""
    folders = [settings.templates_dir / "site", PACKAGE_TEMPLATES]
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(folder) for folder in folders if folder.is_dir()]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["md"] = _markdown_line
    environment.filters["json"] = _json_attribute
    return environment


def read_asset(name: str) -> bytes:
    """Return the bytes of one of pmkb's site assets (:data:`ASSET_FILES`)."""
    return (ASSETS_DIR / name).read_bytes()


def _front_matter(
    title: str, tags: tuple[str, ...], hide: tuple[str, ...], *, search: bool = True
) -> str:
    # Material prints these values as HTML, unescaped, in element content only: escaping
    # &, < and > is what keeps them text (quotes would only show up as entities in places).
    meta: dict[str, Any] = {"title": escape(" ".join(title.split()), quote=False)}
    if tags:
        meta["tags"] = [escape(" ".join(tag.split()), quote=False) for tag in tags]
    if hide:
        meta["hide"] = list(hide)
    if not search:
        meta["search"] = {"exclude": True}
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"---\n{dumped}---\n\n"


def _finalize(value: object) -> object:
    """Escape every value a template prints that is not already safe markup (backticks too)."""
    if value is None:
        return ""
    if isinstance(value, Markup | jinja2.Undefined):
        return value
    return Markup(escape_html(str(value)))  # noqa: S704  (escaped right here)


def _markdown_line(value: object) -> Markup:
    return Markup(escape_markdown(str(value)))  # noqa: S704  (escaped right here)


def _json_attribute(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _describe(template: str, error: jinja2.TemplateError) -> str:
    where = template
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = f"{error.filename or template}:{error.lineno}"
    return f"page template {where}: {error.message or error}"
