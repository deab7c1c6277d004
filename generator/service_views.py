"""What each service's entry on the Services page shows besides its incidents.

A service's incident count over time (a small chart on the knowledge base's own time axis, from
:mod:`generator.insights`) and its open action items: those of its incidents, oldest first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from generator.chart_parts import Chart
from generator.charts import draw_sparkline
from generator.insight_scales import period_start
from generator.insights import Insights
from generator.views import OpenActionRow, SiteContext


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceView:
    """A service's chart and open action items."""

    chart: Chart
    """Its incidents per period."""
    open_actions: tuple[OpenActionRow, ...]
    """The open action items of its incidents, oldest incident first."""
    overdue: int
    """How many of them are overdue."""


def build_service_views(site: SiteContext, insights: Insights, page: str) -> dict[str, ServiceView]:
    """Return each service's view, by the service's name as :attr:`Catalog.services` shows it."""
    index = {period.start: number for number, period in enumerate(insights.periods)}
    by_key: dict[str, list[OpenActionRow]] = defaultdict(list)
    for row in site.open_action_rows(page):
        for name in dict.fromkeys(s.strip().casefold() for s in row.open.postmortem.services):
            by_key[name].append(row)
    views = {}
    for name, incidents in site.catalog.services.items():
        counts = [0] * len(insights.periods)
        for postmortem in incidents:
            if postmortem.date is not None:
                counts[index[period_start(postmortem.date, insights.unit)]] += 1
        rows = tuple(by_key.get(name.strip().casefold(), ()))
        views[name] = ServiceView(
            chart=draw_sparkline(
                f"pmkb-chart-{site.service_anchor(name)}", name, insights.periods, counts
            ),
            open_actions=rows,
            overdue=sum(1 for row in rows if row.open.overdue),
        )
    return views
