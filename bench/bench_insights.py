"""Benchmark: what the Insights charts cost in a build of 10,000 postmortems.

Run by hand (never by the tests): ``python bench/bench_insights.py [--postmortems N] [--build]``.

It generates N postmortems with ``bench_build``'s generator, loads the catalog once, then times
(best of three) what the charts add to a build: computing the figures (``compute_insights``),
drawing the Insights page's charts (``draw_insights``) and the per-service charts and open items
of the Services page (``build_service_views``). With ``--build`` it also times one whole
``mkdocs build`` of the same knowledge base, and prints the charts' share of it (target: under
5%). It prints the sizes of the SVG drawn, too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_build import build, prepare

from generator.catalog import load_catalog
from generator.charts import draw_insights
from generator.config import load_settings
from generator.insights import compute_insights
from generator.service_views import build_service_views
from generator.views import SiteContext

TARGET = 0.05
"""The charts may take at most this share of the build."""


def best_of(rounds: int, work: Callable[[], object]) -> tuple[float, object]:
    """Return the best wall time of ``rounds`` runs of ``work``, and its last result."""
    best, result = float("inf"), None
    for _ in range(rounds):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    """Generate, time, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postmortems", type=int, default=10_000)
    parser.add_argument("--build", action="store_true", help="also time a whole mkdocs build")
    arguments = parser.parse_args()
    today = dt.date(2026, 11, 30)
    with tempfile.TemporaryDirectory(prefix="pmkb-bench-insights-") as folder:
        root = Path(folder)
        config, _, size = prepare(root, arguments.postmortems)
        print(f"{arguments.postmortems} postmortems, {size / 1e6:.1f} MB")
        settings = load_settings(config)
        catalog = load_catalog(settings)
        figures_time, insights = best_of(3, lambda: compute_insights(catalog, today))
        assert insights is not None
        charts_time, charts = best_of(3, lambda: draw_insights(insights, lambda g: g.anchor))  # type: ignore[arg-type]
        context = SiteContext(catalog=catalog, settings=settings, today=today)
        context.open_action_rows("services.md")  # rows the Services page builds anyway
        services_time, _ = best_of(
            3,
            lambda: build_service_views(context, insights, "services.md"),  # type: ignore[arg-type]
        )
        svg = sum(len(chart.svg or "") for chart in charts)  # type: ignore[attr-defined]
        total = figures_time + charts_time + services_time
        print(
            f"figures {figures_time:.3f} s, insights charts {charts_time:.3f} s "
            f"({svg / 1e3:.0f} kB of SVG), "
            f"service charts {services_time:.3f} s: {total:.3f} s"
        )
        if arguments.build:
            elapsed = build(config, root / "site")
            print(
                f"mkdocs build {elapsed:.1f} s: the charts are {100 * total / elapsed:.2f}% of it "
                f"(target under {100 * TARGET:.0f}%)"
            )


if __name__ == "__main__":
    main()
