"""Shared test fixtures: where the shared corpus and the seed live, next to the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "postmortem-import-state.md"
CORPUS = SHARED / "corpus"
CORPUS_POSTMORTEMS = sorted((CORPUS / "postmortems").glob("*.md"))
CORPUS_TEMPLATES = sorted((CORPUS / "templates").glob("*.md"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Fail loudly, not silently, when the shared corpus is missing (CI has it beside us)."""
    if not SEED.is_file():
        raise pytest.UsageError(f"the shared test data is missing: expected {SEED}")
