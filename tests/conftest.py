"""Shared test fixtures and the shared test data: the corpus and the seed, beside the checkout.

The real postmortems the parser is judged on (``../shared/corpus``) and the seed postmortem
(``../shared/seed``) are test data that never enter this repository. Tests that read them are
marked ``corpus``: in a clone without ``../shared`` they are skipped with that reason, so the rest
of the suite runs from a clone alone; with ``PMKB_REQUIRE_CORPUS=1`` (set by ``.ci/run``) they
fail instead, so CI cannot pass without them.

Every test runs on the same day, :data:`TODAY`: the suite sets ``SOURCE_DATE_EPOCH`` (pmkb's one
notion of today, see :mod:`generator.clock`) for itself and every process it starts, so that no
result depends on the date the tests run.

Property tests (Hypothesis) draw new examples on every run, which is how they find bugs while
the team works; under CI (``PMKB_REQUIRE_CORPUS=1``, set by ``.ci/run``) they draw the same
examples every time, so that a landing fails only on what its own change broke. A failure found
locally becomes a plain test of its own (see ``tests/test_parse_lossless.py``).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from generator.cli import main
from generator.clock import EPOCH_VARIABLE, epoch_of

settings.register_profile("ci", derandomize=True)
if os.environ.get("PMKB_REQUIRE_CORPUS") == "1":
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "postmortem-import-state.md"
CORPUS = SHARED / "corpus"
CORPUS_POSTMORTEMS = sorted((CORPUS / "postmortems").glob("*.md"))
CORPUS_TEMPLATES = sorted((CORPUS / "templates").glob("*.md"))
# The corpus as reviewed: a smaller one means files went missing and their tests with them.
EXPECTED_CORPUS = {"postmortems": 24, "templates": 7}
# The repository's own example postmortems: realistic input that every clone has.
EXAMPLES = sorted((ROOT / "postmortems").glob("*.md"))

# The day the tests run on: after every example postmortem's date, so none lies in the future.
TODAY = dt.date(2026, 12, 1)

# What an attacker writes where an author writes text: a script, an image whose error handler
# runs, a javascript: link. Every page must show them as text and run none.
# A postmortem pmkb check finds nothing wrong with: the base that tests break on purpose.
CLEAN_POSTMORTEM = """\
---
title: Search down
date: 2025-08-12
status: resolved
---

# Search down

## Summary

Search returned errors for 20 minutes.

## Timeline

- 2025-08-12 14:02 UTC deploy of search 4.2 starts
- 14:22 UTC rollback finished

## Action items

- [x] Add a canary stage to the search deploy (@ann)
"""

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
LINK = "[x](javascript:alert(1))"
PAYLOADS = (SCRIPT, IMAGE, LINK)

REQUIRE_CORPUS = "PMKB_REQUIRE_CORPUS"
REQUIRE_BROWSER = "PMKB_REQUIRE_BROWSER"
UPDATE_SNAPSHOTS = "PMKB_UPDATE_SNAPSHOTS"


def is_set(name: str) -> bool:
    """Whether an environment flag of the test suite is on (``1``)."""
    return os.environ.get(name) == "1"


def corpus_required() -> bool:
    """Whether the corpus tests must run (CI), rather than skip where the corpus is absent."""
    return is_set(REQUIRE_CORPUS)


def corpus_available() -> bool:
    """Whether the shared test data sits beside the checkout."""
    return SHARED.is_dir()


def corpus_missing_reason() -> str:
    """Why the corpus tests cannot run here."""
    return f"shared corpus not found at {SHARED} (the shared test data beside the checkout)"


def pytest_configure(config: pytest.Config) -> None:
    """Fix the day every test runs on; refuse snapshot update mode where nobody reviews it (CI)."""
    os.environ[EPOCH_VARIABLE] = epoch_of(TODAY)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"  # MkDocs' banner about its 2.0 on every build
    if is_set(UPDATE_SNAPSHOTS) and (corpus_required() or os.environ.get("CI")):
        raise pytest.UsageError(
            f"{UPDATE_SNAPSHOTS}=1 rewrites reviewed snapshots: run it by hand, never in CI "
            f"(CI or {REQUIRE_CORPUS}=1 is set)"
        )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip (or, when required, fail) a corpus test where the corpus is absent.

    This runs before pytest's own skip marks, so a test parametrised over an absent corpus (an
    empty parameter set) fails or skips for this reason, not for an empty list.
    """
    if item.get_closest_marker("corpus") is None or corpus_available():
        return
    if corpus_required():
        pytest.fail(f"{REQUIRE_CORPUS}=1 but the {corpus_missing_reason()}", pytrace=False)
    pytest.skip(corpus_missing_reason())


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder, made the current one (no mkdocs.yml: the default settings apply)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def kb(workdir: Path) -> Path:
    """A knowledge base without mkdocs.yml: an empty ``postmortems/``, in the current folder."""
    (workdir / "postmortems").mkdir()
    return workdir


def pmkb(*args: str, stdin: str | None = None, catch_exceptions: bool = True) -> Result:
    """Run the ``pmkb`` command line in this process, as a user types it; return its result."""
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=catch_exceptions)


# Tests skipped in this session, with their reasons: in CI a skip is a failure (see below).
SKIPPED: list[tuple[str, str]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Record every skipped test and why."""
    if report.skipped and not hasattr(report, "wasxfail"):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        SKIPPED.append((report.nodeid, reason.removeprefix("Skipped: ")))


def unexpected_skips() -> list[tuple[str, str]]:
    """The skips a full CI run does not allow (browser and corpus both required): all of them."""
    if not (is_set(REQUIRE_BROWSER) and corpus_required()):
        return []
    return list(SKIPPED)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In a full CI run (``.ci/run``), fail a run that skipped a test it should have run."""
    if unexpected_skips() and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say which skips failed the run."""
    skips = unexpected_skips()
    if skips:
        terminalreporter.section(
            f"{REQUIRE_BROWSER}=1 and {REQUIRE_CORPUS}=1: a skipped test fails the run"
        )
        for test, reason in skips:
            terminalreporter.line(f"{test}: {reason}")
