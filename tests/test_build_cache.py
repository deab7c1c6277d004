"""The build cache gives the same site as a build without it, and is never trusted blindly.

A warm build (cache of an earlier build kept, some postmortems changed) must render exactly the
pages a cold build renders: the incident pages of unchanged postmortems come from the cache, so
a page that shows something of another postmortem (a related incident's title) must be redone
when that one changes.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import generator
from generator import build_cache, parse_many
from generator.build_cache import CACHE_DIR, BuildCache
from generator.catalog import load_catalog
from generator.link_views import nearest_occurrences
from generator.render import SiteOptions, render_site
from generator.settings import Settings
from generator.views import SiteContext

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = SiteOptions(today=dt.date(2026, 11, 30))


def copy_knowledge_base(folder: Path) -> Settings:
    shutil.copytree(ROOT / "postmortems", folder / "postmortems")
    return Settings.for_folder(folder)


def build_pages(settings: Settings, *, cached: bool) -> tuple[dict[str, str], BuildCache | None]:
    """Render the site's pages, with the cache folder of the knowledge base or without."""
    if not cached:
        return dict(render_site(load_catalog(settings), settings, OPTIONS).pages), None
    folder = settings.root / CACHE_DIR
    parsed, pages = BuildCache(folder / "parsed"), BuildCache(folder / "pages")
    pages.fingerprints = parsed.fingerprints
    site = render_site(load_catalog(settings, cache=parsed), settings, OPTIONS, cache=pages)
    parsed.prune()
    pages.prune()
    return dict(site.pages), pages


def test_a_warm_build_renders_what_a_cold_build_renders(tmp_path: Path) -> None:
    settings = copy_knowledge_base(tmp_path)
    cold, first = build_pages(settings, cached=True)
    warm, second = build_pages(settings, cached=True)
    assert first is not None and second is not None
    assert (
        first.hits == 0
        and second.misses == 0
        and second.hits == len(list(settings.root.glob("postmortems/*.md")))
    )
    assert warm == cold == build_pages(settings, cached=False)[0]


def test_a_changed_title_reaches_the_pages_that_show_it_from_the_cache(tmp_path: Path) -> None:
    settings = copy_knowledge_base(tmp_path)
    build_pages(settings, cached=True)
    catalog = load_catalog(settings)
    # A postmortem that another one lists among its related incidents.
    shown = next(r.postmortem for p in catalog for r in catalog.related(p))
    path = settings.root / shown.source
    text = path.read_text(encoding="utf-8")
    assert shown.title in text
    path.write_text(text.replace(shown.title, "Renamed by the cache test", 1), encoding="utf-8")

    warm, pages = build_pages(settings, cached=True)
    assert pages is not None and pages.hits > 0  # the others still came from the cache
    cold, _ = build_pages(settings, cached=False)
    assert warm == cold
    others = [p for path_, p in warm.items() if "Renamed by the cache test" in p]
    assert len(others) >= 2  # its own page and a page that lists it as related


def test_a_changed_title_reaches_the_recurrence_notes_that_name_it(tmp_path: Path) -> None:
    # "Learned before in <incident>": a page names incidents that are not among its related
    # ones; renaming one of them must redo the pages whose notes name it.
    settings = copy_knowledge_base(tmp_path)
    build_pages(settings, cached=True)
    catalog = load_catalog(settings)
    context = SiteContext(catalog=catalog, settings=settings, today=OPTIONS.today)
    named = []
    for lesson in catalog.links.recurring:
        for occurrence in lesson.occurrences:
            page = occurrence.postmortem
            related = {r.postmortem.source for r in catalog.related(page)}
            before, again = nearest_occurrences(context, page, lesson)
            named += [
                (page, o.postmortem)
                for o in (*before, *again)
                if o.postmortem.source not in related
            ]
    page, shown = named[0]
    path = settings.root / shown.source
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(shown.title, "Renamed in a note", 1), encoding="utf-8")

    warm, pages = build_pages(settings, cached=True)
    assert pages is not None and pages.hits > 0
    assert warm == build_pages(settings, cached=False)[0]
    slug = load_catalog(settings).slug(page)
    assert "Renamed in a note" in warm[f"{settings.url_prefix}/{slug}.md"]


def test_the_cache_is_not_trusted_across_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = copy_knowledge_base(tmp_path)
    build_pages(settings, cached=True)
    monkeypatch.setattr(generator, "__version__", "999.0")
    build_cache.code_digest.cache_clear()
    try:
        _, pages = build_pages(settings, cached=True)
    finally:
        monkeypatch.undo()
        build_cache.code_digest.cache_clear()
    assert pages is not None and pages.hits == 0


def test_a_corrupt_cache_entry_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    settings = copy_knowledge_base(tmp_path)
    cold, _ = build_pages(settings, cached=True)
    entries = [p for p in (tmp_path / CACHE_DIR).rglob("*") if p.is_file()]
    assert entries
    for entry in entries:
        entry.write_bytes(b"not a pickle")
    warm, pages = build_pages(settings, cached=True)
    assert pages is not None and pages.hits == 0
    assert warm == cold


def test_deleting_the_cache_folder_is_safe(tmp_path: Path) -> None:
    settings = copy_knowledge_base(tmp_path)
    cold, _ = build_pages(settings, cached=True)
    shutil.rmtree(tmp_path / ".cache")
    assert build_pages(settings, cached=True)[0] == cold


def test_postmortems_parsed_on_every_core_are_cached_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers write the parsed models into the cache; the build keeps them for the next."""
    settings = copy_knowledge_base(tmp_path)
    monkeypatch.setattr(parse_many, "PARALLEL_FROM", 2)
    monkeypatch.setattr(parse_many, "SHARE", 3)
    folder = settings.root / CACHE_DIR / "parsed"
    cold = BuildCache(folder)
    first = load_catalog(settings, cache=cold)
    cold.prune()
    warm = BuildCache(folder)
    second = load_catalog(settings, cache=warm)
    count = len(list(settings.root.glob("postmortems/*.md")))
    assert (cold.hits, warm.hits, warm.misses) == (0, count, 0)
    assert second.postmortems == first.postmortems == load_catalog(settings).postmortems
