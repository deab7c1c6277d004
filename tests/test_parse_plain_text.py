"""Postmortems pasted from a word processor or a chat tool, and where their titles hide.

Plain text has no Markdown headings and few blank lines: label lines (``Summary:``,
``Timeline:``, ``Next steps:``) and ``09:12 CET: text`` lines inside one paragraph. Titles hide
behind a generic first line or H1 ("Post-mortem", "Incident report", "[Public]").
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from generator.models import ActionState, Phase, Postmortem, SectionKind
from generator.parse import parse_text

K = SectionKind


def parse(text: str, source: str = "doc.md") -> Postmortem:
    result = parse_text(textwrap.dedent(text).lstrip("\n"), source=source)
    assert result.postmortem is not None
    return result.postmortem


# (generic first line, title, summary label, timeline label, cause label, next-steps label,
#  a state word for a done item)
LABELS = {
    "english": ("Incident report", "Search outage", "Summary", "Timeline", "Cause", "Next steps",
                "DONE"),
    "german": ("Störungsbericht", "Ausfall der Suche", "Zusammenfassung", "Zeitlicher Ablauf",
               "Ursache", "Nächste Schritte", "ERLEDIGT"),
    "french": ("Rapport d'incident", "Panne de la recherche", "Résumé", "Chronologie", "Cause",
               "Prochaines étapes", "FAIT"),
    "spanish": ("Informe de incidente", "Caída de la búsqueda", "Resumen", "Cronología",
                "Causa raíz", "Próximos pasos", "HECHO"),
    "portuguese": ("Relatório de incidente", "Queda da busca", "Resumo", "Linha do tempo",
                   "Causa raiz", "Próximos passos", "FEITO"),
    "chinese": ("事故报告", "搜索服务中断", "概述", "时间线", "根本原因", "改进措施", "已完成"),
    "japanese": ("障害報告書", "検索の停止", "概要", "タイムライン", "原因", "再発防止策", "完了"),
    "korean": ("장애 보고서", "검색 장애", "요약", "타임라인", "원인", "후속 조치", "완료"),
}  # fmt: skip


@pytest.mark.parametrize("language", list(LABELS))
def test_label_lines_in_one_paragraph_start_sections(language: str) -> None:
    generic, title, summary, timeline, cause, steps, done = LABELS[language]
    postmortem = parse(
        f"{generic}\n{title}\n{summary}: Search returned errors.\n{timeline}:\n"
        "09:12 CET: first errors\n09:20 CET: paged\nsecond line of the page event\n"
        f"09:41 CET: fixed\n{cause}: a full disk.\n{steps}:\n{done}: free the disk\n"
        "add a disk alert\n",
        source="2022-04-05-search.md",
    )
    assert postmortem.title == title
    kinds = [section.kind for section in postmortem.sections if section.level]
    assert kinds == [K.SUMMARY, K.TIMELINE, K.ROOT_CAUSE, K.ACTION_ITEMS]
    assert [event.at for event in postmortem.timeline] == [
        dt.datetime(2022, 4, 5, h, m, tzinfo=dt.timezone(dt.timedelta(hours=1)))
        for h, m in ((9, 12), (9, 20), (9, 41))
    ]
    assert postmortem.timeline[1].text.endswith("second line of the page event")
    assert [(item.state, item.line) for item in postmortem.action_items] == [
        (ActionState.DONE, 11),
        (ActionState.OPEN, 12),
    ]


def test_lines_joined_with_br_are_one_event_each() -> None:
    postmortem = parse("""
        # Login failures

        ## Timeline

        14:00 UTC deploy started<br>14:05 UTC errors detected<br/>14:30 UTC incident resolved
        """)
    assert [event.phase for event in postmortem.timeline] == [
        None,
        Phase.DETECTED,
        Phase.RESOLVED,
    ]


def test_compound_labels_and_a_follow_up_label_with_its_item_on_the_same_line() -> None:
    postmortem = parse("""
        Payment retries
        Summary: retries doubled the load.
        Root cause and resolution: a retry loop; we capped it.
        Follow-ups: cap retries in every client
        """)
    assert [s.kind for s in postmortem.sections if s.level] == [
        K.SUMMARY,
        K.ROOT_CAUSE,
        K.ACTION_ITEMS,
    ]
    assert [item.text for item in postmortem.action_items] == ["cap retries in every client"]


def test_a_block_of_key_value_lines_stays_metadata() -> None:
    postmortem = parse("""
        # Cache outage

        **Date**: 2024-02-02
        **Severity**: SEV2
        **Impact**: the cache was empty for an hour

        ## Timeline

        - 10:00 cache flushed
        """)
    assert postmortem.severity == "SEV2"
    assert [s.kind for s in postmortem.sections] == [K.OTHER, K.TIMELINE]


@pytest.mark.parametrize(
    ("document", "title"),
    [
        (
            "# Post-mortem\n\nDatabase failover loop\n\n## Summary\n\nText.\n",
            "Database failover loop",
        ),
        ("# Incident report\n\n## Database failover loop\n\nText.\n", "Database failover loop"),
        ("# [Public] Database failover loop\n\nText.\n", "Database failover loop"),
        (
            "---\ntitle: Postmortem\n---\n# Incident report\n\n"
            "## Database failover loop\n\nText.\n",
            "Database failover loop",
        ),
        ("Database failover loop\n\nThe primary kept failing over.\n", "Database failover loop"),
        ("# 障害報告書\n\n## 決済APIの停止\n\n本文。\n", "決済APIの停止"),
        ("# Störungsbericht: Ausfall der Suche\n\nText.\n", "Ausfall der Suche"),
    ],
)
def test_the_specific_title_wins_over_a_generic_one(document: str, title: str) -> None:
    assert parse(document).title == title


def test_a_front_matter_title_is_plain_text_kept_as_written() -> None:
    # Front matter is not Markdown: underscores, asterisks and tags in it are the author's words.
    document = "---\ntitle: nightly_export_job *stuck* on <Queue>\n---\n\nText.\n"
    assert parse(document).title == "nightly_export_job *stuck* on <Queue>"


def test_a_sentence_is_not_taken_for_a_title() -> None:
    postmortem = parse(
        "The primary database failed over twice in an hour.\n\n## Impact\n\nSlow.\n",
        source="db-failover.md",
    )
    assert postmortem.title == "db failover"


def test_notion_export_with_every_heading_an_h1_is_read_by_structure() -> None:
    postmortem = parse("""
        # Queue backlog

        Owner: ana

        # Summary

        Jobs waited for hours.

        # Timeline

        - 2023-05-02 08:00 queue depth alert fired
        - 2023-05-02 09:10 workers scaled up and backlog resolved

        # Action items

        - [ ] alert on queue age
        """)
    assert postmortem.title == "Queue backlog"
    assert [s.kind for s in postmortem.sections] == [
        K.OTHER,
        K.SUMMARY,
        K.TIMELINE,
        K.ACTION_ITEMS,
    ]
    assert postmortem.date == dt.date(2023, 5, 2)
    assert len(postmortem.open_action_items) == 1
