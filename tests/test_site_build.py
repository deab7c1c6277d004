"""Whole sites built by MkDocs with the postmortems plugin (no browser: the HTML on disk).

Each test writes a knowledge base into a temporary folder (postmortems, mkdocs.yml) and builds it
in this process with MkDocs' own ``build``, as ``mkdocs build`` does.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator import page_headings, page_workers, theme_pages
from generator.catalog import load_catalog
from generator.plugin import SiteError, build_date, build_site, generate_site
from generator.render import SiteOptions, render_pages
from generator.settings import Settings
from generator.site_search import INDEX_DIR
from tests.conftest import CORPUS_POSTMORTEMS, EXAMPLES, PAYLOADS, ROOT, SEED
from tests.sitetext import contains, page_text, source_blocks, words

pytestmark = pytest.mark.slow

MKDOCS_YML = """\
site_name: Test knowledge base
theme:
  name: material
  font: false
plugins:
  - search
  - tags
  - postmortems{options}
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
"""

HOSTILE = " ".join(PAYLOADS)


def make_kb(folder: Path, postmortems: Mapping[str, str | bytes], options: str = "") -> Path:
    """Write a knowledge base; return its mkdocs.yml."""
    (folder / "postmortems").mkdir(parents=True)
    (folder / "docs").mkdir()
    for name, content in postmortems.items():
        target = folder / "postmortems" / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(MKDOCS_YML.format(options=options), encoding="utf-8")
    return config


def html_files(site: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site).as_posix(), path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("sources", "least"),
    [
        pytest.param(EXAMPLES, 450, id="examples"),
        pytest.param([*CORPUS_POSTMORTEMS, SEED], 1500, id="corpus", marks=pytest.mark.corpus),
    ],
)
def test_nothing_the_authors_wrote_is_lost(tmp_path: Path, sources: list[Path], least: int) -> None:
    """Every paragraph, list item, table cell, heading and code block of every postmortem (the
    repository's examples; the corpus and the seed) shows on its incident's page."""
    config = make_kb(tmp_path, {path.name: path.read_bytes() for path in sources})
    build_site(config)
    catalog = load_catalog(Settings.for_folder(tmp_path))
    assert len(catalog) == len(sources)

    lost = []
    checked = 0
    for postmortem in catalog:
        page = tmp_path / "site" / "incidents" / catalog.slug(postmortem) / "index.html"
        shown = words(page_text(page.read_text(encoding="utf-8")))
        data = (tmp_path / postmortem.source).read_bytes()
        for line, kind, text in source_blocks(data, postmortem.source):
            wanted = words(text)
            if not wanted:
                continue
            checked += 1
            if not contains(shown, wanted):
                lost.append(f"{postmortem.source}:{line} {kind}: {text[:80]!r}")
    assert checked > least
    assert lost == []


def test_the_text_comparison_notices_a_missing_block() -> None:
    page = "<article><p>Kept words here.</p><span class='pmkb-chip'>label</span></article>"
    shown = words(page_text(page))

    assert contains(shown, words("kept WORDS"))
    assert not contains(shown, words("words kept"))
    assert not contains(shown, words("label"))


def test_a_hostile_postmortem_yields_a_site_where_no_script_can_run(tmp_path: Path) -> None:
    postmortem = f"""\
---
title: 'Outage {HOSTILE}'
owners: ['{HOSTILE.replace("'", "''")}']
tags: ['{HOSTILE.replace("'", "''")}', plain]
services: ['{HOSTILE.replace("'", "''")}']
---

# Outage {HOSTILE}

## Summary

{HOSTILE}

<a href="javascript:alert(2)" onclick="alert(3)">click</a> <iframe src="javascript:alert(4)">

## Action items

- [ ] {HOSTILE} — {HOSTILE.split(" ", maxsplit=1)[0]} (due 2020-01-01)

## Lessons learned

- **{HOSTILE}**: {HOSTILE}
"""
    for policy in ("escape", "allow"):
        folder = tmp_path / policy
        config = make_kb(folder, {"hostile.md": postmortem}, options=f":\n      raw_html: {policy}")
        build_site(config, strict=True)
        scanned = 0
        for name, html in html_files(folder / "site"):
            scanned += 1
            assert_no_script_runs(name, html)
        assert scanned > 5
        # Material's whole-site index is empty (pmkb's search answers); pmkb's holds the
        # incident's words as text, escaped by the search worker where they enter the page.
        index = json.loads((folder / "site" / "search" / "search_index.json").read_text())
        assert index["docs"] == []
        documents = (folder / "site" / INDEX_DIR).rglob("documents/*.json")
        titles = [json.loads(path.read_text("utf-8"))["title"] for path in documents]
        assert f"Outage {HOSTILE}" in titles


class _ScriptFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        for name, given in attrs:
            value = given or ""
            squeezed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name.startswith("on") and "alert" in value:
                self.problems.append(f"<{tag} {name}={value!r}>")
            if squeezed.startswith(("javascript:", "vbscript:", "data:text")):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed"):
            self.problems.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "alert(" in data:
            self.problems.append(f"script: {data[:60]!r}")


def assert_no_script_runs(name: str, html: str) -> None:
    finder = _ScriptFinder()
    finder.feed(html)
    assert finder.problems == [], name


def test_an_earlier_versions_search_options_still_build_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_kb(
        tmp_path,
        {"2026-01-01-good.md": "# Good incident\n\n## Summary\n\nAll fine.\n"},
        options=":\n      search: pagefind\n      search_shard: 1000",
    )
    caplog.set_level(logging.WARNING)

    build_site(config)

    assert "search_shard is no longer used" in caplog.text
    entry = json.loads((tmp_path / "site" / INDEX_DIR / "index.json").read_text("utf-8"))
    assert entry["documents"] == 1


def test_a_broken_postmortem_is_named_and_the_others_still_render(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_kb(
        tmp_path,
        {
            "2026-01-01-good.md": "# Good incident\n\n## Summary\n\nAll fine.\n",
            "2026-01-02-broken.md": "---\ntitle: [unclosed\n---\n# Broken\n\nBody kept.\n",
            "2026-01-03-binary.md": b"\x00\x01\x02\xff\xfe garbage",
        },
    )
    caplog.set_level(logging.INFO)

    build_site(config)

    site = tmp_path / "site" / "incidents"
    assert "All fine." in (site / "2026-01-01-good" / "index.html").read_text(encoding="utf-8")
    assert "Body kept." in (site / "2026-01-02-broken" / "index.html").read_text(encoding="utf-8")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        re.match(r"pmkb: postmortems/2026-01-02-broken\.md:\d+: PMK\d{3} ", message)
        for message in warnings
    ), warnings
    assert any("postmortems/2026-01-03-binary.md:1: PMK" in message for message in warnings)

    with pytest.raises(SiteError, match="strict"):
        build_site(config, strict=True)


def test_author_front_matter_never_acts_on_the_page(tmp_path: Path) -> None:
    config = make_kb(
        tmp_path,
        {
            "x.md": (
                "---\ntemplate: post\nhide: [navigation, toc, tags]\n"
                "title: \"Colon: hash # braces {x} [y] & *z* 'q'\"\n"
                "search:\n  exclude: true\nstatus: resolved\ntags: [db]\n---\n"
                "# Heading\n\n## Summary\n\nFindable word zanzibar.\n"
            )
        },
    )
    build_site(config, strict=True)

    html = (tmp_path / "site" / "incidents" / "x" / "index.html").read_text(encoding="utf-8")
    assert "Colon: hash # braces {x} [y] &amp; *z* 'q' - Test knowledge base</title>" in html
    assert 'class="md-nav md-nav--primary"' in html  # navigation not hidden
    assert "md-sidebar--secondary" in html and 'data-md-component="toc"' in html
    assert 'class="md-tag' in html
    # The page stays searchable: its words are in the index's postings.
    terms = (tmp_path / "site" / INDEX_DIR).rglob("terms/*.json")
    assert any("zanzibar" in json.loads(path.read_text("utf-8")) for path in terms)


def read_site(site: Path) -> dict[str, bytes]:
    """Return every file of a built site by its path (the sitemap aside: it holds the date)."""
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and not path.name.startswith("sitemap")
    }


def test_building_twice_gives_identical_pages(tmp_path: Path) -> None:
    sources = {path.name: path.read_bytes() for path in EXAMPLES}
    config = make_kb(tmp_path, sources)

    def snapshot() -> dict[str, bytes]:
        build_site(config)
        return read_site(tmp_path / "site")

    first = snapshot()
    second = snapshot()
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_generated_pages_keep_their_titles_in_the_nav_and_the_tab(tmp_path: Path) -> None:
    # MkDocs titles a page from its Markdown: a page that let go of its Markdown too early, to
    # save memory, was named "None" in the navigation and in the browser's tab.
    config = make_kb(tmp_path, {path.name: path.read_bytes() for path in EXAMPLES})
    build_site(config)
    site = tmp_path / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    nav = [" ".join(m.split()) for m in re.findall(r'class="md-ellipsis">([^<]*)<', home)]
    for title in ("Home", "Incidents", "Lessons", "Failure themes", "Open action items"):
        assert title in nav
    assert "None" not in nav
    catalog = load_catalog(Settings.for_folder(tmp_path))
    postmortem = next(iter(catalog))
    page = site / "incidents" / catalog.slug(postmortem) / "index.html"
    tab = re.search(r"<title>([^<]*)</title>", page.read_text(encoding="utf-8"))
    assert tab is not None
    assert tab.group(1).startswith(escape(postmortem.title, quote=False))
    lessons = re.search(r"<title>([^<]*)</title>", (site / "lessons/index.html").read_text("utf-8"))
    assert lessons is not None
    assert lessons.group(1) == "Lessons - Test knowledge base"


def test_a_site_built_on_every_core_is_the_site_built_on_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large knowledge base renders its incident pages and their headings in forked workers;
    # the example one is small enough to be rendered in one process, unless told otherwise.
    sources = {path.name: path.read_bytes() for path in EXAMPLES}
    config = make_kb(tmp_path, sources)

    def snapshot() -> dict[str, bytes]:
        shutil.rmtree(tmp_path / ".cache", ignore_errors=True)  # a cold build each time
        build_site(config)
        return read_site(tmp_path / "site")

    one = snapshot()
    use_every_core(monkeypatch)
    from_workers = count_theme_renders(monkeypatch)
    here, convert = os.getpid(), page_headings.Headings._convert
    converted_by: set[int] = set()
    one_by_one: list[tuple[str, ...]] = []
    find_or_convert = page_headings.Headings._find_or_convert

    def count_conversions(headings: page_headings.Headings, lines: tuple[str, ...]) -> Any:
        converted_by.add(os.getpid())
        return convert(headings, lines)

    def count_late(headings: page_headings.Headings, lines: tuple[str, ...], key: str) -> Any:
        one_by_one.append(lines)
        return find_or_convert(headings, lines, key)

    monkeypatch.setattr(page_headings.Headings, "_convert", count_conversions)
    monkeypatch.setattr(page_headings.Headings, "_find_or_convert", count_late)
    every = snapshot()
    assert one.keys() == every.keys()
    assert [name for name in one if one[name] != every[name]] == []
    # Every generated page's headings were rendered ahead, where the page was made (by a
    # worker or by this process, which does the chunks no worker started), none one by one
    # as MkDocs read the pages.
    assert one_by_one == []
    assert here in converted_by  # this process did its share (the workers' is in theirs)
    # Chunks of 2 incident pages went through the theme in a worker, the first (given out as
    # the loop got to it) and those no worker had room for in this process.
    assert 0 < len(from_workers) <= len(EXAMPLES) - 2


def test_a_page_worker_that_dies_fails_the_build_and_keeps_the_last_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_kb(tmp_path, {path.name: path.read_bytes() for path in EXAMPLES})
    build_site(config)
    before = read_site(tmp_path / "site")
    use_every_core(monkeypatch)
    monkeypatch.setattr(theme_pages, "render_with_theme", lambda *_, **__: os._exit(9))
    with pytest.raises(SiteError):
        build_site(config)
    assert "a page worker stopped before its pages were rendered; build again" in caplog.text
    assert read_site(tmp_path / "site") == before


def test_a_build_leaves_the_cycle_collector_as_it_found_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A build pauses Python's cycle collector and keeps its catalog out of the collector's
    # reach; pmkb serve builds again and again in one process, and a build that left the
    # collector off, or its objects out of reach, would let every later build's garbage pile up.
    config = make_kb(tmp_path, {path.name: path.read_bytes() for path in EXAMPLES})
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    use_every_core(monkeypatch)
    build_site(config)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    monkeypatch.setattr(theme_pages, "render_with_theme", lambda *_, **__: os._exit(9))
    with pytest.raises(SiteError):
        build_site(config)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def use_every_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """Have the small example knowledge base rendered by forked workers, as a large one is."""
    monkeypatch.setattr(page_workers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(page_workers, "SHARE", 2)  # results come back in several chunks
    monkeypatch.setattr(page_headings, "PARALLEL_FROM", 2)
    monkeypatch.setattr(theme_pages, "PARALLEL_FROM", 2)
    monkeypatch.setattr(theme_pages, "CHUNK", 2)
    for module in (page_workers, theme_pages):
        monkeypatch.setattr(module, "count_workers", lambda items: 2 if items >= 2 else 1)


def count_theme_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Return the list, filled as the build goes, of pages a worker put through the theme."""
    taken: list[str] = []
    take = theme_pages.ThemeRenders.take

    def counted(renders: theme_pages.ThemeRenders, page: Any) -> Any:
        html = take(renders, page)
        if html is not None:
            taken.append(page.file.src_uri)
        return html

    monkeypatch.setattr(theme_pages.ThemeRenders, "take", counted)
    return taken


def test_edit_links_open_the_source_file(tmp_path: Path) -> None:
    config = make_kb(
        tmp_path,
        {"search down.md": "# Search down\n\n## Summary\n\nText.\n"},
        ":\n      edit_url: https://example.com/kb/edit/main/",
    )
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  font: false\n", "  font: false\n  features: [content.action.edit]\n"
        ),
        encoding="utf-8",
    )
    build_site(config)

    page = (tmp_path / "site" / "incidents" / "search-down" / "index.html").read_text("utf-8")
    url = "https://example.com/kb/edit/main/postmortems/search%20down.md"
    # The page's own source link and the theme's "edit this page" button.
    assert f'<a class="pmkb-edit" href="{url}">' in page
    assert re.search(rf'<a href="{re.escape(url)}" title="Edit this page"', page)


def test_a_public_build_has_no_trace_of_internal_postmortems(tmp_path: Path) -> None:
    config = make_kb(
        tmp_path,
        {
            "open.md": "---\ntags: [shared]\n---\n# Open incident\n\n## Summary\n\nVisible.\n",
            "secret.md": (
                "---\ninternal: true\ntags: [shared, classified]\nservices: [vault]\n---\n"
                "# Quasar leak\n\n## Summary\n\nThe xylophone key leaked.\n\n"
                "## Lessons learned\n\n- Rotate xylophone keys\n\n## Action items\n\n"
                "- [ ] Rotate the xylophone key\n"
            ),
        },
        options=":\n      public: true",
    )
    build_site(config, strict=True)

    site = tmp_path / "site"
    everything = "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in site.rglob("*")
        if path.is_file() and path.suffix in (".html", ".json", ".xml")
    )
    assert "Visible." in everything
    for secret in ("xylophone", "Quasar", "classified", "vault"):
        assert secret not in everything


def test_the_site_loads_nothing_from_outside(tmp_path: Path) -> None:
    config = make_kb(tmp_path, {EXAMPLES[0].name: EXAMPLES[0].read_bytes()})
    build_site(config, strict=True)

    for name, html in html_files(tmp_path / "site"):
        external = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//', html)
        assert external == [], name
        assert "fonts.googleapis" not in html, name
        assert "assets/pmkb/pmkb.js" in html and "assets/pmkb/pmkb.css" in html, name


def test_generate_writes_the_same_pages_as_files(tmp_path: Path) -> None:
    config = make_kb(tmp_path, {EXAMPLES[0].name: EXAMPLES[0].read_bytes()})
    out = tmp_path / "generated"

    diagnostics, report = generate_site(out, config)

    assert diagnostics == ()
    assert "index.md" in report.written and "assets/pmkb/pmkb.js" in report.written
    settings = Settings.for_folder(tmp_path)
    options = SiteOptions(today=build_date(), site_name="Test knowledge base", tags_plugin=True)
    expected = render_pages(load_catalog(settings), settings, options)
    assert f"incidents/{EXAMPLES[0].stem}.md" in expected
    for path, text in expected.items():
        assert (out / path).read_text(encoding="utf-8") == text

    _, again = generate_site(out, config)
    assert again.written == () and again.kept == ()


def test_the_repository_site_builds_strict_without_a_warning(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    pages = {name for name, _ in html_files(tmp_path / "site")}
    assert {"index.html", "incidents/index.html", "lessons/index.html"} <= pages
    assert {"actions/index.html", "services/index.html", "tags/index.html"} <= pages
