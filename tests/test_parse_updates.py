"""Status-update logs: a status page's incident, or a write-up of dated updates, is a timeline."""

from __future__ import annotations

import datetime as dt
import textwrap

from generator.models import Phase, Postmortem, SectionKind
from generator.parse import parse_text

UTC = dt.UTC


def parse(text: str) -> Postmortem:
    result = parse_text(textwrap.dedent(text).lstrip("\n"), source="doc.md")
    assert result.postmortem is not None
    return result.postmortem


def test_a_status_page_newest_first_is_read_in_time_order() -> None:
    postmortem = parse("""
        ---
        title: Elevated error rates on the API
        date: 2021-05-04
        ---
        **Resolved** - Error rates are back to normal.
        May 4, 16:32 UTC

        **Monitoring** - A fix is out and we are watching the error rate.
        May 4, 15:50 UTC

        **Identified** - A bad cache node is returning errors.
        May 4, 15:10 UTC

        **Investigating** - We are looking into elevated error rates.
        May 4, 14:45 UTC
        """)
    assert [(event.at, event.phase) for event in postmortem.timeline] == [
        (dt.datetime(2021, 5, 4, 14, 45, tzinfo=UTC), Phase.DETECTED),
        (dt.datetime(2021, 5, 4, 15, 10, tzinfo=UTC), None),
        (dt.datetime(2021, 5, 4, 15, 50, tzinfo=UTC), Phase.MITIGATED),
        (dt.datetime(2021, 5, 4, 16, 32, tzinfo=UTC), Phase.RESOLVED),
    ]
    assert postmortem.timeline[0].text.startswith("**Investigating**")


def test_update_headings_without_a_year_take_it_from_the_document() -> None:
    postmortem = parse("""
        # Login outage of March 2022 (Mar 9, 2022)

        ## Update — Mar 9, 08:05 UTC

        We are investigating failed logins.

        ## Update — Mar 9, 08:40 UTC

        A rollback is in progress.

        ## Update — Mar 9, 09:15 UTC

        Logins work again; the incident is resolved.
        """)
    assert [s.kind for s in postmortem.sections][1:] == [SectionKind.TIMELINE] * 3
    assert [event.at for event in postmortem.timeline] == [
        dt.datetime(2022, 3, 9, 8, 5, tzinfo=UTC),
        dt.datetime(2022, 3, 9, 8, 40, tzinfo=UTC),
        dt.datetime(2022, 3, 9, 9, 15, tzinfo=UTC),
    ]
    assert postmortem.timeline[0].text.startswith("Update")
    assert "investigating failed logins" in postmortem.timeline[0].text


def test_a_list_of_updates_in_another_language_is_a_timeline() -> None:
    postmortem = parse("""
        # Störung der Anmeldung am 9. März 2022

        - Aktualisierung 10:15 CET: Die Anmeldung funktioniert wieder, Störung behoben.
        - Aktualisierung 09:40 CET: Rollback läuft.
        - Aktualisierung 09:05 CET: Fehler erkannt, wir untersuchen.
        """)
    assert postmortem.date == dt.date(2022, 3, 9)
    assert [event.phase for event in postmortem.timeline] == [
        Phase.DETECTED,
        None,
        Phase.RESOLVED,
    ]
    assert [event.at.hour if event.at else None for event in postmortem.timeline] == [9, 9, 10]
