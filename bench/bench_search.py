"""Benchmark: pmkb's search at N postmortems, without building the whole site.

Run by hand: ``python bench/bench_search.py --postmortems 10000 --site SITE``, where ``SITE`` is
a site pmkb built (any size: it lends its home page, theme and search worker). The search a
reader sees depends on the index and on the home page only, so this measures search at a size
whose full build takes too long on a shared machine: it parses N generated postmortems
(:mod:`bench_build`), writes their Pagefind index as ``pmkb build`` does (records from the
models), puts it into a copy of ``SITE`` and times, in headless Chromium, the first result after
opening the home page in a fresh browser, the bytes fetched by then, and a second (warm) query.
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
from bench_site import size_of, time_search

from generator.catalog import load_catalog
from generator.settings import Settings
from generator.site_search import INDEX_DIR, SiteSearch


def main() -> None:
    """Generate, index, measure."""
    options = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    options.add_argument("--postmortems", type=int, default=10000)
    options.add_argument("--site", type=Path, required=True, help="a site pmkb built")
    options.add_argument("--keep", type=Path, help="work here and keep the files")
    arguments = options.parse_args()
    with tempfile.TemporaryDirectory(prefix="pmkb-bench-search-") as temporary:
        root = arguments.keep or Path(temporary)
        root.mkdir(parents=True, exist_ok=True)
        if not (root / "postmortems").is_dir():
            generate_postmortems(root / "postmortems", arguments.postmortems)
        start = time.perf_counter()
        catalog = load_catalog(Settings.for_folder(root))
        parsed = time.perf_counter() - start
        site = root / "site"
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(arguments.site, site)
        shutil.rmtree(site / INDEX_DIR, ignore_errors=True)
        start = time.perf_counter()
        search = SiteSearch(language="en", worker_uri="assets/pmkb/search-worker.js")
        search.add_incidents(catalog, [(p.id, f"incidents/{catalog.slug(p)}/") for p in catalog])
        search.write(site, lang=["en"])
        indexed = time.perf_counter() - start
        index = site / INDEX_DIR
        print(
            f"{len(catalog)} postmortems: parsed in {parsed:.1f} s, indexed in {indexed:.1f} s; "
            f"search index {size_of(index) / 1e6:.1f} MB in "
            f"{sum(1 for _ in index.rglob('*'))} files"
        )
        for _ in range(2):
            timing = time_search(site, 60.0)
            if timing is None:
                print("search: no result within 60 s")
                continue
            cold, fetched, warm = timing
            print(
                f"search: first result {cold:.2f} s after opening the home page (cold browser, "
                f"{fetched / 1e6:.2f} MB fetched); warm query {warm * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main()
