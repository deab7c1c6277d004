"""The catalog: incidents in order, unique page names, lessons and actions across incidents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.catalog import (
    DUPLICATE_ID,
    build_catalog,
    lesson_keys,
    load_catalog,
)
from generator.errors import Severity
from generator.models import ActionState
from generator.parse.text import normalize_title
from generator.settings import Settings
from tests.models_factory import action, lesson, make_postmortem

TODAY = dt.date(2026, 3, 1)


def test_incidents_are_listed_newest_first_with_undated_ones_last() -> None:
    old = make_postmortem("old", date=dt.date(2024, 1, 5))
    new = make_postmortem("new", date=dt.date(2026, 2, 1))
    undated = make_postmortem("undated")
    middle = make_postmortem("middle", date=dt.date(2025, 6, 1))

    catalog = build_catalog([old, undated, new, middle])

    assert [p.id for p in catalog] == ["new", "middle", "old", "undated"]
    assert catalog.get("middle") is middle
    assert catalog.get("missing") is None


def test_page_names_are_safe_unique_and_never_the_index_page() -> None:
    first = make_postmortem("Outage: DNS / 2024", source="postmortems/a.md")
    second = make_postmortem("outage-dns-2024", source="postmortems/b.md")
    index = make_postmortem("index", source="postmortems/index.md")
    escape = make_postmortem("../../etc/passwd", source="postmortems/c.md")

    catalog = build_catalog([first, second, index, escape])
    slugs = [catalog.slug(p) for p in (first, second, index, escape)]

    assert slugs[0] == "outage-dns-2024"
    assert len(set(slugs)) == 4
    assert "index" not in slugs
    assert all("/" not in slug and ".." not in slug for slug in slugs)


def test_two_postmortems_with_one_id_are_both_kept_and_reported() -> None:
    first = make_postmortem("same", source="postmortems/a.md")
    second = make_postmortem("same", source="postmortems/b.md")

    catalog = build_catalog([second, first])

    assert len(catalog) == 2
    assert catalog.get("same") is first
    [problem] = catalog.diagnostics
    assert problem.code == DUPLICATE_ID
    assert problem.severity is Severity.ERROR
    assert problem.location.path == "postmortems/b.md"
    assert "postmortems/a.md" in problem.message


def test_open_actions_span_incidents_oldest_first_with_age_and_overdue() -> None:
    old = make_postmortem(
        "old",
        date=dt.date(2025, 3, 1),
        action_items=(
            action("Late", 10, due=dt.date(2026, 2, 1)),
            action("Done", 11, state=ActionState.DONE),
            action("Not doing", 12, state=ActionState.NOT_DOING),
            action("Started", 13, state=ActionState.IN_PROGRESS, due=TODAY),
        ),
    )
    new = make_postmortem("new", date=dt.date(2026, 2, 20), action_items=(action("Fresh", 5),))
    undated = make_postmortem("undated", action_items=(action("Whenever", 3),))

    found = build_catalog([new, undated, old]).open_actions(TODAY)

    assert [a.item.text for a in found] == ["Late", "Started", "Fresh", "Whenever"]
    assert [a.age_days for a in found] == [365, 365, 9, None]
    assert [a.overdue for a in found] == [True, False, False, False]


def test_the_same_lesson_in_several_incidents_is_one_group_most_relearned_first() -> None:
    a = make_postmortem(
        "a",
        date=dt.date(2026, 1, 1),
        lessons=(
            lesson("1. Always check the code references!", 3),
            lesson("Canaries catch config changes", 4),
        ),
    )
    b = make_postmortem(
        "b",
        date=dt.date(2025, 1, 1),
        lessons=(lesson("Always Check Code References", 7),),
    )
    c = make_postmortem(
        "c",
        date=dt.date(2024, 1, 1),
        lessons=(
            lesson("Look before you drop", 2, tags=("always-check-code-references",)),
            lesson("Something else entirely", 9),
        ),
    )

    catalog = build_catalog([c, a, b])
    top = catalog.lessons[0]

    assert top.count == 3
    assert top.title == "Always check the code references!"
    assert [p.id for p in top.incidents] == ["a", "b", "c"]
    assert [group.count for group in catalog.lessons] == [3, 1, 1]
    assert catalog.lesson_groups(c, c.lessons[0]) == (top,)
    assert len({group.anchor for group in catalog.lessons}) == len(catalog.lessons)


def test_lesson_keys_prefer_explicit_tags_over_the_title() -> None:
    tagged = lesson("Whatever the wording", 1, tags=("Rollback_first", "rollback first"))

    assert lesson_keys(tagged) == ("rollback first",)
    assert lesson_keys(lesson("#2: The rollback, first.", 1)) == ("rollback first",)
    assert normalize_title("3) Don't trust comments") == "don t trust comments"
    assert normalize_title("教訓：予算を共有する") == "教訓 予算を共有する"


def test_related_incidents_are_scored_by_what_they_share() -> None:
    base = make_postmortem(
        "base",
        services=("checkout", "db"),
        tags=("capacity",),
        lessons=(lesson("Budget connections", 1),),
    )
    shares_lesson = make_postmortem("lesson", lessons=(lesson("budget connections", 1),))
    shares_service = make_postmortem("service", services=("DB",))
    shares_tag = make_postmortem("tag", tags=("capacity",))
    unrelated = make_postmortem("none", services=("mail",))

    catalog = build_catalog([base, shares_lesson, shares_service, shares_tag, unrelated])
    related = catalog.related(base)

    # The author's own lesson weighs most, then a shared service; nothing links a stranger.
    assert [r.postmortem.id for r in related][:2] == ["lesson", "service"]
    assert related[0].score > related[1].score
    assert "lesson key: budget connections" in related[0].reasons
    assert "services: db" in related[1].reasons
    assert "none" not in [r.postmortem.id for r in related]


def test_services_and_tags_are_indexed_whatever_their_case() -> None:
    a = make_postmortem("a", date=dt.date(2026, 1, 1), services=("Checkout",), tags=("db",))
    b = make_postmortem("b", date=dt.date(2025, 1, 1), services=("checkout", "auth"))

    catalog = build_catalog([b, a])

    assert list(catalog.services) == ["auth", "Checkout"]
    assert catalog.services["Checkout"] == (a, b)
    assert catalog.tags["db"] == (a,)


def test_load_catalog_reads_every_file_once_and_a_broken_one_stops_nothing(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "postmortems"
    (folder / "nested").mkdir(parents=True)
    (folder / "2026-01-02-good.md").write_text(
        "---\ndate: 2026-01-02\n---\n# Good one\n\n## Summary\n\nFine.\n", encoding="utf-8"
    )
    (folder / "nested" / "second.markdown").write_text("# Second\n\nText.\n", encoding="utf-8")
    (folder / "broken.md").write_bytes(b"\xff\xfe\x00\x00\x00garbage\x00")
    (folder / "empty.md").write_text("", encoding="utf-8")
    (folder / "README.md").write_text("# About this folder\n", encoding="utf-8")
    (folder / "_draft.md").write_text("# Draft\n", encoding="utf-8")
    (folder / ".hidden.md").write_text("# Hidden\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a postmortem\n", encoding="utf-8")

    catalog = load_catalog(Settings.for_folder(tmp_path))

    assert sorted(p.title for p in catalog) == ["Good one", "Second"]
    paths = {d.location.path for d in catalog.diagnostics}
    assert "postmortems/empty.md" in paths
    assert all(not path.startswith(str(tmp_path)) for path in paths)
    assert {p.source for p in catalog} == {
        "postmortems/2026-01-02-good.md",
        "postmortems/nested/second.markdown",
    }


def test_a_public_catalog_leaves_internal_postmortems_out(tmp_path: Path) -> None:
    folder = tmp_path / "postmortems"
    folder.mkdir()
    (folder / "open.md").write_text("# Open\n\n## Lessons\n\n- Shared lesson\n", encoding="utf-8")
    (folder / "secret.md").write_text(
        "---\ninternal: true\n---\n# Secret\n\n## Action items\n\n- [ ] Rotate the vault key\n",
        encoding="utf-8",
    )
    settings = Settings.for_folder(tmp_path)

    private = load_catalog(settings)
    public = load_catalog(Settings(**{**_fields(settings), "public": True}))

    assert sorted(p.title for p in private) == ["Open", "Secret"]
    assert [p.title for p in public] == ["Open"]
    assert public.open_actions(TODAY) == ()


def _fields(settings: Settings) -> dict[str, object]:
    return {name: getattr(settings, name) for name in settings.__dataclass_fields__}
