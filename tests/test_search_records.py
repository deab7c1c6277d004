"""The search index's records come from the models: what a result shows and what it matches."""

from __future__ import annotations

from pathlib import Path

from generator.catalog import load_catalog
from generator.search_records import build_incident_record, choose_language, strip_markdown
from generator.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_an_incident_record_holds_its_text_and_the_facts_a_result_shows() -> None:
    catalog = load_catalog(Settings.for_folder(ROOT))
    for postmortem in catalog:
        record = build_incident_record(postmortem, "incidents/x/")
        assert record.meta["title"] == postmortem.title
        assert record.meta["status"]
        if postmortem.date is not None:
            assert record.meta["date"] == postmortem.date.isoformat()
        if postmortem.severity:
            assert record.meta["severity"] == postmortem.severity
        for lesson in postmortem.lessons:  # every lesson's words are searchable
            assert strip_markdown(lesson.title).split()[0] in record.content
        # The page's furniture is not the author's text: it never answers a query.
        assert "Related incidents" not in record.content
        assert "Source:" not in record.content


def test_markdown_markers_leave_the_snippet_text() -> None:
    text = strip_markdown(
        "## Impact\n\n- [x] **Rolled back** the [deploy](https://example.com/d) at `14:02`\n"
        "| When | What |\n|---|---|\n| 14:02 | paged |\n"
    )
    assert text.splitlines() == [
        "Impact",
        "Rolled back the deploy at 14:02",
        "When · What",
        "14:02 · paged",
    ]


def test_the_index_language_is_japanese_when_any_record_is() -> None:
    assert choose_language(["Database failover", "データベースの障害"], "en") == "ja"
    assert choose_language(["Database failover", "数据库故障"], "en") == "zh"
    assert choose_language(["Database failover"], "de") == "de"
    # An English page quoting a few Japanese words is English: the index stays the site's.
    quoting = "A term after no or not does not count, nor Japanese followed by なし or ない. " * 3
    assert choose_language([quoting, "Database failover"], "en") == "en"
    assert choose_language([quoting, "レプリカの遅延でデータベースが停止した"], "en") == "ja"
