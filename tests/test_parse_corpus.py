"""Reviewed snapshots of the model of every real postmortem and template of the shared corpus.

Each snapshot in ``tests/snapshots/`` is the structure the parser reads from one file: titles,
lines, times, kinds and states, and for every element that carries text (timeline events, action
items, steps, features, the summary) its first words and its length, so that text attached to the
wrong element shows. Each was checked against its source by a careful reader: where they
disagreed, the parser was fixed, not the snapshot. A parser change that alters any of them fails
here; if the new reading is better, rewrite them with
``PMKB_UPDATE_SNAPSHOTS=1 pytest tests/test_parse_corpus.py`` (each rewritten snapshot fails its
test, so that the run cannot pass unreviewed), review ``git diff tests/snapshots``, and run again.
Update mode refuses to run in CI.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.export import to_json
from generator.models import Postmortem
from generator.parse import parse_file
from tests.conftest import (
    CORPUS,
    CORPUS_POSTMORTEMS,
    CORPUS_TEMPLATES,
    EXPECTED_CORPUS,
    ROOT,
    SEED,
    UPDATE_SNAPSHOTS,
    is_set,
)

SNAPSHOTS = Path(__file__).parent / "snapshots"
FIRST_WORDS = 6


def quote(markdown: str) -> str:
    """Return the first words of a text and, when cut, its length: enough to tell texts apart
    without copying the corpus' prose."""
    words = markdown.split()
    if len(words) <= FIRST_WORDS:
        return " ".join(words)
    return " ".join(words[:FIRST_WORDS]) + f" … ({len(markdown)} chars)"


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
        "owners": list(postmortem.owners),
        "services": list(postmortem.services),
        "tags": list(postmortem.tags),
        "summary": quote(postmortem.summary),
        "sections": [[s.line, s.level, s.kind.value, s.heading] for s in postmortem.sections],
        "timeline": [
            [e.line, e.time, to_json(e.at), to_json(e.phase), quote(e.text)]
            for e in postmortem.timeline
        ],
        "mistakes": [[m.line, m.title, quote(m.what_we_did)] for m in postmortem.mistakes],
        "broken_features": [[f.line, quote(f.text)] for f in postmortem.impact.broken_features],
        "metrics": [[m.line, m.name, quote(m.value)] for m in postmortem.impact.metrics],
        "root_causes": [[c.line, c.title] for c in postmortem.root_causes],
        "contributing_factors": [[f.line, quote(f.text)] for f in postmortem.contributing_factors],
        "recovery": [[step.line, quote(step.text)] for step in postmortem.recovery],
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
                quote(a.text),
            ]
            for a in postmortem.action_items
        ],
        "action_item_counts": {
            "done": sum(1 for a in postmortem.action_items if a.done),
            "open": len(postmortem.open_action_items),
        },
        "fields": [[f.name, f.line] for f in postmortem.fields],
    }


def dump_snapshot(summary: dict[str, Any]) -> str:
    """Return a summary as JSON with one element per line, so that a diff shows whole events."""

    def inline(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{"]
    for index, (key, value) in enumerate(summary.items()):
        comma = "," if index < len(summary) - 1 else ""
        if isinstance(value, list) and value and all(isinstance(row, list) for row in value):
            rows = [f"  {inline(row)}," for row in value]
            rows[-1] = rows[-1].removesuffix(",")
            lines += [f" {inline(key)}: [", *rows, f" ]{comma}"]
        else:
            lines.append(f" {inline(key)}: {inline(value)}{comma}")
    return "\n".join([*lines, "}"]) + "\n"


def compare_with_snapshot(summary: dict[str, Any], snapshot: Path, *, update: bool) -> None:
    """Fail unless a summary is its reviewed snapshot; in update mode, rewrite it, then fail."""
    written = dump_snapshot(summary)
    expected = snapshot.read_text(encoding="utf-8") if snapshot.is_file() else None
    if expected is not None and json.loads(expected) == json.loads(written):
        return
    shown = snapshot.relative_to(ROOT) if snapshot.is_relative_to(ROOT) else snapshot
    if update:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(written, encoding="utf-8")
        pytest.fail(f"snapshot rewritten: review the diff (git diff {shown})", pytrace=False)
    if expected is None:
        pytest.fail(
            f"no snapshot {shown}: write it with {UPDATE_SNAPSHOTS}=1 and review it",
            pytrace=False,
        )
    assert written.splitlines() == expected.splitlines(), f"differs from {shown}"


def snapshot_of(source: Path) -> Path:
    """Return where the reviewed snapshot of a corpus file lives."""
    return SNAPSHOTS / source.parent.name / (source.stem + ".json")


@pytest.mark.corpus
@pytest.mark.parametrize(
    "path",
    [*CORPUS_POSTMORTEMS, *CORPUS_TEMPLATES],
    ids=lambda path: path.parent.name + "/" + path.name,
)
def test_model_matches_reviewed_snapshot(path: Path) -> None:
    result = parse_file(path)
    assert result.postmortem is not None
    compare_with_snapshot(
        summarize(result.postmortem), snapshot_of(path), update=is_set(UPDATE_SNAPSHOTS)
    )


@pytest.mark.corpus
def test_the_corpus_is_whole() -> None:
    """A corpus that lost files would silently test less: its size is part of the suite."""
    found = {folder: len(list((CORPUS / folder).glob("*.md"))) for folder in EXPECTED_CORPUS}
    assert found == EXPECTED_CORPUS, f"the corpus at {CORPUS} is not the reviewed one"
    assert SEED.is_file()


@pytest.mark.corpus
def test_every_snapshot_has_its_source() -> None:
    orphans = [
        snapshot.relative_to(ROOT).as_posix()
        for snapshot in sorted(SNAPSHOTS.glob("*/*.json"))
        if not (CORPUS / snapshot.parent.name / (snapshot.stem + ".md")).is_file()
    ]
    assert orphans == [], f"snapshots whose corpus file is gone from {CORPUS}"


EXAMPLE = {"title": "Search down", "timeline": [[3, "10:00", None, "detected", "Alert fired"]]}


def test_a_matching_snapshot_passes_and_is_left_alone(tmp_path: Path) -> None:
    snapshot = tmp_path / "a.json"
    snapshot.write_text(json.dumps(EXAMPLE, indent=3), encoding="utf-8")
    before = snapshot.read_bytes()
    for update in (False, True):
        compare_with_snapshot(EXAMPLE, snapshot, update=update)
    assert snapshot.read_bytes() == before


def test_a_changed_model_fails_and_leaves_the_snapshot(tmp_path: Path) -> None:
    snapshot = tmp_path / "a.json"
    snapshot.write_text(dump_snapshot(EXAMPLE), encoding="utf-8")
    changed = {**EXAMPLE, "timeline": [[3, "10:00", None, "detected", "Rollback started"]]}
    with pytest.raises(AssertionError, match="differs from"):
        compare_with_snapshot(changed, snapshot, update=False)
    assert json.loads(snapshot.read_text(encoding="utf-8")) == EXAMPLE


def test_update_mode_rewrites_a_changed_snapshot_and_fails(tmp_path: Path) -> None:
    snapshot = tmp_path / "a.json"
    snapshot.write_text(dump_snapshot(EXAMPLE), encoding="utf-8")
    changed = {**EXAMPLE, "title": "Search up"}
    with pytest.raises(pytest.fail.Exception, match="snapshot rewritten: review the diff"):
        compare_with_snapshot(changed, snapshot, update=True)
    assert json.loads(snapshot.read_text(encoding="utf-8")) == changed


def test_a_missing_snapshot_fails_and_update_mode_writes_it(tmp_path: Path) -> None:
    snapshot = tmp_path / "new" / "a.json"
    with pytest.raises(pytest.fail.Exception, match="no snapshot"):
        compare_with_snapshot(EXAMPLE, snapshot, update=False)
    assert not snapshot.exists()
    with pytest.raises(pytest.fail.Exception, match="snapshot rewritten"):
        compare_with_snapshot(EXAMPLE, snapshot, update=True)
    assert json.loads(snapshot.read_text(encoding="utf-8")) == EXAMPLE


def test_snapshot_rows_are_one_element_per_line() -> None:
    text = dump_snapshot(EXAMPLE)
    assert '  [3, "10:00", null, "detected", "Alert fired"]' in text.splitlines()
    assert json.loads(text) == EXAMPLE


def test_quotes_keep_the_first_words_and_the_length() -> None:
    assert quote("Rollback  finished\n") == "Rollback finished"
    assert quote("one two three four five six seven") == (
        "one two three four five six … (33 chars)"
    )


@pytest.mark.slow  # starts pytest in a new process
@pytest.mark.parametrize("flag", ["CI=true", "PMKB_REQUIRE_CORPUS=1"])
def test_update_mode_refuses_to_run_in_ci(flag: str) -> None:
    name, value = flag.split("=")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "tests/test_parse_corpus.py"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", UPDATE_SNAPSHOTS: "1", name: value},
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout + result.stderr
    assert "never in CI" in result.stderr
