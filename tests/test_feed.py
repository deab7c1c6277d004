"""The Atom feed of incidents: valid Atom, newest first, capped, dated by the postmortems."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.catalog import build_catalog
from generator.feed import FEED_LIMIT, FEED_PATH
from generator.models import Field, Postmortem, Status
from generator.render import SiteOptions, render_site
from generator.settings import Settings
from tests.conftest import ROOT

from .models_factory import make_postmortem

A = "{http://www.w3.org/2005/Atom}"
OPTIONS = SiteOptions(today=dt.date(2026, 6, 1), site_name="Larkspur")


def feed_of(postmortems: list[Postmortem], tmp_path: Path, options: SiteOptions = OPTIONS) -> str:
    site = render_site(build_catalog(postmortems), Settings.for_folder(tmp_path), options)
    return site.files[FEED_PATH]


def assert_valid_atom(text: str) -> ET.Element:
    """Parse a feed and check the elements RFC 4287 requires of it and of each entry."""
    feed = ET.fromstring(text.encode("utf-8"))
    assert feed.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{name}")) == 1, name
    assert feed.find(f"{A}author/{A}name") is not None  # covers entries without their own
    stamp = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
    assert stamp.match(feed.findtext(f"{A}updated") or "")
    ids = set()
    for entry in feed.findall(f"{A}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{name}")) == 1, name
        assert stamp.match(entry.findtext(f"{A}updated") or "")
        assert entry.find(f"{A}link[@rel='alternate']").get("href")  # type: ignore[union-attr]
        ids.add(entry.findtext(f"{A}id"))
    assert len(ids) == len(feed.findall(f"{A}entry")), "entry ids must be unique"
    return feed


def test_the_feed_is_atom_with_the_newest_incidents_first_up_to_the_cap(tmp_path: Path) -> None:
    start = dt.date(2022, 1, 1)
    postmortems = [
        make_postmortem(f"incident-{n:02d}", date=start + dt.timedelta(days=7 * n))
        for n in range(FEED_LIMIT + 5)
    ]
    postmortems.append(make_postmortem("undated"))

    feed = assert_valid_atom(feed_of(postmortems, tmp_path))

    titles = [entry.findtext(f"{A}title") for entry in feed.findall(f"{A}entry")]
    newest = sorted(postmortems[:-1], key=lambda p: p.date or start, reverse=True)
    assert titles == [p.title for p in newest[:FEED_LIMIT]]
    assert feed.findtext(f"{A}updated") == f"{newest[0].date}T00:00:00Z"


def test_an_entry_says_date_severity_status_and_summary_and_links_its_page(
    tmp_path: Path,
) -> None:
    postmortem = make_postmortem(
        "2026-03-02-search",
        title="Search returned nothing <for once>",
        date=dt.date(2026, 3, 2),
        severity="SEV2",
        status=Status.MONITORING,
        summary="Every query returned **no results** for 40 minutes.",
        authors=("Ann",),
        fields=(Field(name="updated", value="2026-04-10", line=3, front_matter=True),),
    )

    feed = assert_valid_atom(feed_of([postmortem], tmp_path))
    entry = feed.find(f"{A}entry")
    assert entry is not None

    assert entry.findtext(f"{A}title") == "Search returned nothing <for once>"
    assert entry.findtext(f"{A}updated") == "2026-04-10T00:00:00Z"
    assert entry.findtext(f"{A}published") == "2026-03-02T00:00:00Z"
    assert entry.findtext(f"{A}summary") == (
        "2026-03-02 · SEV2 · Monitoring. Every query returned no results for 40 minutes."
    )
    assert entry.findtext(f"{A}author/{A}name") == "Ann"
    assert {c.get("label"): c.get("term") for c in entry.findall(f"{A}category")} == {
        "severity": "SEV2",
        "status": "monitoring",
    }
    link = entry.find(f"{A}link")
    assert link is not None and link.get("href") == "incidents/2026-03-02-search/"

    with_url = SiteOptions(today=OPTIONS.today, site_url="https://kb.example.com/ops/")
    feed = assert_valid_atom(feed_of([postmortem], tmp_path, with_url))
    links = {link.get("rel"): link.get("href") for link in feed.iter(f"{A}link")}
    assert links["self"] == "https://kb.example.com/ops/feed.xml"
    assert links["alternate"] == "https://kb.example.com/ops/incidents/2026-03-02-search/"


def test_the_feed_depends_on_the_postmortems_only(tmp_path: Path) -> None:
    postmortems = [
        make_postmortem("a", date=dt.date(2026, 1, 2), summary="One."),
        make_postmortem("b", date=dt.date(2026, 2, 3), summary="Two."),
    ]
    first = feed_of(postmortems, tmp_path)
    later = feed_of(
        list(reversed(postmortems)),
        tmp_path,
        SiteOptions(today=dt.date(2030, 1, 1), site_name="Larkspur"),
    )

    assert first == later
    # Its ids stay when the site moves (only the links change).
    moved = feed_of(
        postmortems,
        tmp_path,
        SiteOptions(today=OPTIONS.today, site_name="Larkspur", site_url="https://x/"),
    )
    ids = re.compile(r"<id>[^<]+</id>")
    assert ids.findall(first) == ids.findall(moved)


def copy_example(folder: Path) -> Path:
    """Copy the repository's knowledge base (mkdocs.yml, docs, postmortems) into ``folder``."""
    for name in ("docs", "postmortems", "templates"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, folder / name)
    shutil.copy2(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    return folder / "mkdocs.yml"


def mkdocs_build(config: Path, site: Path, *, prefix: tuple[str, ...] = ()) -> None:
    command = [*prefix, sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)]
    result = subprocess.run(
        [*command, "-d", str(site)],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
        cwd=config.parent,
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.slow
def test_two_builds_give_the_same_feed_linked_from_every_page(tmp_path: Path) -> None:
    config = copy_example(tmp_path / "kb")
    mkdocs_build(config, tmp_path / "one")
    (tmp_path / "kb" / "postmortems").touch()  # new file times change nothing
    mkdocs_build(config, tmp_path / "two", prefix=("env", "SOURCE_DATE_EPOCH=1900000000"))

    first = (tmp_path / "one" / FEED_PATH).read_bytes()
    assert first == (tmp_path / "two" / FEED_PATH).read_bytes()
    feed = assert_valid_atom(first.decode("utf-8"))
    postmortems = sorted((ROOT / "postmortems").glob("*.md"))
    assert len(feed.findall(f"{A}entry")) == min(len(postmortems), FEED_LIMIT)

    for page in sorted((tmp_path / "one").rglob("*.html")):
        relative = page.relative_to(tmp_path / "one").as_posix()
        if relative == "404.html":
            continue
        html = page.read_text(encoding="utf-8")
        links = re.findall(
            r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html
        )
        assert len(links) == 1, relative
        assert (
            posixpath.normpath(posixpath.join(posixpath.dirname(relative), links[0])) == FEED_PATH
        )


@pytest.mark.slow
def test_a_build_without_network_still_draws_every_chart(tmp_path: Path) -> None:
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-n", "true"], check=False).returncode != 0:
        pytest.skip("unshare -n is not available here (it needs root or user namespaces)")
    config = copy_example(tmp_path / "kb")

    mkdocs_build(config, tmp_path / "site", prefix=(unshare, "-n"))

    page = (tmp_path / "site" / "insights" / "index.html").read_text(encoding="utf-8")
    drawn = re.findall(r'data-pmkb-chart="(\w+)"', page)
    assert drawn == ["drawn"] * 9
    assert page.count('<svg class="pmkb-chart__svg"') == 9
    assert (tmp_path / "site" / FEED_PATH).is_file()
