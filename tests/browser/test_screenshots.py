"""Screenshots of the example site for the README: ``docs/images/*.png``.

They are tracked files, so they are only written when asked: ``PMKB_SCREENSHOTS=1 pytest -m
browser tests/browser/test_screenshots.py``. Each is the top of a page at the desktop viewport
the other browser tests use, extended down to :data:`MAX_HEIGHT` pixels.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from .conftest import ROOT, VIEWPORT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("PMKB_SCREENSHOTS") != "1",
        reason="writes docs/images/*.png: set PMKB_SCREENSHOTS=1 to regenerate them",
    ),
]

IMAGES = ROOT / "docs" / "images"
MAX_HEIGHT = 1600


def showcase(catalog: Any) -> Any:
    """Return the incident that shows the most of an incident page near its top."""

    def richness(postmortem: Any) -> tuple[int, ...]:
        done = sum(1 for item in postmortem.action_items if item.done)
        kinds = [str(section.kind) for section in postmortem.sections]
        return (
            bool(postmortem.timeline and done and postmortem.open_action_items),
            # The timeline is the page's signature: best if the screenshot reaches it.
            "timeline" in kinds[:3],
            sum(1 for event in postmortem.timeline if event.phase),
            len({section.kind for section in postmortem.sections}),
            len(postmortem.timeline),
        )

    return max(catalog, key=richness)


def shoot(page: Any, url: str, target: Path) -> None:
    """Save the top of the page at ``url`` (up to MAX_HEIGHT pixels) as a PNG."""
    page.goto(url, wait_until="networkidle")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": min(height, MAX_HEIGHT)}
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True, clip=clip)
    assert target.stat().st_size > 10_000, f"{target} is suspiciously small"


def test_screenshots_of_the_example_site(
    page: Any, example_url: str, example_catalog: Any, example_settings: Any
) -> None:
    incident = showcase(example_catalog)
    incident_page = f"{example_settings.url_prefix}/{example_catalog.slug(incident)}/"
    shots = {
        "home.png": "",
        "incident.png": incident_page,
        "lessons.png": "lessons/",
        "actions.png": "actions/",
    }
    for name, path in shots.items():
        shoot(page, urljoin(example_url, path), IMAGES / name)


def test_screenshots_of_the_insights_page_light_and_dark(browser: Any, example_url: str) -> None:
    # Material follows the reader's colour scheme (the palette's `media` queries).
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport=VIEWPORT, color_scheme=scheme)
        try:
            shoot(
                context.new_page(),
                urljoin(example_url, "insights/"),
                IMAGES / f"insights-{scheme}.png",
            )
        finally:
            context.close()
