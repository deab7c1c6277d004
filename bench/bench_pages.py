"""Benchmark: how long a reader waits for each page that lists across incidents to open.

Run by hand: ``python bench/bench_pages.py SITE [--rounds 2]``, where ``SITE`` is a site pmkb
built (``bench_site.py --keep DIR`` keeps ``DIR/site-pmkb``). Those pages grow with the
knowledge base (at 10,000 postmortems the lessons page is 38 MB of HTML), and what a reader
waits for is mostly the browser's work: parsing, styling and laying out the page, then
Material's scripts. Each page is opened in a fresh headless Chromium, served from this machine;
printed are its size, its elements, and the time from the start of the navigation to the end of
its ``DOMContentLoaded`` and ``load`` events, on the browser's clock (the median of the rounds).
Plain MkDocs has no such pages, so there is no peer here: the numbers compare one pmkb with
another, on the same site.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_site import serve_folder

PAGES = ("", "incidents/", "lessons/", "actions/", "services/", "themes/", "tags/", "insights/")
"""The home page and the pages that list across incidents."""

TIMEOUT_SECONDS = 600
"""The longest a page may take to open: the themes page at 10,000 took three minutes once."""

_TIMES = """() => {
    const entry = performance.getEntriesByType("navigation")[0];
    return [entry.domContentLoadedEventEnd, entry.loadEventEnd,
            document.getElementsByTagName("*").length];
}"""


def time_page(url: str) -> tuple[float, float, int]:
    """Return when ``url``, opened in a fresh browser, ended DOMContentLoaded and load (s).

    Also returns how many elements the page has.
    """
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        try:
            page = browser.new_page()
            page.goto(url, wait_until="load", timeout=TIMEOUT_SECONDS * 1000)
            loaded, done, elements = page.evaluate(_TIMES)
        finally:
            browser.close()
    return loaded / 1000, done / 1000, int(elements)


def main() -> None:
    """Open each list page of a built site in fresh browsers and print how long it took."""
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("site", type=Path, help="a site pmkb built")
    options.add_argument("--rounds", type=int, default=2, help="fresh browsers for each page")
    arguments = options.parse_args()
    site: Path = arguments.site
    with serve_folder(site) as base:
        for path in PAGES:
            html = site / path / "index.html"
            if not html.is_file():
                continue
            times = [time_page(base + path) for _ in range(arguments.rounds)]
            loaded = statistics.median(t[0] for t in times)
            done = statistics.median(t[1] for t in times)
            print(
                f"{'/' + path:12} {html.stat().st_size / 1e6:7.1f} MB {times[0][2]:8} elements"
                f"  DOMContentLoaded {loaded:6.1f} s  load {done:6.1f} s",
                flush=True,
            )


if __name__ == "__main__":
    main()
