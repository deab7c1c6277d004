"""Days named relative to a dated post: "yesterday" in a post of 5 May 2021 is 4 May.

The post's date comes from its front matter, its path or a "Posted:" line; the day it names is
the incident's, and the post's own date is kept as its publication date.
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator.models import Postmortem
from generator.parse import parse_text

POSTED = dt.date(2021, 5, 5)


def parse(text: str, source: str = "post.md") -> Postmortem:
    result = parse_text(text, source=source)
    assert result.postmortem is not None
    return result.postmortem


def post(body: str) -> str:
    return f"---\ntitle: API incident\ndate: {POSTED.isoformat()}\n---\n\n{body}"


@pytest.mark.parametrize(
    ("body", "days_before"),
    [
        # Under the title, with a summary section of its own further down.
        ("Yesterday at 14:00 UTC, our API returned errors.\n\n## What happened\n\nA deploy.\n", 1),
        # In the second of two opening sections.
        ("## Overview\n\nWe are sorry.\n\n## What happened\n\nYesterday our API failed.\n", 1),
        ("yesterday, between 14:00 and 15:10, the API failed.\n", 1),
        ("This morning our API failed for twenty minutes.\n", 0),
        ("Last night at 23:40 UTC our API failed.\n", 1),
        ("Last night at 01:10 UTC our API failed.\n", 0),  # after midnight: the post's day
        ("The day before yesterday our API failed.\n", 2),
        ("Gestern um 14:00 UTC fiel die API aus.\n", 1),
        ("Hier soir, l'API était indisponible.\n", 1),
        ("Ayer a las 14:00 UTC la API falló.\n", 1),
        ("Ontem às 14:00 UTC a API falhou.\n", 1),
        ("昨日14:00頃、APIが停止しました。\n", 1),
        ("一昨日、APIが停止しました。\n", 2),
        ("어제 14:00에 API 장애가 발생했습니다.\n", 1),
    ],
)
def test_a_relative_day_counts_from_the_post(body: str, days_before: int) -> None:
    postmortem = parse(post(body))
    assert postmortem.date == POSTED - dt.timedelta(days=days_before)
    assert postmortem.published == POSTED  # shown beside the incident's day


def test_german_hier_is_here_not_yesterday() -> None:
    postmortem = parse(post("Hier ist unser Bericht über den Ausfall der API.\n"))
    assert postmortem.date == POSTED


def test_the_timeline_takes_the_day_yesterday_names() -> None:
    postmortem = parse(
        "# API incident\n\nYesterday our API failed.\n\n"
        "## Timeline\n\n- 14:00 UTC errors start\n- 15:10 UTC fixed\n",
        source="blog/2021/05/05/api-incident.md",
    )
    assert [e.at for e in postmortem.timeline] == [
        dt.datetime(2021, 5, 4, 14, 0, tzinfo=dt.UTC),
        dt.datetime(2021, 5, 4, 15, 10, tzinfo=dt.UTC),
    ]
    assert postmortem.published == POSTED


def test_a_posted_line_dates_the_post() -> None:
    postmortem = parse("# API incident\n\nPosted: May 5, 2021\n\nYesterday our API failed.\n")
    assert (postmortem.date, postmortem.published) == (dt.date(2021, 5, 4), POSTED)
