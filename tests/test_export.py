"""`pmkb export`: one JSON document that validates against the shipped schema."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.export import load_schema
from tests.conftest import CORPUS, CORPUS_POSTMORTEMS, CORPUS_TEMPLATES, EXAMPLES, SEED


def export(*arguments: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(main, ["export", *arguments])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


def validate(document: dict[str, Any]) -> None:
    jsonschema.validate(document, load_schema(), format_checker=jsonschema.FormatChecker())


def test_example_export_validates_against_the_schema() -> None:
    code, document = export(*map(str, EXAMPLES))
    assert code == 0
    validate(document)
    assert [Path(p["source"]).name for p in document["postmortems"]] == [p.name for p in EXAMPLES]


@pytest.mark.corpus
def test_corpus_export_validates_against_the_schema() -> None:
    code, document = export(str(CORPUS / "postmortems"), str(CORPUS / "templates"), str(SEED))
    assert code == 0
    validate(document)
    # Every file gives a model: none of them is unreadable.
    assert len(document["postmortems"]) == len(CORPUS_POSTMORTEMS) + len(CORPUS_TEMPLATES) + 1


@pytest.mark.corpus
def test_seed_export_has_the_documented_keys() -> None:
    code, document = export(str(SEED))
    assert code == 0 and document["schema_version"] == 2
    [seed] = document["postmortems"]
    assert seed["date"] == "2025-08-12" and seed["status"] == "resolved"
    assert [len(seed[key]) for key in ("timeline", "mistakes", "root_causes", "lessons")] == [
        8, 4, 2, 4,
    ]  # fmt: skip
    first = seed["action_items"][0]
    assert {"text", "done", "owner", "due", "priority", "group", "line"} <= set(first)
    assert first["done"] is False and first["group"] == "For Future Database Changes"
    assert {"heading", "kind", "line"} <= set(seed["sections"][0])


def test_export_defaults_to_the_knowledge_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "postmortems").mkdir()
    shutil.copy(EXAMPLES[0], tmp_path / "postmortems" / "2025-09-18-tax-code.md")
    monkeypatch.chdir(tmp_path)
    code, document = export()
    assert code == 0
    [exported] = document["postmortems"]
    assert exported["source"] == "postmortems/2025-09-18-tax-code.md"
    assert exported["id"] == "2025-09-18-tax-code"


def test_nothing_readable_exits_1(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_text("")
    code, document = export(str(tmp_path))
    assert code == 1
    validate(document)
    assert document["postmortems"] == []
    assert [d["code"] for d in document["diagnostics"]] == ["PMK004"]
