"""A file that logs several incidents stays one document that lists them, nothing counted twice."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from generator.models import Postmortem, SectionKind
from generator.parse import parse_text

LOGS = {
    "english": ("Incident log", "Search outage", "Login failures", "Summary", "Timeline",
                "Action items"),
    "german": ("Störungsprotokoll", "Ausfall der Suche", "Anmeldefehler", "Zusammenfassung",
               "Zeitlicher Ablauf", "Maßnahmen"),
    "chinese": ("事故记录", "搜索中断", "登录失败", "概述", "时间线", "改进措施"),
    "korean": ("장애 기록", "검색 장애", "로그인 실패", "요약", "타임라인", "후속 조치"),
}  # fmt: skip


def parse(text: str) -> Postmortem:
    result = parse_text(textwrap.dedent(text).lstrip("\n"), source="log.md")
    assert result.postmortem is not None
    return result.postmortem


@pytest.mark.parametrize("language", list(LOGS))
def test_a_log_of_incidents_lists_them_and_reads_each_on_its_day(language: str) -> None:
    title, first, second, summary, timeline, actions = LOGS[language]
    postmortem = parse(f"""
        # {title}

        ## 2021-03-03: {first}

        ### {summary}

        Text one.

        ### {timeline}

        - 09:12 first errors
        - 09:40 fixed

        ### {actions}

        - [ ] one

        ## 2021-04-10: {second}

        ### {summary}

        Text two.

        ### {timeline}

        - 22:05 first errors

        ### {actions}

        - [x] two
        """)
    assert [(entry.date, entry.title) for entry in postmortem.incidents] == [
        (dt.date(2021, 3, 3), first),
        (dt.date(2021, 4, 10), second),
    ]
    assert postmortem.date == dt.date(2021, 3, 3)
    assert [event.at for event in postmortem.timeline] == [
        dt.datetime(2021, 3, 3, 9, 12),
        dt.datetime(2021, 3, 3, 9, 40),
        dt.datetime(2021, 4, 10, 22, 5),
    ]
    assert len(postmortem.action_items) == 2
    assert [s.kind for s in postmortem.sections].count(SectionKind.TIMELINE) == 2


def test_one_dated_title_is_not_a_log() -> None:
    postmortem = parse("# 2021-03-03: Search outage\n\n## Summary\n\nText.\n")
    assert postmortem.incidents == ()
