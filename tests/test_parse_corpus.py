"""Reviewed snapshots of the model of every real postmortem and template of the shared corpus.

Each snapshot in ``tests/snapshots/`` is the structure the parser reads from one file (titles,
times, kinds, states and counts, no body text), and was checked against its source by a careful
reader: where they disagreed, the parser was fixed, not the snapshot. A parser change that
alters any of them fails here; if the new reading is better, regenerate with
``PMKB_UPDATE_SNAPSHOTS=1 pytest tests/test_parse_corpus.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from generator.export import to_json
from generator.models import Postmortem
from generator.parse import parse_file
from tests.conftest import CORPUS_POSTMORTEMS, CORPUS_TEMPLATES

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("PMKB_UPDATE_SNAPSHOTS") == "1"


def summarize(postmortem: Postmortem) -> dict[str, Any]:
    """Return what a reviewer checks of a model, without copying the document's prose."""
    return {
        "title": postmortem.title,
        "date": to_json(postmortem.date),
        "published": to_json(postmortem.published),
        "status": postmortem.status.value,
        "severity": postmortem.severity,
        "timezone": postmortem.timezone,
        "authors": list(postmortem.authors),
        "services": list(postmortem.services),
        "tags": list(postmortem.tags),
        "sections": [[s.line, s.level, s.kind.value, s.heading] for s in postmortem.sections],
        "timeline": [
            [e.line, e.time, to_json(e.at), to_json(e.phase)] for e in postmortem.timeline
        ],
        "mistakes": [m.title for m in postmortem.mistakes],
        "impact": {
            "broken_features": len(postmortem.impact.broken_features),
            "metrics": [m.name for m in postmortem.impact.metrics],
        },
        "root_causes": [c.title for c in postmortem.root_causes],
        "contributing_factors": len(postmortem.contributing_factors),
        "recovery": len(postmortem.recovery),
        "lessons": [
            [lesson.line, lesson.kind.value, lesson.title] for lesson in postmortem.lessons
        ],
        "action_items": [
            [
                a.line,
                a.state.value,
                a.group,
                a.owner,
                to_json(a.due),
                a.priority,
                a.ticket,
                to_json(a.kind),
            ]
            for a in postmortem.action_items
        ],
        "action_item_counts": {
            "done": sum(1 for a in postmortem.action_items if a.done),
            "open": len(postmortem.open_action_items),
        },
        "fields": [[f.name, f.line] for f in postmortem.fields],
    }


@pytest.mark.parametrize(
    "path",
    [*CORPUS_POSTMORTEMS, *CORPUS_TEMPLATES],
    ids=lambda path: path.parent.name + "/" + path.name,
)
def test_model_matches_reviewed_snapshot(path: Path) -> None:
    result = parse_file(path)
    assert result.postmortem is not None
    actual = summarize(result.postmortem)
    snapshot = SNAPSHOTS / path.parent.name / (path.stem + ".json")
    if UPDATE:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n")
    expected = json.loads(snapshot.read_text())
    assert actual == expected
