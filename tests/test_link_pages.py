"""What the pages show of the links: recurring lessons, recurrence notes, themes, related."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from generator.catalog import load_catalog
from generator.link_views import QUOTED_OCCURRENCES
from generator.render import SiteOptions, render_pages
from generator.settings import Settings

OPTIONS = SiteOptions(today=dt.date(2026, 6, 1), site_name="Test KB")

POSTMORTEM = """---
title: {title}
date: {date}
---

# {title}

## Summary

{summary}

## Root cause

{cause}

## Action items

- [ ] {action}
"""


def write_knowledge_base(root: Path) -> Settings:
    """Write three postmortems: two about a full disk in different words, one unrelated."""
    folder = root / "postmortems"
    folder.mkdir(parents=True)
    incidents = {
        "2024-02-01-reports-disk": (
            "Reports database <b>full</b>",
            "2024-02-01",
            "The reports database stopped taking writes when its volume filled up.",
            "The reports volume ran out of disk space after a backfill.",
            "Alert before the disk space runs out on the reports volume",
        ),
        "2025-09-12-ledger-disk": (
            "Ledger volume filled up",
            "2025-09-12",
            "Ledger writes failed for two hours because the database volume was full.",
            "Nobody watched the storage quota of the ledger volume until it ran out.",
            "Add a dashboard and an alert on the remaining quota",
        ),
        "2025-03-03-rota": (
            "Rota page showed last week",
            "2025-03-03",
            "The rota page showed last week's rota for a day.",
            "A cached copy of the rota was never refreshed by the timetable import.",
            "Refresh the cached rota when the timetable import finishes",
        ),
    }
    for name, (title, date, summary, cause, action) in incidents.items():
        text = POSTMORTEM.format(
            title=title, date=date, summary=summary, cause=cause, action=action
        )
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return Settings.for_folder(root)


def test_lessons_page_leads_with_the_recurring_lesson_quoting_each_occurrence(
    tmp_path: Path,
) -> None:
    settings = write_knowledge_base(tmp_path)
    pages = render_pages(load_catalog(settings), settings, OPTIONS)
    lessons = pages["lessons.md"]

    first_heading = re.search(r"^## (.+)$", lessons, re.M)
    assert first_heading is not None
    assert first_heading.group(1).startswith("Alert on finite resources before they run out")
    # Each occurrence: its incident, its words, and a link to its place on the incident page.
    assert "Nobody watched the storage quota" in lessons
    assert "Alert before the disk space runs out" in lessons
    # A root cause that does not say the lesson is not quoted as one.
    assert "after a backfill" not in lessons
    places = re.findall(r'href="([^"]*#pmkb-line-\d+)"', lessons)
    assert any(p.startswith("../incidents/2024-02-01-reports-disk/#pmkb-line-") for p in places)
    assert any(p.startswith("../incidents/2025-09-12-ledger-disk/#pmkb-line-") for p in places)
    # An author's HTML in a title is shown as text.
    assert "<b>full</b>" not in lessons and "&lt;b&gt;full&lt;/b&gt;" in lessons


def test_a_recurring_element_says_where_it_was_learned_before_and_again(tmp_path: Path) -> None:
    settings = write_knowledge_base(tmp_path)
    catalog = load_catalog(settings)
    pages = render_pages(catalog, settings, OPTIONS)
    older = pages["incidents/2024-02-01-reports-disk.md"]
    newer = pages["incidents/2025-09-12-ledger-disk.md"]

    again = re.search(r'again in <a class="pmkb-recurs__again" href="([^"]+)">([^<]+)</a>', older)
    assert again is not None
    assert again.group(1).startswith("../2025-09-12-ledger-disk/#pmkb-line-")
    assert again.group(2) == "Ledger volume filled up"
    before = re.search(
        r'learned before in <a class="pmkb-recurs__before" href="([^"]+)">([^<]+)</a> '
        r"\(2024-02-01\)",
        newer,
    )
    assert before is not None
    assert before.group(1).startswith("../2024-02-01-reports-disk/#pmkb-line-")
    # The anchor a note links to is on the other page.
    anchor = before.group(1).split("#")[1]
    assert f'id="{anchor}"' in older
    assert "learned before" not in older and "again in" not in newer
    # The older incident's title has HTML in it: the note shows it as text.
    assert "Reports database &lt;b&gt;full&lt;/b&gt;" in newer and "<b>full</b>" not in newer
    # The unrelated incident says nothing of the sort.
    assert "pmkb-recurs" not in pages["incidents/2025-03-03-rota.md"]


def test_themes_page_counts_incidents_per_theme_per_year(tmp_path: Path) -> None:
    settings = write_knowledge_base(tmp_path)
    pages = render_pages(load_catalog(settings), settings, OPTIONS)
    themes = pages["themes.md"]

    row = re.search(r'<tr data-theme="resource-exhaustion">(.*?)</tr>', themes)
    assert row is not None
    cells = re.findall(r'<td class="pmkb-num">(\d*)</td>', row.group(1))
    # Total, then 2024 and 2025.
    assert cells == ["2", "1", "1"]
    assert "Rota page showed last week" not in themes


def test_incident_page_shows_its_themes_apart_from_tags_and_related_with_reasons(
    tmp_path: Path,
) -> None:
    settings = write_knowledge_base(tmp_path)
    pages = render_pages(load_catalog(settings), settings, OPTIONS)
    page = pages["incidents/2025-09-12-ledger-disk.md"]

    themes = re.search(r'<p class="pmkb-themes">(.*?)</p>', page)
    assert themes is not None
    assert "Resource exhaustion and capacity" in themes.group(1)
    assert "ran out" in themes.group(1)
    related = page.split("## Related incidents", 1)[1]
    assert "Reports database" in related
    assert "recurring lesson: Alert on finite resources" in related
    assert "Rota page" not in related


def test_themes_page_quotes_each_trigger_in_the_incidents_own_words(tmp_path: Path) -> None:
    settings = write_knowledge_base(tmp_path)
    pages = render_pages(load_catalog(settings), settings, OPTIONS)
    themes = pages["themes.md"]

    item = re.search(r'<li><a [^>]*href="../incidents/2024-02-01-reports-disk/".*?</li>', themes)
    assert item is not None
    quotes = re.findall(r'<span class="pmkb-theme__quote">“(.*?)”</span>', item.group())
    # Two cues said in one sentence are marked in one quote of that sentence, as written.
    sentence = (
        "The reports volume <mark>ran out</mark> of <mark>disk space</mark> after a backfill."
    )
    assert sentence in quotes
    # A cue said in another form ("run out") is quoted in the incident's form.
    assert any("<mark>runs out</mark> on the reports volume" in quote for quote in quotes)
    ledger = re.search(r'<li><a [^>]*href="../incidents/2025-09-12-ledger-disk/".*?</li>', themes)
    assert ledger is not None
    # A long sentence is cut at whole words, with an ellipsis where it goes on.
    assert "…storage quota of the ledger volume until it <mark>ran out</mark>." in ledger.group()
    # The incident page quotes its themes' triggers the same way.
    page = pages["incidents/2025-09-12-ledger-disk.md"]
    assert "…storage quota of the ledger volume until it <mark>ran out</mark>." in page


def render_summaries(root: Path, summaries: dict[str, str]) -> dict[str, str]:
    """Return the pages of postmortems named by date and slug, each with its summary."""
    folder = root / "postmortems"
    folder.mkdir()
    for name, summary in summaries.items():
        (folder / f"{name}.md").write_text(
            POSTMORTEM.format(
                title=name, date=name[:10], summary=summary, cause="See summary.", action="Renew"
            ),
            encoding="utf-8",
        )
    settings = Settings.for_folder(root)
    return render_pages(load_catalog(settings), settings, OPTIONS)


def test_trigger_quotes_show_the_authors_words_escaped(tmp_path: Path) -> None:
    summaries = {
        "2025-01-04-edge-certs": "Both <em>edge</em> certificates expired on Sunday & nobody knew",
        "2026-02-07-api-certs": "The API certificate expired at midnight: clients saw TLS errors.",
    }
    pages = render_summaries(tmp_path, summaries)
    for text in (pages["themes.md"], pages["incidents/2025-01-04-edge-certs.md"]):
        # The cue "certificate expired", quoted as the author wrote it, their HTML as text.
        assert (
            "Both &lt;em&gt;edge&lt;/em&gt; <mark>certificates expired</mark> on Sunday &amp; "
            "nobody knew" in text
        )
        assert "<em>edge</em>" not in text
    assert "The API <mark>certificate expired</mark> at midnight" in pages["themes.md"]


def test_a_quote_marks_the_cue_as_written_in_any_case_and_after_any_letters(
    tmp_path: Path,
) -> None:
    # "İ" lower-cases to two characters: words after it must still be found where they are.
    themes = render_summaries(
        tmp_path,
        {
            "2025-01-04-istanbul-certs": "In İstanbul both edge CERTIFICATES Expired on Sunday.",
            "2026-02-07-api-certs": "The API Certificate EXPIRED at midnight: clients saw errors.",
        },
    )["themes.md"]
    assert "In İstanbul both edge <mark>CERTIFICATES Expired</mark> on Sunday." in themes
    assert "The API <mark>Certificate EXPIRED</mark> at midnight" in themes


def test_a_long_lesson_is_quoted_once_on_the_lessons_page(tmp_path: Path) -> None:
    folder = tmp_path / "postmortems"
    folder.mkdir()
    lesson = (
        "Disk space is a budget we can see running out days ahead; it belongs in an alert\n  that "
        "pages the on-call long before the volume is full, not in a weekly report nobody reads."
    )
    for name in ("2025-01-04-reports-disk", "2026-02-07-ledger-disk"):
        (folder / f"{name}.md").write_text(
            f"# {name}\n\n## Summary\n\nThe disk filled up.\n\n## Lessons learned\n\n- {lesson}\n",
            encoding="utf-8",
        )
    settings = Settings.for_folder(tmp_path)
    catalog = load_catalog(settings)
    # The parser shortens a long lesson's title (its lines joined): it must not be quoted before
    # the whole text, which is wrapped.
    assert all(p.lessons[0].title.endswith("…") for p in catalog)
    lessons = render_pages(catalog, settings, OPTIONS)["lessons.md"]
    quotes = re.findall(
        r'<blockquote class="[^"]*pmkb-occurrence__quote">(.*?)</blockquote>', lessons, re.S
    )
    assert len(quotes) >= 2  # once per incident (and per recurring lesson it says)
    for quote in quotes:
        assert quote.count("Disk space is a budget") == 1


def test_a_lesson_re_learned_many_times_quotes_its_first_occurrences_and_links_every_one(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "postmortems"
    folder.mkdir()
    count = QUOTED_OCCURRENCES + 3
    for day in range(1, count + 1):
        (folder / f"2025-01-{day:02d}-disk-{day}.md").write_text(
            f"---\ndate: 2025-01-{day:02d}\n---\n\n# Disk {day} filled up\n\n## Summary\n\n"
            f"The disk filled up.\n\n## Lessons learned\n\n"
            f"- Alert before the disk fills up: said in incident number {day}.\n",
            encoding="utf-8",
        )
    settings = Settings.for_folder(tmp_path)
    lessons = render_pages(load_catalog(settings), settings, OPTIONS)["lessons.md"]
    recurring = lessons[: lessons.index("## Every lesson")]
    # Every occurrence is listed and linked to its place; the oldest are the ones quoted.
    assert recurring.count('class="pmkb-chip pmkb-chip--kind pmkb-occurrence__place"') == count
    quotes = re.findall(r'pmkb-occurrence__quote">(.*?)</blockquote>', recurring, re.S)
    numbers = [int(n) for quote in quotes for n in re.findall(r"incident number (\d+)", quote)]
    assert numbers == list(range(1, QUOTED_OCCURRENCES + 1))
    assert recurring.count("pmkb-occurrence--unquoted") == count - QUOTED_OCCURRENCES
    assert f"the first {QUOTED_OCCURRENCES} of each are quoted" in recurring
