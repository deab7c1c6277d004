"""Page templates: the Jinja2 environment that turns the site's views into Markdown pages.

Templates are looked up first in the knowledge base's ``templates/site/`` folder, then in the
package's own ``generator/templates/site/``: a team overrides a page by copying its template.
Every printed value is escaped unless it is already safe markup; the ``md`` filter escapes a
one-line value for a Markdown line, the ``json`` filter writes a value for an HTML attribute.
"""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.html_sanitizer import escape_html
from generator.markup import escape_markdown
from generator.settings import Settings

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
