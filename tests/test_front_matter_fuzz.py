"""Any front matter, however broken or hostile, gives at worst a diagnostic for its own file, and a
postmortem whose front matter says ``internal: true`` in any shape never reaches a public build.

The hypothesis tests generate YAML and TOML front matter with any keys and values (huge numbers,
deep nesting, text full of YAML syntax), junk lines and broken fences.
"""

from __future__ import annotations

import datetime as dt
import json
import string
import tempfile
from pathlib import Path
from unittest import mock

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.catalog import Catalog, load_catalog
from generator.cli import main
from generator.parse import parse_text
from generator.render import SiteOptions, create_environment, render_pages
from generator.settings import Settings

SECRET = "Pangolinvault"
BODY = f"""\
# Outage

## Summary

The {SECRET} went down.

## Lessons learned

- Keep a runbook

## Action items

- [ ] Write the {SECRET} runbook (@ann)
"""
PUBLIC = (
    "---\ntitle: Open\n---\n# Open\n\n## Summary\n\nVisible.\n\n"
    "## Lessons learned\n\n- Keep a runbook\n"
)

HOSTILE_VALUES = {
    "yaml-decimal-id": "---\nid: " + "7" * 5000 + "\n---\n" + BODY,
    "yaml-hex-id": "---\nid: 0x" + "f" * 5000 + "\n---\n" + BODY,
    "yaml-decimal-other": "---\nseverity: " + "9" * 5000 + "\ntags: [a]\n---\n" + BODY,
    "yaml-deep": "---\nid: " + "[" * 20_000 + "]" * 20_000 + "\n---\n" + BODY,
    "yaml-deep-block": "---\nid:\n"
    + "".join("  " * i + "- \n" for i in range(1, 400))
    + "---\n"
    + BODY,
    "toml-decimal-id": "+++\nid = " + "7" * 5000 + "\n+++\n" + BODY,
    "toml-hex-id": "+++\nid = 0x" + "f" * 5000 + "\n+++\n" + BODY,
    "toml-deep": "+++\nid = " + "[" * 20_000 + "]" * 20_000 + "\n+++\n" + BODY,
    "yaml-bad-timestamp": "---\ndate: !!timestamp 2025-13-45\n---\n" + BODY,
}


@pytest.mark.parametrize("name", HOSTILE_VALUES)
def test_a_hostile_value_gives_a_model_or_a_diagnostic(name: str) -> None:
    result = parse_text(HOSTILE_VALUES[name], source=f"{name}.md")
    assert result.postmortem is not None
    json.dumps([d.to_json() for d in result.diagnostics])


@pytest.fixture
def hostile_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "postmortems").mkdir()
    for name, text in HOSTILE_VALUES.items():
        (tmp_path / "postmortems" / f"{name}.md").write_text(text, encoding="utf-8")
    (tmp_path / "postmortems" / "open.md").write_text(PUBLIC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "command",
    [["check"], ["actions"], ["export"], ["generate", "--out", "docs"]],
    ids=lambda c: c[0],
)
def test_every_command_survives_hostile_values(hostile_kb: Path, command: list[str]) -> None:
    result = CliRunner().invoke(main, command)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    if command[0] == "generate":
        assert "Visible." in (hostile_kb / "docs" / "incidents" / "open.md").read_text()


# ---- generated front matter ------------------------------------------------------------------

VISIBILITY_KEYS = ["internal", "Internal", "INTERNAL", "private", "visibility", "public"]
KEYS = st.one_of(
    st.sampled_from(["title", "id", "date", "tags", "owners", "lessons", "status", "severity"]),
    st.sampled_from(VISIBILITY_KEYS),
    st.text(string.ascii_letters + "_-", min_size=1, max_size=8),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=15),
    st.dates(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
)
# Numbers too long for Python's int/str conversion (and their hexadecimal form), as written.
HUGE_NUMBERS = st.sampled_from(["9" * 5000, "-" + "1" * 4400, "0x" + "f" * 5000, "0o" + "7" * 6000])
DEEP = st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth)
JUNK = st.text(alphabet=":[]{}#&*!|>'\"%@`-=+ ,.abcINTERL", min_size=1, max_size=20).filter(
    lambda line: line.strip() and line.strip() not in ("---", "+++", "...")
)
MARKERS = {
    "yaml": ["internal: true", "Internal: True", "INTERNAL: yes", "internal: on"],
    "toml": ["internal = true", "Internal = true", "INTERNAL = true"],
}
OPENINGS = ["{f}\n", "{f}  \n", "\n{f}\n", "{f}\t\n", ""]
CLOSINGS = ["{f}\n", "...\n", "{f} \n", "", "+++\n", "---\n"]


def yaml_line(key: str, value: object) -> str:
    try:
        dumped = yaml.safe_dump({key: value}, default_flow_style=True, width=10**9)
    except (ValueError, yaml.YAMLError):
        return f"{key}: x"
    return dumped.strip()[1:-1]  # "{key: value}" → "key: value"


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:d}"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(str(value))


@st.composite
def front_matter_documents(draw: st.DrawFn) -> tuple[str, bool]:
    """Return a postmortem with generated front matter, and whether it says internal."""
    language = draw(st.sampled_from(["yaml", "toml"]))
    fence = "---" if language == "yaml" else "+++"
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["pair", "pair", "junk", "huge"]))
        if kind == "junk":
            lines.append(draw(JUNK))
        elif kind == "huge":
            key = draw(st.sampled_from(["id", "date", "severity", "x"]))
            lines.append(f"{key}{':' if language == 'yaml' else ' ='} {draw(HUGE_NUMBERS | DEEP)}")
        elif language == "yaml":
            lines.append(yaml_line(draw(KEYS), draw(VALUES)))
        else:
            key = draw(st.text(string.ascii_letters + "_", min_size=1, max_size=8))
            lines.append(f"{key} = {toml_value(draw(VALUES))}")
    internal = draw(st.booleans())
    if internal:
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(MARKERS[language])))
    opening = draw(st.sampled_from(OPENINGS)).format(f=fence)
    closing = draw(st.sampled_from(CLOSINGS)).format(f=fence)
    text = opening + "".join(line + "\n" for line in lines) + closing + "\n" + BODY
    return text, internal


FOLDER = Path(tempfile.mkdtemp(prefix="pmkb-fuzz-"))
(FOLDER / "postmortems").mkdir()
(FOLDER / "postmortems" / "open.md").write_text(PUBLIC, encoding="utf-8")
PUBLIC_SETTINGS = Settings(
    root=FOLDER,
    postmortems_dir=FOLDER / "postmortems",
    templates_dir=FOLDER / "templates",
    docs_dir=FOLDER / "docs",
    public=True,
)
OPTIONS = SiteOptions(today=dt.date(2026, 1, 1))
# Compiling the page templates costs more than rendering two postmortems: compile them once.
ENVIRONMENT = create_environment(PUBLIC_SETTINGS)


def render_cached(catalog: Catalog, settings: Settings) -> dict[str, str]:
    with mock.patch("generator.render.create_environment", return_value=ENVIRONMENT):
        return render_pages(catalog, settings, OPTIONS)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter_documents())
def test_generated_front_matter_never_raises_and_internal_never_reaches_a_public_site(
    document: tuple[str, bool],
) -> None:
    text, internal = document
    result = parse_text(text, source="fuzzed.md")
    assert result.postmortem is not None
    (FOLDER / "postmortems" / "fuzzed.md").write_text(text, encoding="utf-8")
    catalog = load_catalog(PUBLIC_SETTINGS)
    pages = render_cached(catalog, PUBLIC_SETTINGS)
    published = any(SECRET in page for page in pages.values())
    if internal:
        assert not published, text
    assert "Visible." in pages["incidents/open.md"]
    if published:
        assert not result.postmortem.internal
        assert not any(d.code == "PMK005" for d in result.diagnostics)


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_any_yaml_mapping_renders_in_a_full_site(front: dict[str, object]) -> None:
    text = "---\n" + "".join(yaml_line(key, value) + "\n" for key, value in front.items())
    text += "---\n" + BODY
    (FOLDER / "postmortems" / "fuzzed.md").write_text(text, encoding="utf-8")
    settings_all = Settings.for_folder(FOLDER)
    catalog = load_catalog(settings_all)
    pages = render_cached(catalog, settings_all)
    assert len(catalog) == 2
    assert any(SECRET in page for page in pages.values())
