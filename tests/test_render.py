"""The generated pages: what each shows, in what order, escaped how, and where files go."""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from dataclasses import replace
from pathlib import Path

import markdown
import pytest
import yaml

from generator.catalog import build_catalog
from generator.html_sanitizer import sanitize_html
from generator.markup import MarkupRenderer, escape_markdown
from generator.models import ActionState, IncidentEntry, Phase, SectionKind, TimelineEvent
from generator.page_templates import create_environment, render_template
from generator.parse import parse_text
from generator.render import (
    RenderError,
    Site,
    SiteOptions,
    render_pages,
    render_site,
)
from generator.settings import RawHtml, Settings
from generator.site_files import MANIFEST, write_site
from generator.site_urls import page_url, relative_url
from tests.conftest import PAYLOADS
from tests.models_factory import action, lesson, make_postmortem, section

TODAY = dt.date(2026, 3, 1)
OPTIONS = SiteOptions(today=TODAY, site_name="Test KB")
XSS = PAYLOADS


def settings_for(tmp_path: Path, **values: object) -> Settings:
    return replace(Settings.for_folder(tmp_path), **values)  # type: ignore[arg-type]


def front_matter(page: str) -> dict[str, object]:
    head, _, _ = page.removeprefix("---\n").partition("\n---\n")
    loaded = yaml.safe_load(head)
    assert isinstance(loaded, dict)
    return loaded


def to_html(page: str) -> str:
    """Render a generated page the way MkDocs does (Python-Markdown, the site's extensions)."""
    body = page.split("\n---\n", 1)[1]
    return markdown.markdown(body, extensions=["attr_list", "md_in_html", "tables", "toc"])


def test_every_page_of_the_site_is_generated(tmp_path: Path) -> None:
    incidents = [
        make_postmortem("2026-01-02-a", date=dt.date(2026, 1, 2), tags=("db",)),
        make_postmortem("2025-05-06-b", date=dt.date(2025, 5, 6)),
    ]
    pages = render_pages(build_catalog(incidents), settings_for(tmp_path), OPTIONS)

    assert sorted(pages) == [
        "actions.md",
        "incidents/2025-05-06-b.md",
        "incidents/2026-01-02-a.md",
        "incidents/index.md",
        "index.md",
        "insights.md",
        "lessons.md",
        "services.md",
        "tags.md",
        "themes.md",
    ]
    listing = pages["incidents/index.md"]
    assert listing.index("2026-01-02-a/") < listing.index("2025-05-06-b/")
    assert front_matter(pages["incidents/2026-01-02-a.md"]) == {
        "title": "2026 01 02 a",
        "tags": ["db"],
    }


def test_metadata_is_escaped_where_it_enters_the_page(tmp_path: Path) -> None:
    hostile = " ".join(XSS)
    incident = make_postmortem(
        "x",
        title=f"Title {hostile}",
        owners=(hostile,),
        tags=(hostile, "ok"),
        services=(hostile,),
        severity=hostile,
        authors=(hostile,),
        action_items=(action("Fix it", 10, owner=hostile),),
    )
    pages = render_pages(build_catalog([incident]), settings_for(tmp_path), OPTIONS)

    for path, page in pages.items():
        html = to_html(page)
        assert "<script" not in html, path
        assert "<img" not in html, path
        assert 'href="javascript:' not in html, path
    meta = front_matter(pages["incidents/x.md"])
    assert set(meta) == {"title", "tags"}
    assert meta["title"] == (
        'Title &lt;script&gt;alert(1)&lt;/script&gt; "&gt;&lt;img src=x onerror=alert(1)&gt; '
        "[x](javascript:alert(1))"
    )
    # Each value is shown as written, in the element that holds it, with no markup of its own
    # (the page also shows it elsewhere: each element is checked on its own).
    page = to_html(pages["incidents/x.md"])
    [heading] = re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.DOTALL)
    assert (tags_in(heading), shown_text(heading)) == ([], f"Title {hostile}")
    rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>(.*?)</td></tr>', page))
    for name in ("Severity", "Authors", "Owners"):
        assert (tags_in(rows[name]), shown_text(rows[name])) == ([], hostile), name
    assert (tags_in(rows["Services"]), shown_text(rows["Services"])) == (["a"], hostile)
    assert (tags_in(rows["Tags"]), shown_text(rows["Tags"])) == ([], f"{hostile}, ok")
    [owner] = re.findall(r'<span class="pmkb-chip pmkb-chip--owner">(.*?)</span>', page)
    assert (tags_in(owner), shown_text(owner)) == ([], hostile)


def tags_in(fragment: str) -> list[str]:
    """Return the elements inside an HTML fragment."""
    return re.findall(r"<(\w+)", fragment)


def shown_text(fragment: str) -> str:
    """Return the text an HTML fragment shows."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.mark.parametrize("policy", list(RawHtml))
def test_raw_html_in_bodies_follows_the_policy_and_never_runs(
    tmp_path: Path, policy: RawHtml
) -> None:
    body = "\n\n".join([*XSS, "<b>bold</b> and <a href='https://example.org' onclick='x()'>ok</a>"])
    incident = make_postmortem(
        "x",
        sections=(section("Notes", 1, 9, markdown="## Notes\n\n" + body, residual=((3, body),)),),
    )
    settings = settings_for(tmp_path, raw_html=policy)
    html = to_html(render_pages(build_catalog([incident]), settings, OPTIONS)["incidents/x.md"])

    assert "<script" not in html
    assert not re.search(r"<[^>]*\son\w+=", html)  # no event handler on any tag
    assert 'href="javascript:' not in html
    if policy is RawHtml.ESCAPE:
        assert "&lt;b&gt;bold&lt;/b&gt;" in html
    else:
        assert "<b>bold</b>" in html
        assert '<a href="https://example.org">ok</a>' in html


def test_sections_keep_document_order_with_residual_text_between_elements(
    tmp_path: Path,
) -> None:
    timeline = section(
        "Timeline",
        10,
        20,
        kind=SectionKind.TIMELINE,
        residual=((11, "All times UTC, first day."), (14, "Second day starts here.")),
    )
    actions = section(
        "Follow-up",
        21,
        30,
        kind=SectionKind.ACTION_ITEMS,
        residual=((23, "Between the two items."),),
    )
    incident = make_postmortem(
        "x",
        sections=(timeline, actions),
        timeline=(
            TimelineEvent(
                time="09:00", at=None, date=None, text="Deploy starts", phase=None, line=12
            ),
            TimelineEvent(
                time="09:05", at=None, date=None, text="Errors", phase=Phase.BEGINS, line=15
            ),
        ),
        action_items=(
            action("First item", 22, state=ActionState.DONE),
            action("Second item", 24, due=dt.date(2026, 1, 1)),
        ),
    )
    page = render_pages(build_catalog([incident]), settings_for(tmp_path), OPTIONS)[
        "incidents/x.md"
    ]

    html = to_html(page)
    order = [
        ">Timeline<",
        "All times UTC, first day.",
        "Deploy starts",
        "Second day starts here.",
        "Errors",
        ">Follow-up<",
        "First item",
        "Between the two items.",
        "Second item",
    ]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    assert 'class="pmkb-timeline"' in page
    assert 'data-phase="begins"' in page
    assert "1 of 2 action items done" in page
    assert "pmkb-action--overdue" in page


def test_a_status_update_log_written_newest_first_is_drawn_in_time_order(tmp_path: Path) -> None:
    incident = parse_text(
        "# Checkout errors\n\n"
        "**Resolved** - Checkout works again.\nMay 14, 16:45 UTC\n\n"
        "**Monitoring** - We rolled back the release.\nMay 14, 16:24 UTC\n\n"
        "**Investigating** - Some orders fail.\nMay 14, 15:31 UTC\n",
        source="2025-05-14-checkout.md",
    ).postmortem
    assert incident is not None
    page = render_pages(build_catalog([incident]), settings_for(tmp_path), OPTIONS)[
        "incidents/2025-05-14-checkout.md"
    ]
    times = re.findall(r'class="pmkb-event__time"[^>]*>([^<]*)<', page)
    assert [" ".join(t.split()) for t in times] == [
        "May 14, 15:31 UTC",
        "May 14, 16:24 UTC",
        "May 14, 16:45 UTC",
    ]
    # Every update is still on the page, once.
    assert all(page.count(text) == 1 for text in ("works again", "rolled back", "orders fail"))


def test_action_items_from_a_table_keep_the_table_header(tmp_path: Path) -> None:
    table = (
        "## Action items\n\n| Action | Owner | Ticket |\n|---|---|---|\n"
        "| Add an alert | @ann | OPS-1 |\n| Write a runbook | @bo | OPS-2 |"
    )
    incident = make_postmortem(
        "x",
        sections=(section("Action items", 5, 10, kind=SectionKind.ACTION_ITEMS, markdown=table),),
        action_items=(
            action("Add an alert", 9, owner="@ann", state=ActionState.DONE),
            action("Write a runbook", 10, owner="@bo"),
        ),
    )
    html = to_html(
        render_pages(build_catalog([incident]), settings_for(tmp_path), OPTIONS)["incidents/x.md"]
    )

    assert re.search(r"<th>Action</th><th>Owner</th><th>Ticket</th>", html)
    assert html.count('class="pmkb-action pmkb-action--') == 2
    assert "OPS-2" in html


def test_lessons_link_to_their_entry_on_the_lessons_page(tmp_path: Path) -> None:
    a = make_postmortem(
        "a",
        sections=(section("Lessons", 1, 5, kind=SectionKind.LESSONS),),
        lessons=(lesson("Rollback first", 3),),
    )
    b = make_postmortem("b", lessons=(lesson("Rollback first!", 7),))
    pages = render_pages(build_catalog([a, b]), settings_for(tmp_path), OPTIONS)

    assert 'href="../../lessons/#lesson-rollback-first"' in pages["incidents/a.md"]
    assert "Learned in 2 incidents" in pages["incidents/a.md"]
    lessons_html = to_html(pages["lessons.md"])
    assert 'id="lesson-rollback-first"' in lessons_html
    assert lessons_html.count('class="pmkb-occurrence"') == 2


def test_links_follow_the_sites_url_style(tmp_path: Path) -> None:
    incident = make_postmortem("x", services=("db",))
    catalog = build_catalog([incident])
    folders = render_pages(catalog, settings_for(tmp_path), OPTIONS)
    files = render_pages(catalog, settings_for(tmp_path), replace(OPTIONS, directory_urls=False))

    assert 'href="incidents/x/"' in folders["index.md"]
    assert 'href="../../services/#service-db"' in folders["incidents/x.md"]
    assert 'href="incidents/x.html"' in files["index.md"]
    assert 'href="../services.html#service-db"' in files["incidents/x.md"]


def test_services_whose_names_slug_alike_get_anchors_of_their_own(tmp_path: Path) -> None:
    # "a" and "a!" both slug to "a"; the second must not take the anchor of "a 2".
    incidents = [make_postmortem(name, services=(name,)) for name in ("a", "a 2", "a!")]
    page = render_pages(build_catalog(incidents), settings_for(tmp_path), OPTIONS)["services.md"]

    ids = re.findall(r'id="(service-[^"]+)"', to_html(page))
    assert sorted(ids) == ["service-a", "service-a-2", "service-a-3"]


def test_images_next_to_postmortems_are_copied_and_nothing_outside_is(tmp_path: Path) -> None:
    (tmp_path / "postmortems" / "img").mkdir(parents=True)
    (tmp_path / "postmortems" / "img" / "graph.png").write_bytes(b"\x89PNG")
    (tmp_path / "secret.txt").write_text("keys", encoding="utf-8")
    body = "![graph](img/graph.png) [secret](../secret.txt) [other](y.md#timeline)"
    x = make_postmortem("x", sections=(section("Notes", 1, 3, residual=((3, body),)),))
    y = make_postmortem("y")
    site = render_site(build_catalog([x, y]), settings_for(tmp_path), OPTIONS)

    page = site.pages["incidents/x.md"]
    assert dict(site.assets) == {
        "incidents/img/graph.png": (tmp_path / "postmortems" / "img" / "graph.png").resolve()
    }
    assert 'src="../img/graph.png"' in page
    assert 'href="../secret.txt"' in page
    assert 'href="../y/#timeline"' in page


def test_a_team_template_overrides_the_packaged_one(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "site"
    folder.mkdir(parents=True)
    (folder / "home.md.j2").write_text(
        "# {{ options.site_name | md }}\n\nWe had {{ catalog.postmortems | length }} incidents.\n",
        encoding="utf-8",
    )
    pages = render_pages(build_catalog([make_postmortem("x")]), settings_for(tmp_path), OPTIONS)

    assert pages["index.md"].endswith("# Test KB\n\nWe had 1 incidents.\n")
    assert "pmkb-timeline" not in pages["index.md"]


def test_a_broken_team_template_names_itself(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "site"
    folder.mkdir(parents=True)
    (folder / "lessons.md.j2").write_text("# Lessons\n\n{% for x in %}\n", encoding="utf-8")

    with pytest.raises(RenderError, match=r"lessons\.md\.j2:3"):
        render_pages(build_catalog([]), settings_for(tmp_path), OPTIONS)


def test_rendering_twice_gives_the_same_pages(tmp_path: Path) -> None:
    incidents = [
        make_postmortem(f"p{n}", date=dt.date(2025, 1, n), tags=("a", "b")[: n % 3])
        for n in range(1, 8)
    ]
    settings = settings_for(tmp_path)

    assert render_pages(build_catalog(incidents), settings, OPTIONS) == render_pages(
        build_catalog(list(reversed(incidents))), settings, OPTIONS
    )


def test_escaped_metadata_is_plain_text_in_python_markdown() -> None:
    texts = [*XSS, "# no heading", "*no emphasis* `no code` {: #no-attr }", "a\nb", "- x", "1. y"]
    for text in texts:
        html = markdown.markdown(f"## {escape_markdown(text)}", extensions=["attr_list"])
        assert html.count("<") == 2, html  # only <h2> and </h2>
        assert "id=" not in html


def test_sanitizer_keeps_harmless_html_and_removes_what_runs() -> None:
    dirty = (
        '<p onclick="x()">a<script>alert(1)</script><a href=" jav&#x09;ascript:alert(2)">b</a>'
        '<img src="data:image/svg+xml,&lt;svg onload=alert(3)&gt;" alt="c">'
        '<div id="pmkb-incidents">'
        "<svg><a xlink:href='javascript:alert(4)'>d</a></svg><!-- material/tags --></span>e"
    )
    clean = sanitize_html(dirty)

    assert clean == ('<p>a<a>b</a><img alt="c"><div id="user-content-pmkb-incidents">e</div></p>')


def test_markdown_links_to_script_urls_are_never_links() -> None:
    for policy in RawHtml:
        html = MarkupRenderer(policy).block(
            "[a](javascript:alert(1)) [b](VBScript:x) [c](data:text/html,x) <javascript:alert(1)>"
        )
        assert "href" not in html, (policy, html)


def test_write_site_never_touches_a_file_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "index.md").write_text("# Our own home page\n", encoding="utf-8")
    first = Site(pages={"index.md": "# Home\n", "lessons.md": "# L\n", "old.md": "# Old\n"})

    report = write_site(first, out)

    assert report.kept == ("index.md",)
    assert (out / "index.md").read_text(encoding="utf-8") == "# Our own home page\n"
    assert (out / "lessons.md").read_text(encoding="utf-8") == "# L\n"
    assert (out / MANIFEST).is_file()

    (out / "lessons.md").write_text("# Edited by hand\n", encoding="utf-8")
    second = write_site(Site(pages={"index.md": "# Home\n", "lessons.md": "# L2\n"}), out)

    assert second.removed == ("old.md",)
    assert not (out / "old.md").exists()
    assert second.kept == ("index.md", "lessons.md")
    assert (out / "lessons.md").read_text(encoding="utf-8") == "# Edited by hand\n"


def test_the_header_shows_the_publication_date_beside_the_incident_date(tmp_path: Path) -> None:
    incident = make_postmortem("blog", date=dt.date(2021, 3, 3))
    incident = replace(incident, published=dt.date(2021, 3, 19))
    same_day = replace(
        make_postmortem("kb", date=dt.date(2021, 3, 3)), published=dt.date(2021, 3, 3)
    )
    pages = render_pages(build_catalog([incident, same_day]), settings_for(tmp_path), OPTIONS)

    blog = to_html(pages["incidents/blog.md"])
    assert "2021-03-03" in blog
    assert re.search(r"Published.{0,200}2021-03-19", blog, re.S)
    assert "Published" not in to_html(pages["incidents/kb.md"])


def test_the_header_lists_the_incidents_of_a_log(tmp_path: Path) -> None:
    entries = (
        IncidentEntry(title="Search outage", date=dt.date(2021, 3, 3), line=3),
        IncidentEntry(title="Login failures", date=dt.date(2021, 4, 10), line=20),
    )
    log = replace(make_postmortem("log", date=dt.date(2021, 3, 3)), incidents=entries)
    pages = render_pages(build_catalog([log]), settings_for(tmp_path), OPTIONS)

    html = to_html(pages["incidents/log.md"])
    assert re.search(
        r"Incidents.{0,200}2021-03-03 Search outage; 2021-04-10 Login failures", html, re.S
    )


SITE_PATHS = ("index.md", "lessons.md", "incidents/index.md", "incidents/a.md", "a/b/c.md")
LINK_TARGETS = (
    *SITE_PATHS,
    "lessons.md#recurring-alert",
    "incidents/img/diagram.png",
    "assets/pmkb/pmkb.css",
    "incidents/../lessons.md",
    "../outside.png",
    "/abs.png",
)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_links_between_pages_are_the_urls_mkdocs_would_resolve(directory_urls: bool) -> None:
    # Each link is made relative to the page's own URL: the URL relpath gives, every time
    # (pmkb works it out without asking the system for the working folder).
    for page in SITE_PATHS:
        here = page_url(page, directory_urls)
        base = here.rsplit("/", 1)[0] if "/" in here else "."
        for target in LINK_TARGETS:
            path, mark, fragment = target.partition("#")
            there = page_url(path, directory_urls) if path.endswith(".md") else path
            expected = posixpath.relpath(there or ".", base or ".")
            expected = "./" if expected == "." else expected + ("/" if there.endswith("/") else "")
            url = relative_url(page, target, directory_urls=directory_urls)
            assert url == expected + mark + fragment, (page, target)


def test_a_page_of_many_pieces_has_them_all_in_order(tmp_path: Path) -> None:
    # A list page at 10,000 incidents is over a million pieces, joined a slice at a time.
    (tmp_path / "templates" / "site").mkdir(parents=True)
    (tmp_path / "templates" / "site" / "many.md.j2").write_text(
        "# Many\n{% for n in numbers %}- {{ n }}\n{% endfor %}", encoding="utf-8"
    )
    environment = create_environment(settings_for(tmp_path))
    page = render_template(environment, "many.md.j2", numbers=range(30_000))
    assert page == "# Many\n" + "".join(f"- {n}\n" for n in range(30_000))
