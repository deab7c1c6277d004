"""Which date is the incident's: a blog post's date is when it was published, not when it broke."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

from generator.export import dump_json, export_document
from generator.models import Postmortem
from generator.parse import parse_text


def parse(text: str, source: str = "doc.md") -> Postmortem:
    result = parse_text(textwrap.dedent(text).lstrip("\n"), source=source)
    assert result.postmortem is not None
    return result.postmortem


def test_the_title_names_the_incident_day_and_the_front_matter_the_post() -> None:
    postmortem = parse("""
        ---
        title: What we learned from the outage of 3 March 2021
        date: 2021-03-19
        ---
        Two weeks ago our checkout was down for an hour.
        """)
    assert postmortem.date == dt.date(2021, 3, 3)
    assert postmortem.published == dt.date(2021, 3, 19)


def test_a_day_without_its_year_takes_the_year_of_the_post() -> None:
    postmortem = parse("""
        ---
        title: Checkout outage
        date: 2021-03-08
        ---
        On March 3, a configuration push emptied the routing table.
        """)
    assert (postmortem.date, postmortem.published) == (dt.date(2021, 3, 3), dt.date(2021, 3, 8))


def test_yesterday_in_a_dated_post_is_the_day_before() -> None:
    postmortem = parse("""
        ---
        title: About yesterday's outage
        date: 2022-11-15
        ---
        Yesterday, between 14:00 and 15:10 UTC, logins failed.
        """)
    assert postmortem.date == dt.date(2022, 11, 14)
    assert postmortem.published == dt.date(2022, 11, 15)


def test_a_key_saying_when_the_incident_began_comes_before_the_post_date() -> None:
    postmortem = parse("""
        ---
        title: Queue backlog
        date: 2024-06-20
        started_at: 2024-06-11T22:40:00Z
        ---
        Summary text.
        """)
    assert (postmortem.date, postmortem.published) == (dt.date(2024, 6, 11), dt.date(2024, 6, 20))


def test_the_publication_path_dates_the_post() -> None:
    postmortem = parse(
        """
        # Database failover

        On 2021-04-29 the primary database failed over twice.
        """,
        source="blog/2021/05/04/database-failover.md",
    )
    assert (postmortem.date, postmortem.published) == (dt.date(2021, 4, 29), dt.date(2021, 5, 4))


def test_the_timeline_dates_the_incident_when_the_text_does_not() -> None:
    postmortem = parse("""
        ---
        title: Storage outage
        date: 2023-09-12
        ---
        ## Timeline

        - 2023-09-09 21:14 UTC Alerts fired for disk latency
        - 2023-09-09 22:30 UTC Service restored
        """)
    assert (postmortem.date, postmortem.published) == (dt.date(2023, 9, 9), dt.date(2023, 9, 12))


def test_a_knowledge_base_postmortem_keeps_its_front_matter_date() -> None:
    postmortem = parse("""
        ---
        title: Cache stampede
        date: 2025-08-12
        ---
        ## Timeline

        - 2025-08-10 The cache TTL change is merged (lead-up)
        - 09:00 Latency rises
        """)
    assert (postmortem.date, postmortem.published) == (dt.date(2025, 8, 12), None)


def test_the_file_name_date_is_a_fallback() -> None:
    postmortem = parse("# Disk full\n\nThe disk filled up.\n", source="2020-01-02-disk-full.md")
    assert (postmortem.date, postmortem.published) == (dt.date(2020, 1, 2), None)


def test_the_export_shows_both_dates() -> None:
    postmortem = parse("""
        ---
        title: The outage of 3 March 2021
        date: 2021-03-19
        ---
        Text.
        """)
    exported = json.loads(dump_json(export_document([postmortem], [])))["postmortems"][0]
    assert (exported["date"], exported["published"]) == ("2021-03-03", "2021-03-19")
