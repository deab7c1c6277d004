"""Links found in what incidents say: words, themes, recurring lessons, related incidents."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from pathlib import Path

import pytest

from generator import page_workers
from generator.catalog import build_catalog, load_catalog
from generator.export import dump_json, export_document
from generator.links import DEFAULT_THEMES, link_postmortems, merge_themes
from generator.links.related import POSTING_DEPTH
from generator.links.tokens import tokenize
from generator.models import Item, Lesson, LessonKind, Postmortem, RootCause
from generator.parse import parse_file
from generator.settings import Settings
from tests.models_factory import action, make_postmortem

EXAMPLES = Path(__file__).resolve().parent.parent / "postmortems"
"""The knowledge base's own example postmortems."""


def cause(text: str, line: int = 10) -> RootCause:
    """Return a root cause whose title is its first words."""
    return RootCause(title=text.split(".", maxsplit=1)[0], text=text, line=line)


def learned(text: str, line: int, *, tags: tuple[str, ...] = ()) -> Lesson:
    """Return a learned lesson."""
    return Lesson(title=text, text=text, kind=LessonKind.LEARNED, line=line, tags=tags)


def knowledge_base() -> list[Postmortem]:
    """Six incidents: two disk-space ones, two certificate ones, two unrelated."""
    return [
        make_postmortem(
            "2024-03-01-reports-disk",
            date=dt.date(2024, 3, 1),
            title="Reports database ran out of disk space",
            summary="The reports database stopped accepting writes when its volume filled up.",
            root_causes=(cause("The reports volume ran out of disk space after a backfill."),),
            lessons=(learned("Nobody watched how much disk space was left on the volume.", 20),),
        ),
        make_postmortem(
            "2025-07-09-ledger-disk",
            date=dt.date(2025, 7, 9),
            title="Ledger writes failed on a full volume",
            summary="Ledger writes failed for two hours: the database volume was full.",
            root_causes=(cause("The ledger volume filled up; the disk space alert was missing."),),
            action_items=(action("Alert before the storage quota runs out", 30),),
        ),
        make_postmortem(
            "2024-05-02-api-certificate",
            date=dt.date(2024, 5, 2),
            title="Public API certificate expired",
            summary="Clients were refused for an hour because the TLS certificate expired.",
            root_causes=(cause("The certificate expired: renewal was a manual calendar task."),),
        ),
        make_postmortem(
            "2025-11-20-partner-certificate",
            date=dt.date(2025, 11, 20),
            title="Partner gateway certificate expired",
            summary="The partner gateway refused connections once its certificate expired.",
            root_causes=(cause("The certificate expired because renewal was never automated."),),
        ),
        make_postmortem(
            "2025-02-14-search-typo",
            date=dt.date(2025, 2, 14),
            title="Search ranking outage",
            summary="An outage: users saw poorly ranked search results for a while.",
            root_causes=(cause("A ranking weight was inverted in a refactoring of the scorer."),),
        ),
        make_postmortem(
            "2025-04-30-mail-outage",
            date=dt.date(2025, 4, 30),
            title="Mail outage",
            summary="An outage: users got their receipts by mail a while late.",
            root_causes=(cause("The receipts queue consumer was paused during a holiday."),),
        ),
    ]


def test_english_words_meet_on_their_stems_and_small_words_are_dropped() -> None:
    assert tokenize("Alerting on alerts that alerted") == ["alert", "alert", "alert"]
    assert tokenize("The disks were full") == ["disk", "full"]
    # URLs and code name things; they do not say what happened.
    assert tokenize("See https://example.com/x and `kubectl drain`") == ["see"]


def test_japanese_is_cut_into_bigrams_and_katakana_words() -> None:
    terms = tokenize("設定変更でアラートが鳴らなかった")
    assert {"設定", "変更", "アラート"} <= set(terms)
    # No whitespace "word" made of the whole sentence.
    assert "設定変更でアラートが鳴らなかった" not in terms
    # The same words in two Japanese texts meet.
    assert set(tokenize("本番の設定変更")) & set(tokenize("設定変更を戻した")) >= {"設定", "変更"}


def test_themes_come_with_the_words_of_the_incident_that_showed_them() -> None:
    catalog = build_catalog(knowledge_base())
    themes = {p.id: catalog.links.themes_of(p) for p in catalog}

    disk = {t.id: t for t in themes["2024-03-01-reports-disk"]}
    assert "resource-exhaustion" in disk
    assert "ran out" in disk["resource-exhaustion"].triggers
    certificate = {t.id: t for t in themes["2024-05-02-api-certificate"]}
    assert "expired-credential" in certificate
    # An incident that only says "outage" and "users" has no theme.
    assert themes["2025-02-14-search-typo"] == ()


def test_japanese_postmortems_get_themes_too() -> None:
    incident = make_postmortem(
        "ja",
        title="決済APIの障害",
        root_causes=(cause("コネクションプールの枯渇によりメモリ不足が発生した。"),),
    )
    themes = build_catalog([incident]).links.themes_of(incident)
    assert [t.id for t in themes] == ["resource-exhaustion"]
    assert set(themes[0].triggers) >= {"枯渇", "メモリ不足"}


@pytest.mark.parametrize(
    "denial",
    [
        "No customer data was lost and nothing was corrupted.",
        "The import was not corrupted; there was no data loss.",
        "We restored it without data loss.",
        "データ損失: なし。破損はありませんでした。",
    ],
)
def test_what_a_postmortem_says_did_not_happen_gives_no_theme(denial: str) -> None:
    incident = make_postmortem(
        "denied",
        title="Reports were late",
        root_causes=(cause(f"A disk filled up and the job ran out of space. {denial}"),),
    )
    themes = {t.id for t in build_catalog([incident]).links.themes_of(incident)}
    assert themes == {"resource-exhaustion"}


@pytest.mark.parametrize(
    "said",
    [
        "Customer data was lost when the table was dropped.",
        "The monitoring had no alert on the queue, and the rows were corrupted.",
        "集計テーブルのデータ損失が発生した。",
    ],
)
def test_what_a_postmortem_says_did_happen_still_gives_the_theme(said: str) -> None:
    incident = make_postmortem(
        "said", title="Reports were late", root_causes=(cause(f"The job ran out of space. {said}"),)
    )
    themes = {t.id for t in build_catalog([incident]).links.themes_of(incident)}
    assert "data-loss" in themes


def test_the_theme_vocabulary_is_extended_and_turned_off_from_the_settings() -> None:
    themes = merge_themes(
        DEFAULT_THEMES,
        {
            "ranking-bug": ("Ranking bug", ("ranking weight",)),
            "expired-credential": None,
            "resource-exhaustion": ("", ("backfill",)),
        },
    )
    catalog = build_catalog(knowledge_base(), themes=themes)
    ids = {p.id: [t.id for t in catalog.links.themes_of(p)] for p in catalog}

    assert ids["2025-02-14-search-typo"] == ["ranking-bug"]
    assert "expired-credential" not in ids["2024-05-02-api-certificate"]
    exhaustion = next(
        t
        for t in catalog.links.themes_of(catalog.get("2024-03-01-reports-disk"))  # type: ignore[arg-type]
        if t.id == "resource-exhaustion"
    )
    assert exhaustion.title == "Resource exhaustion and capacity"
    assert "backfill" in exhaustion.triggers


def test_a_lesson_said_in_other_words_in_two_incidents_is_one_recurring_lesson() -> None:
    catalog = build_catalog(knowledge_base())

    recurring = {lesson.id: lesson for lesson in catalog.links.recurring}
    assert "alert-finite-resources" in recurring
    lesson = recurring["alert-finite-resources"]
    assert [p.id for p in lesson.incidents] == ["2024-03-01-reports-disk", "2025-07-09-ledger-disk"]
    places = {(o.postmortem.id, o.kind, o.line) for o in lesson.occurrences}
    assert ("2024-03-01-reports-disk", "lesson", 20) in places
    assert ("2025-07-09-ledger-disk", "action_item", 30) in places
    # Every recurring lesson spans several incidents.
    assert all(lesson.count >= 2 for lesson in catalog.links.recurring)


def test_certificates_left_to_expire_in_other_words_are_one_recurring_lesson() -> None:
    catalog = build_catalog(knowledge_base())

    recurring = {lesson.id: lesson for lesson in catalog.links.recurring}
    lesson = recurring["renew-before-expiry"]
    assert [p.id for p in lesson.incidents] == [
        "2024-05-02-api-certificate",
        "2025-11-20-partner-certificate",
    ]
    # The disk incidents, which say neither certificates nor expiry, are not in it.
    assert {o.kind for o in lesson.occurrences} == {"root_cause"}


def test_a_lessons_key_takes_a_lesson_out_of_a_wrong_grouping() -> None:
    incidents = knowledge_base()
    first = incidents[0]
    keyed = learned("Nobody watched how much disk space was left on the volume.", 20, tags=("x",))
    incidents[0] = make_postmortem(
        first.id,
        date=first.date,
        title=first.title,
        summary=first.summary,
        root_causes=first.root_causes,
        lessons=(keyed,),
    )
    catalog = build_catalog(incidents)

    for lesson in catalog.links.recurring:
        assert ("2024-03-01-reports-disk", 20) not in {
            (o.postmortem.id, o.line) for o in lesson.occurrences
        }


def test_related_incidents_are_the_ones_that_say_the_same_with_checkable_reasons() -> None:
    catalog = build_catalog(knowledge_base())
    related = {p.id: catalog.links.related(p) for p in catalog}

    first = related["2024-05-02-api-certificate"][0]
    assert first.postmortem.id == "2025-11-20-partner-certificate"
    assert any(reason.startswith("theme: Expired certificate") for reason in first.reasons)
    assert any("certificate" in reason for reason in first.reasons if reason.startswith("terms"))
    assert related["2025-07-09-ledger-disk"][0].postmortem.id == "2024-03-01-reports-disk"
    # Two incidents that are both "outages" seen by "users" are not related for it.
    assert related["2025-02-14-search-typo"] == ()
    assert related["2025-04-30-mail-outage"] == ()


def test_links_do_not_depend_on_the_order_the_files_were_read() -> None:
    incidents = knowledge_base()
    expected = dump_json(export_document(incidents, []))
    for seed in range(3):
        shuffled = incidents[:]
        random.Random(seed).shuffle(shuffled)
        again = json.loads(dump_json(export_document(shuffled, [])))
        by_id = {p["id"]: p for p in again["postmortems"]}
        document = json.loads(expected)
        assert again["recurring"] == document["recurring"]
        for postmortem in document["postmortems"]:
            assert by_id[postmortem["id"]]["related"] == postmortem["related"]
            assert by_id[postmortem["id"]]["themes"] == postmortem["themes"]


def test_a_public_build_links_nothing_to_an_internal_postmortem(tmp_path: Path) -> None:
    folder = tmp_path / "postmortems"
    folder.mkdir()
    body = (
        "---\ntitle: {title}\ndate: {date}\ninternal: {internal}\n---\n\n## Root cause\n\n"
        "The reports volume ran out of disk space after a backfill.\n\n## Action items\n\n"
        "- [ ] Alert before the storage quota runs out\n"
    )
    for name, date, internal in (("a", "2025-01-01", "false"), ("b", "2025-02-01", "true")):
        (folder / f"{name}.md").write_text(
            body.format(title=f"Disk full {name}", date=date, internal=internal), encoding="utf-8"
        )
    (folder / "c.md").write_text(
        body.format(title="Disk full c", date="2025-03-01", internal="false"), encoding="utf-8"
    )
    settings = Settings.for_folder(tmp_path)

    normal = load_catalog(settings)
    assert any(r.postmortem.id == "b" for r in normal.links.related(normal.get("a")))  # type: ignore[arg-type]

    public = load_catalog(Settings(**{**_fields(settings), "public": True}))
    ids = {p.id for p in public}
    assert ids == {"a", "c"}
    for postmortem in public:
        assert {r.postmortem.id for r in public.links.related(postmortem)} <= ids
    for lesson in public.links.recurring:
        assert {o.postmortem.id for o in lesson.occurrences} <= ids
    assert public.links.recurring, "the two public incidents still share their lesson"


def test_the_contributing_factors_and_mistakes_recur_too() -> None:
    a = make_postmortem(
        "a",
        contributing_factors=(Item(text="No monitoring of the remaining disk space.", line=5),),
    )
    b = make_postmortem(
        "b",
        contributing_factors=(Item(text="We had no alert before the quota ran out.", line=7),),
    )
    lessons = build_catalog([a, b]).links.recurring
    assert [lesson.id for lesson in lessons] == ["alert-finite-resources"]
    assert {o.kind for o in lessons[0].occurrences} == {"contributing_factor"}


def _fields(settings: Settings) -> dict[str, object]:
    return {name: getattr(settings, name) for name in settings.__dataclass_fields__}


def test_catalog_finds_links_once_when_first_asked() -> None:
    """The pages, exports and insights all read one linking pass, found when first asked for."""
    catalog = build_catalog(knowledge_base())
    first = catalog.links
    assert first.recurring
    assert catalog.links is first


def _many_incidents_sharing_a_name(heavy_first: bool) -> list[Postmortem]:
    """90 incidents; 28 name the system *zorblax*, two of them are all about it.

    The 26 others name it once among thirty other words, each shared by a few incidents, so
    that the name weighs little in them; 62 more say only such words.
    """
    rng = random.Random(11)
    syllables = ("ka", "ro", "ti", "mex", "lun", "dor", "vi", "zan", "pel", "qua", "sto", "rin")
    pool = sorted({rng.choice(syllables) + rng.choice(syllables) + "x" for _ in range(400)})[:120]
    incidents = []
    for number in range(88):
        words = " ".join(rng.sample(pool, 30))
        named = "The zorblax stalled. " if number < 26 else ""
        incidents.append(
            make_postmortem(f"light-{number:02d}", summary=f"{named}{words}.", date=None)
        )
    # Nothing but the name is shared by the two: no other word of theirs finds the other.
    for name, word, other in (("heavy-a", "quenched", "gaskets"), ("heavy-b", "wobbled", "rotors")):
        incidents.append(
            make_postmortem(
                name, title=f"Zorblax {word}", summary=f"Zorblax {other}: zorblax.", date=None
            )
        )
    # The catalog lists the newest first: the two incidents come first or last of all.
    start = dt.date(2020, 1, 1)
    order = incidents[-2:] + incidents[:-2] if heavy_first else incidents
    return [dataclasses.replace(p, date=start - dt.timedelta(days=n)) for n, p in enumerate(order)]


@pytest.mark.parametrize("heavy_first", [True, False], ids=["first", "last"])
def test_incidents_a_shared_name_weighs_most_in_find_each_other_wherever_listed(
    heavy_first: bool,
) -> None:
    """A name in more incidents than a posting list keeps (POSTING_DEPTH) still links the
    incidents it weighs most in, whether the catalog lists them first or last."""
    incidents = _many_incidents_sharing_a_name(heavy_first)
    named = [p for p in incidents if "zorblax" in (p.title + p.summary).lower()]
    assert len(named) > POSTING_DEPTH  # the name's posting list is cut
    catalog = build_catalog(incidents)

    related = {p.id: [r.postmortem.id for r in catalog.links.related(p)] for p in catalog}

    assert related["heavy-a"][:1] == ["heavy-b"]
    assert related["heavy-b"][:1] == ["heavy-a"]


def test_linking_on_every_core_finds_the_same_links_as_on_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each postmortem is read in a worker; the written forms of terms still come in order."""
    incidents = [
        *(parse_file(path).postmortem for path in sorted(EXAMPLES.glob("*.md"))),
        *knowledge_base(),
    ]
    one = link_postmortems(incidents)
    # A worker per core (two or more), each postmortem a task of its own: the workers take
    # turns, so each meets words the other met first.
    monkeypatch.setattr(page_workers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(page_workers, "SHARE", 1)
    every = link_postmortems(incidents)
    assert every == one
    assert any(r.reasons[-1].startswith("terms:") for p in incidents for r in one.related(p))
