"""A full build's site kept for ``pmkb serve``, and one page of it made again and written.

``pmkb serve`` shows an edited postmortem without a full build (:mod:`generator.serve`): its page
is put through the steps and plugin events MkDocs' build puts every page through (read, Markdown,
content, theme template, post-page) with what the last full build left (:class:`BuiltSite`), and
the file in the served folder is replaced whole. One of the modules that import MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.catalog import Catalog
from generator.generated_page import GeneratedPage
from generator.page_headings import Headings
from generator.settings import Settings
from generator.theme_pages import render_with_theme


@dataclass(frozen=True, slots=True, kw_only=True)
class BuiltSite:
    """What a full build leaves for showing an edit without another one."""

    config: MkDocsConfig
    """The build's configuration, its plugins as the build left them."""
    files: Files
    """The site's files."""
    nav: Navigation
    """The site's navigation."""
    env: jinja2.Environment
    """The theme's templates."""
    headings: Headings
    """How the site's Markdown renders pmkb's headings."""
    catalog: Catalog
    """The catalog, with the postmortems shown since the build replaced."""
    settings: Settings
    """The knowledge base's settings."""
    templates: jinja2.Environment
    """pmkb's page templates."""


def write_page(built: BuiltSite, path: str, markdown: str) -> str:
    """Render one page of the built site again, as the build does, and write it; return its URL.

    The steps and plugin events of a MkDocs build, for one page: read, Markdown, content,
    context, template, post-page. The file is replaced whole (a browser never reads half).
    """
    config, files = built.config, built.files
    file = File.generated(config, path, content=markdown, inclusion=InclusionLevel.NOT_IN_NAV)
    page: Page = GeneratedPage(file, config, built.headings)
    page = config.plugins.on_pre_page(page, config=config, files=files)
    page.read_source(config)
    page.markdown = config.plugins.on_page_markdown(
        page.markdown or "", page=page, config=config, files=files
    )
    page.render(config, files)
    page.content = config.plugins.on_page_content(
        page.content or "", page=page, config=config, files=files
    )
    html = render_with_theme(
        page,
        str(page.meta.get("template", "main.html")),
        config=config,
        nav=built.nav,
        doc_files=files.documentation_pages(),
        env=built.env,
    )
    html = config.plugins.on_post_page(html, page=page, config=config)
    target = Path(file.abs_dest_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.pmkb-new")
    partial.write_bytes(html.encode("utf-8", errors="xmlcharrefreplace"))
    partial.replace(target)
    return file.url
