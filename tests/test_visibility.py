"""``public: true`` fails closed: front matter that marks a postmortem internal in any of the ways
authors slip, or that leaves its visibility in doubt, keeps it out of a public build, and ``pmkb
check`` reports each shape as an error at its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.catalog import load_catalog
from generator.cli import main
from generator.errors import Severity
from generator.parse import parse_text
from generator.render import SiteOptions, render_pages
from generator.settings import RawHtml, Settings

SECRET = "Quokkavault"
BODY = f"""\
# The {SECRET} leak

## Summary

The {SECRET} payroll database was readable by everyone.

## Timeline

- 2025-09-01 14:02 UTC the bucket policy changed

## Lessons learned

- Rotate keys after every migration

## Action items

- [ ] Rotate the {SECRET} keys (@ann, due 2099-01-01)
"""
# A public postmortem sharing a tag, a service and a lesson with every secret one, so that the
# lessons page, its related incidents and the tags would name a secret one that got through.
PUBLIC = """\
---
title: Search down
date: 2025-08-12
tags: [shared]
services: [payroll]
---

# Search down

## Summary

Search returned errors.

## Timeline

- 2025-08-12 14:02 UTC deploy of search 4.2

## Lessons learned

- Rotate keys after every migration

## Action items

- [ ] Add a canary stage (@bob)
"""
TAGS = "tags: [shared]\nservices: [payroll]\n"

# Each shape, with the code and line of the error that pmkb check must report.
SHAPES: dict[str, tuple[str, str, int]] = {
    "capitalised": (f"---\nInternal: True\n{TAGS}---\n{BODY}", "PMK005", 2),
    "upper-case": (f"---\n{TAGS}INTERNAL: true\n---\n{BODY}", "PMK005", 4),
    "toml-capitalised": ('+++\nInternal = true\ntags = ["shared"]\n+++\n' + BODY, "PMK005", 2),
    "colon-in-title": (f"---\ntitle: Fix: the cache\ninternal: true\n---\n{BODY}", "PMK003", 2),
    "unclosed-bracket": (f"---\ntags: [shared\ninternal: true\n---\n{BODY}", "PMK003", 3),
    "invalid-toml": ('+++\ninternal = true\ntitle = "x\n+++\n' + BODY, "PMK003", 3),
    "fence-trailing-spaces": (f"---  \ninternal: true\n{TAGS}---\n{BODY}", "PMK003", 1),
    "blank-line-first": (f"\n---\ninternal: true\n{TAGS}---\n{BODY}", "PMK003", 2),
    "never-closed": (f"---\ninternal: true\n{TAGS}\n{BODY}", "PMK005", 2),
    "closed-with-dots": (f"---\ninternal: true\n{TAGS}...\n{BODY}", "PMK003", 1),
    "not-true-or-false": (f"---\ninternal: maybe\n{TAGS}---\n{BODY}", "PMK005", 2),
    "nested": (f"---\n{TAGS}meta:\n  internal: true\n---\n{BODY}", "PMK005", 4),
    "said-twice": (f"---\ninternal: true\n{TAGS}internal: false\n---\n{BODY}", "PMK005", 5),
    "synonym": (f"---\nconfidential: yes\n{TAGS}---\n{BODY}", "PMK005", 2),
    "no-fences": (f"internal: true\ntags: shared\n\n{BODY}", "PMK005", 1),
}


@pytest.mark.parametrize("name", SHAPES)
def test_each_shape_is_internal_with_an_error_at_its_line(name: str) -> None:
    text, code, line = SHAPES[name]
    result = parse_text(text, source=f"{name}.md")
    assert result.postmortem is not None and result.postmortem.internal
    assert (code, line, Severity.ERROR) in [
        (d.code, d.location.line, d.severity) for d in result.diagnostics
    ]


@pytest.mark.parametrize(
    "text",
    [
        f"---\ninternal: false\n{TAGS}---\n{BODY}",
        f"---\n{TAGS}---\n{BODY}",
        f'+++\ninternal = false\ntitle = "A: b"\n+++\n{BODY}',
        BODY,
        # A thematic break first: no front matter, nothing about visibility.
        f"---\n\n{BODY}",
    ],
)
def test_plainly_public_postmortems_stay_public_without_a_visibility_error(text: str) -> None:
    result = parse_text(text, source="open.md")
    assert result.postmortem is not None and not result.postmortem.internal
    assert "PMK005" not in [d.code for d in result.diagnostics]


def make_kb(folder: Path, secret: dict[str, str]) -> Settings:
    postmortems = folder / "postmortems"
    postmortems.mkdir(parents=True)
    (postmortems / "2025-08-12-search.md").write_text(PUBLIC, encoding="utf-8")
    for name, text in secret.items():
        (postmortems / f"2025-09-01-{name}.md").write_text(text, encoding="utf-8")
    settings = Settings.for_folder(folder)
    return Settings(
        root=settings.root,
        postmortems_dir=settings.postmortems_dir,
        templates_dir=settings.templates_dir,
        docs_dir=settings.docs_dir,
        public=True,
    )


def test_no_shape_reaches_any_page_of_a_public_build(tmp_path: Path) -> None:
    settings = make_kb(tmp_path, {name: text for name, (text, _, _) in SHAPES.items()})
    catalog = load_catalog(settings)
    assert [p.title for p in catalog] == ["Search down"]
    pages = render_pages(catalog, settings, SiteOptions(today=dt.date(2026, 1, 1)))
    assert "Rotate keys after every migration" in pages["lessons.md"]
    for path, page in pages.items():
        assert SECRET not in page, path
        assert "2025-09-01" not in page, path


@pytest.mark.parametrize("name", SHAPES)
def test_check_fails_on_each_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    text, code, line = SHAPES[name]
    make_kb(tmp_path, {name: text})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1, result.output
    assert "2025-08-12-search.md" not in result.stdout  # the only errors are the shape's
    assert f"postmortems/2025-09-01-{name}.md:{line}:1: {code} error" in result.stdout


LINKING = PUBLIC.replace(
    "Search returned errors.",
    "Search returned errors, as in [the payroll incident](2025-09-01-payroll-leak.md).",
)


@pytest.mark.parametrize("raw_html", ["escape", "allow"])
def test_a_public_link_to_an_internal_postmortem_is_plain_text(
    tmp_path: Path, raw_html: str
) -> None:
    settings = make_kb(tmp_path, {"payroll-leak": f"---\ninternal: true\n---\n{BODY}"})
    (tmp_path / "postmortems" / "2025-08-12-search.md").write_text(LINKING, encoding="utf-8")
    settings = Settings(
        root=settings.root,
        postmortems_dir=settings.postmortems_dir,
        templates_dir=settings.templates_dir,
        docs_dir=settings.docs_dir,
        public=True,
        raw_html=RawHtml(raw_html),
    )
    pages = render_pages(load_catalog(settings), settings, SiteOptions(today=dt.date(2026, 1, 1)))
    page = pages["incidents/2025-08-12-search.md"]
    assert "as in the payroll incident." in page
    assert all("payroll-leak" not in text for text in pages.values())


def test_check_says_a_public_link_to_an_internal_postmortem_shows_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_kb(tmp_path, {"payroll-leak": f"---\ninternal: true\n---\n{BODY}"})
    (tmp_path / "postmortems" / "2025-08-12-search.md").write_text(LINKING, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: KB\nplugins:\n  - postmortems:\n      public: true\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert "postmortems/2025-08-12-search.md:12:31: PMK019 error" in result.stdout
    assert "leads to an internal postmortem" in result.stdout
