"""Screenshots of the example site for the README and the docs: ``docs/images/*.png``.

Run by hand after a visible change (never by the tests: the images are tracked files):
``.venv/bin/python scripts/screenshots.py [NAME ...]``. It builds the repository's site with the
real MkDocs, serves it on a free loopback port and opens it in Debian's Chromium
(``/usr/bin/chromium``) at the desktop viewport the browser tests use, exactly as they do; each
image is the top of one page, extended down to :data:`MAX_HEIGHT` pixels. Another screenshot is
one more entry in :func:`list_shots`; a name ending in ``-dark.png`` is taken in the dark colour
scheme (Material follows the reader's ``prefers-color-scheme``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    build_site,
    serve,
)

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


def list_shots() -> dict[str, Callable[[Any, Any], str]]:
    """Return each image's file name and how to find its page (catalog, settings -> URL path)."""
    return {
        "home.png": lambda catalog, settings: "",
        "incident.png": lambda catalog, settings: (
            f"{settings.url_prefix}/{catalog.slug(showcase(catalog))}/"
        ),
        "lessons.png": lambda catalog, settings: "lessons/",
        "themes.png": lambda catalog, settings: "themes/",
        "actions.png": lambda catalog, settings: "actions/",
        "insights-light.png": lambda catalog, settings: "insights/",
        "insights-dark.png": lambda catalog, settings: "insights/",
    }


def shoot(page: Any, url: str, target: Path) -> None:
    """Save the top of the page at ``url`` (up to MAX_HEIGHT pixels) as a PNG."""
    page.goto(url, wait_until="networkidle")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": min(height, MAX_HEIGHT)}
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True, clip=clip)
    if target.stat().st_size < 10_000:
        raise SystemExit(f"{target} is suspiciously small: is the page empty?")


def main() -> None:
    """Write the screenshots asked for (all by default) into docs/images/."""
    shots = list_shots()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"images to write (default: all of {', '.join(shots)})")  # fmt: skip
    chosen = parser.parse_args().names or list(shots)
    if unknown := sorted(set(chosen) - set(shots)):
        parser.error(f"no screenshot named {', '.join(unknown)}: choose from {', '.join(shots)}")
    if not CHROMIUM.is_file():
        raise SystemExit(f"{CHROMIUM} is missing (apt-get install chromium)")

    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    from generator.catalog import load_catalog  # noqa: PLC0415
    from generator.config import load_settings  # noqa: PLC0415

    settings = load_settings(ROOT / "mkdocs.yml")
    catalog = load_catalog(settings)
    with tempfile.TemporaryDirectory() as folder:
        site = build_site(ROOT / "mkdocs.yml", Path(folder) / "site")
        with serve(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            pages = {
                scheme: browser.new_context(viewport=VIEWPORT, color_scheme=scheme).new_page()
                for scheme in ("light", "dark")
            }
            for name in chosen:
                page = pages["dark" if name.endswith("-dark.png") else "light"]
                shoot(page, urljoin(base, shots[name](catalog, settings)), IMAGES / name)
                print(f"wrote {(IMAGES / name).relative_to(ROOT)}")
            browser.close()


if __name__ == "__main__":
    main()
