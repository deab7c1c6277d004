"""List pages: the pages that list across incidents, and the feed, in groups that share work.

:func:`generator.render.render_site` renders each group (:data:`LIST_GROUPS`) as a task of its
own, on every core for a large knowledge base, in the same pass as the incident pages and ahead
of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from generator.catalog import Catalog
from generator.charts import draw_insights
from generator.feed import FEED_PATH, render_feed
from generator.insights import compute_insights
from generator.link_views import QUOTED_OCCURRENCES, recurring_views, theme_views
from generator.service_views import build_service_views
from generator.views import SiteContext

if TYPE_CHECKING:
    from generator.render import SiteOptions


class ListRenderer:
    """Renders list pages of one site: its templates, with the site's context and options."""

    def __init__(
        self, render_page: Callable[..., str], context: SiteContext, options: SiteOptions
    ) -> None:
        self.render_page = render_page
        self.context = context
        self.options = options

    def __call__(
        self,
        path: str,
        template: str,
        title: str,
        *,
        hide: tuple[str, ...] = (),
        search: bool = True,
        **values: Any,
    ) -> tuple[str, str]:
        """Return a page's site path and Markdown."""
        markdown = self.render_page(
            path=path, template=template, title=title, hide=hide, search=search, values=values
        )
        return path, markdown


ListGroup = Callable[[ListRenderer, Catalog], dict[str, str]]
"""Renders some of the list pages (those that share work), by site path."""


def _render_home_and_incidents(render: ListRenderer, catalog: Catalog) -> dict[str, str]:
    return dict(
        [
            render("index.md", "home.md.j2", "Home", hide=("toc",)),
            # The lists repeat what the incident pages say: left out of the search index, so
            # that a search lists incidents rather than the lists that mention them.
            render(
                f"{render.context.prefix}/index.md",
                "incidents.md.j2",
                "Incidents",
                hide=("toc",),
                search=False,
            ),
        ]
    )


def _render_insights_and_services(render: ListRenderer, catalog: Catalog) -> dict[str, str]:
    context = render.context
    insights = compute_insights(catalog, render.options.today)
    charts = draw_insights(
        insights, lambda lesson: context.url("insights.md", f"lessons.md#{lesson.anchor}")
    )
    return dict(
        [
            render(
                "insights.md",
                "insights.md.j2",
                "Insights",
                search=False,
                insights=insights,
                charts={chart.id: chart for chart in charts},
            ),
            render(
                "services.md",
                "services.md.j2",
                "Services",
                search=False,
                services=build_service_views(context, insights, "services.md"),
            ),
        ]
    )


def _render_lessons(render: ListRenderer, catalog: Catalog) -> dict[str, str]:
    recurring = recurring_views(render.context, "lessons.md")
    return dict(
        [
            render(
                "lessons.md",
                "lessons.md.j2",
                "Lessons",
                search=False,
                recurring=recurring,
                quoted=QUOTED_OCCURRENCES,
            )
        ]
    )


def _render_themes(render: ListRenderer, catalog: Catalog) -> dict[str, str]:
    themes = theme_views(render.context, "themes.md")
    return dict(
        [render("themes.md", "themes.md.j2", "Failure themes", search=False, themes=themes)]
    )


def _render_actions_tags_and_feed(render: ListRenderer, catalog: Catalog) -> dict[str, str]:
    context, options = render.context, render.options
    feed = render_feed(
        catalog,
        site_name=options.site_name,
        site_url=options.site_url,
        page_url=lambda p: context.url("index.md", context.incident_page(p)),
    )
    return dict(
        [
            render("actions.md", "actions.md.j2", "Open action items", hide=("toc",), search=False),
            render("tags.md", "tags.md.j2", "Tags"),
            (FEED_PATH, feed),
        ]
    )


LIST_GROUPS: tuple[ListGroup, ...] = (
    _render_themes,
    _render_home_and_incidents,
    _render_lessons,
    _render_insights_and_services,
    _render_actions_tags_and_feed,
)
"""The list pages (and the feed), in groups that share work, the costliest first.

Quoting each incident's words under every theme is the most work by far (at 10,000 incidents,
15 s of 40): started first, it ends with the others rather than after them. A worker takes the
next group as it starts one, so the second goes to it too.
"""
