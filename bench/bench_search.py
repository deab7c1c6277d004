"""Benchmark: pmkb's search at N postmortems, without building the whole site.

Run by hand: ``python bench/bench_search.py --postmortems 10000 --site SITE``, where ``SITE`` is
a site pmkb built (any size: it lends its home page and theme). The search a reader sees
depends on the index, the search worker and the home page only, so this measures search at a
size whose full build takes too long on a shared machine: it parses N generated postmortems
(:mod:`bench_build`; parses are kept in the folder's build cache for the next run), writes their
index as ``pmkb build`` does (records from the models), puts it and this checkout's search
worker into a copy of ``SITE`` and times, in headless Chromium, the first result after opening
the home page in a fresh browser, the bytes fetched by then, and warm queries
(:func:`bench_site.time_search`).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import generate_postmortems
from bench_site import QUERIES, choose_rare_query, size_of, time_search

from generator.catalog import load_catalog
from generator.page_caches import open_caches
from generator.render import ASSETS_DIR, ASSETS_SITE_DIR
from generator.settings import Settings
from generator.site_search import INDEX_DIR, WORKER_ASSET, SiteSearch


def main() -> None:
    """Generate, index, measure."""
    options = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    options.add_argument("--postmortems", type=int, default=10000)
    options.add_argument("--site", type=Path, required=True, help="a site pmkb built")
    options.add_argument("--keep", type=Path, help="work here and keep the files")
    options.add_argument("--rounds", type=int, default=2, help="cold browsers, one after another")
    arguments = options.parse_args()
    with tempfile.TemporaryDirectory(prefix="pmkb-bench-search-") as temporary:
        root = arguments.keep or Path(temporary)
        root.mkdir(parents=True, exist_ok=True)
        if not (root / "postmortems").is_dir():
            generate_postmortems(root / "postmortems", arguments.postmortems)
        start = time.perf_counter()
        settings = Settings.for_folder(root)
        parsed, pages = open_caches(settings, enabled=True)
        catalog = load_catalog(settings, cache=parsed)
        loaded = time.perf_counter() - start
        site = root / "site"
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(arguments.site, site)
        shutil.rmtree(site / INDEX_DIR, ignore_errors=True)
        shutil.copy(ASSETS_DIR / WORKER_ASSET, site / ASSETS_SITE_DIR / WORKER_ASSET)
        start = time.perf_counter()
        search = SiteSearch(worker_uri=f"{ASSETS_SITE_DIR}/{WORKER_ASSET}")
        urls = [(p.id, f"incidents/{catalog.slug(p)}/") for p in catalog]
        search.add_incidents(catalog, urls, site, cache=pages)
        search.write(site, lang=["en"])
        indexed = time.perf_counter() - start
        index = site / INDEX_DIR
        print(
            f"{len(catalog)} postmortems: loaded in {loaded:.1f} s, indexed in {indexed:.1f} s; "
            f"search index {size_of(index) / 1e6:.1f} MB in "
            f"{sum(1 for _ in index.rglob('*'))} files"
        )
        rare, users = choose_rare_query(root / "mkdocs.yml")
        print(f"queries: {QUERIES[0]!r}, {QUERIES[1]!r}, {rare!r} ({users} postmortems use it)")
        for _ in range(arguments.rounds):
            timing = time_search(site, 60.0, rare)
            if timing is None:
                print("search: no result within 60 s")
                continue
            cold, fetched, warm, (first_key, last_key) = timing
            print(
                f"search: first result {cold:.2f} s after opening the site ({fetched / 1e6:.2f} "
                f"MB fetched; keys {first_key:.2f}-{last_key:.2f} s, result "
                f"{cold - last_key:.2f} s after the last); warm "
                + ", ".join(f"{q!r} {t * 1000:.0f} ms" for q, t in warm.items())
            )


if __name__ == "__main__":
    main()
