"""Page templates: the Jinja2 environment that turns the site's views into Markdown pages.

Templates are looked up first in the knowledge base's ``templates/site/`` folder, then in the
package's own ``generator/templates/site/``: a team overrides a page by copying its template.
Every printed value is escaped unless it is already safe markup; the ``md`` filter escapes a
one-line value for a Markdown line, the ``json`` filter writes a value for an HTML attribute.
:func:`render_page` renders one page: its front matter (pmkb's own keys, HTML-escaped values)
and its body.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import yaml
from markupsafe import Markup

from generator.html_sanitizer import escape_html
from generator.markup import escape_markdown
from generator.settings import Settings
from generator.site_files import RenderError

if TYPE_CHECKING:
    from generator.render import SiteOptions
    from generator.views import SiteContext

PACKAGE_TEMPLATES = Path(__file__).parent / "templates" / "site"
"""The package's default page templates."""


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


def render_template(environment: jinja2.Environment, name: str, **values: object) -> str:
    """Return a template's output, joined a slice of its pieces at a time.

    Jinja's ``render`` holds every piece until the end: at 10,000 incidents a list page of
    30 MB came in over a million small strings, some 100 MB more than the page itself.
    """
    pieces = environment.get_template(name).generate(**values)
    joined = []
    while batch := list(islice(pieces, 8192)):
        joined.append("".join(batch))
    return "".join(joined)


def _finalize(value: object) -> object:
    """Escape every value a template prints that is not already safe markup (backticks too)."""
    if value is None:
        return ""
    if isinstance(value, Markup | jinja2.Undefined):
        return value
    return Markup(escape_html(str(value)))  # noqa: S704  (escaped right here)


def _markdown_line(value: object) -> Markup:
    """Escape a value for one line of Markdown (a heading): the ``md`` filter."""
    return Markup(escape_markdown(str(value)))  # noqa: S704  (escaped right here)


def _json_attribute(value: object) -> str:
    """Write a value as JSON, keys sorted, for an HTML attribute: the ``json`` filter."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def describe_template_error(template: str, error: jinja2.TemplateError) -> str:
    """Say which template failed, and where, for a :class:`generator.render.RenderError`."""
    where = template
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = f"{error.filename or template}:{error.lineno}"
    return f"page template {where}: {error.message or error}"


def render_page(
    environment: jinja2.Environment,
    context: SiteContext,
    options: SiteOptions,
    *,
    path: str,
    template: str,
    title: str,
    tags: tuple[str, ...] = (),
    hide: tuple[str, ...] = (),
    search: bool = True,
    values: Mapping[str, Any],
) -> str:
    """Return a page's front matter and body, rendered from its template."""
    try:
        body = render_template(
            environment,
            template,
            page=path,
            site=context,
            catalog=context.catalog,
            options=options,
            prefix=context.settings.url_prefix,
            url=lambda target: context.url(path, target),
            **values,
        )
    except jinja2.TemplateError as error:
        raise RenderError(describe_template_error(template, error)) from None
    return _front_matter(title, tags, hide, search=search) + body


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
