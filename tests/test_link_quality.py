"""The links on the labelled development set: the scorer of ``bench/score_links.py`` as a guard.

``../shared/corpus/relations.json`` holds a careful reader's labels over the corpus postmortems.
This test runs ``pmkb export`` on the corpus and checks the four scores against the dev-set
targets of the issue, so that a change that makes the links worse fails here. The thresholds are
the targets, not today's scores: a change may move the scores within them.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import CORPUS, ROOT

pytestmark = pytest.mark.corpus


def load_scorer() -> Any:
    spec = importlib.util.spec_from_file_location("score_links", ROOT / "bench" / "score_links.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_links_of_the_corpus_meet_the_dev_set_targets() -> None:
    result = CliRunner().invoke(main, ["export", str(CORPUS / "postmortems")])
    assert result.exit_code == 0
    export = json.loads(result.stdout)
    labels = json.loads((CORPUS / "relations.json").read_text(encoding="utf-8"))
    scorer = load_scorer()

    scores = scorer.score(export, labels)

    for name, target in scorer.TARGETS.items():
        assert scores[name] >= target, (name, scores[name], scores["details"])
    # The export links what it says: related incidents carry reasons, recurring lessons quote.
    related = [r for p in export["postmortems"] for r in p["related"]]
    assert related and all(r["reasons"] for r in related)
    assert all(len({o["source"] for o in g["occurrences"]}) >= 2 for g in export["recurring"])


def test_every_related_incident_is_listed_best_first() -> None:
    result = CliRunner().invoke(main, ["export", str(CORPUS / "postmortems")])
    export = json.loads(result.stdout)
    for postmortem in export["postmortems"]:
        scores = [r["score"] for r in postmortem["related"]]
        assert scores == sorted(scores, reverse=True)
        assert postmortem["id"] not in {r["id"] for r in postmortem["related"]}
        assert Path(postmortem["source"]).name not in {
            Path(r["source"]).name for r in postmortem["related"]
        }
