"""The search index's records come from the models: what a result shows and what it matches."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import search_records
from generator.build_cache import BuildCache
from generator.catalog import load_catalog
from generator.models import Postmortem
from generator.search_records import (
    build_incident_record,
    build_incident_records,
    strip_markdown,
)
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


def test_records_of_an_earlier_build_come_from_the_cache_while_their_postmortem_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = load_catalog(Settings.for_folder(ROOT))
    incidents = [(p, f"incidents/{catalog.slug(p)}/") for p in catalog]
    made: list[str] = []

    def build_counted(postmortem: Postmortem, url: str) -> object:
        made.append(url)
        return build_incident_record(postmortem, url)

    monkeypatch.setattr(search_records, "build_incident_record", build_counted)

    def build_with_cache(changed: str = "") -> list[search_records.SearchRecord]:
        cache = BuildCache(tmp_path / "pages")
        # A postmortem's fingerprint is its parse's cache key: a new one when its file changes.
        cache.fingerprints = {p.source: f"parse of {p.source}" for p, _ in incidents}
        if changed:
            cache.fingerprints[changed] = "its file changed"
        return list(build_incident_records(incidents, cache=cache))

    first = build_with_cache()
    assert first == [build_incident_record(p, url) for p, url in incidents]
    assert len(made) == len(incidents)
    made.clear()
    assert build_with_cache() == first
    assert made == []  # the same models and URLs: nothing made again
    assert build_with_cache(changed=incidents[1][0].source) == first
    assert made == [incidents[1][1]]
    made.clear()
    moved = [(p, url.replace("incidents/", "archive/")) for p, url in incidents[:2]]
    assert list(build_incident_records(moved, cache=BuildCache(tmp_path / "pages"))) == [
        build_incident_record(p, url) for p, url in moved
    ]
    assert made == [url for _, url in moved]  # a record names its page: a new URL, a new one


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
