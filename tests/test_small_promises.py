"""The smaller promises: raw HTML cannot cover the page nor swallow the text after a mention,
``<…>`` in titles and names shows, nothing pmkb prints can drive the terminal, and a busy port
is a message."""

from __future__ import annotations

import datetime as dt
import re
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.catalog import load_catalog
from generator.cli import main
from generator.markup import MarkupRenderer
from generator.render import SiteOptions, render_pages
from generator.settings import RawHtml, Settings

ALLOW = MarkupRenderer(RawHtml.ALLOW)


@pytest.mark.parametrize(
    "style",
    [
        "position: fixed; inset: 0",
        "POSITION:FIXED",
        "position: absolute; top: 0",
        "position: sticky",
        "position:/**/fixed",
        "posit\\69 on: fixed",
        "position: fixed !important",
        "z-index: 9999; position: relative",
        "transform: translateY(-500px)",
        "margin-top: -400px",
        "background: url(https://tracker.example/pixel)",
        "width: expression(alert(1))",
        "posi/* a comment */tion: fixed",
        "p\\osition: fixed",
        # An escape CSS cannot represent reads as nothing here (U+FFFD in a browser): it only
        # ever drops more, and never raises.
        "posit\\0ion: fixed",
        "posit\\110000ion: fixed",
    ],
)
def test_no_inline_style_can_leave_the_content_area(style: str) -> None:
    html = ALLOW.block(f'<div style="{style}">Click here to log in</div>')
    assert html == "<div>Click here to log in</div>"


def test_a_style_that_stays_in_place_is_kept() -> None:
    html = ALLOW.block('<span style="color: red; position: relative">hot</span>')
    assert 'style="color: red; position: relative"' in html


@pytest.mark.parametrize("tag", ["form", "embed", "meta", "base", "link", "svg", "template"])
def test_mentioning_a_dropped_element_keeps_the_rest_of_the_text(tag: str) -> None:
    html = ALLOW.block(
        f"We removed the <{tag}> from the page.\n\nThe rollback finished at 14:22.\n\n"
        "- [ ] Add a canary stage"
    )
    assert "from the page." in html
    assert "The rollback finished at 14:22." in html
    assert "Add a canary stage" in html


def test_a_closed_dropped_element_still_goes_with_its_content() -> None:
    html = ALLOW.block("Before <form action=/x><input name=pw>secret</form> after")
    assert "secret" not in html and "<input" not in html
    assert "Before" in html and "after" in html


POSTMORTEM = """\
---
owners: ["<team-a>", "Ann <ann@example.com>"]
services: ["<payments>"]
---
# Why the `<Suspense>` boundary failed

## Summary

The page went blank.
"""


@pytest.mark.parametrize("raw_html", list(RawHtml))
def test_angle_brackets_in_titles_and_names_show(tmp_path: Path, raw_html: RawHtml) -> None:
    (tmp_path / "postmortems").mkdir()
    (tmp_path / "postmortems" / "suspense.md").write_text(POSTMORTEM, encoding="utf-8")
    base = Settings.for_folder(tmp_path)
    settings = Settings(
        root=base.root,
        postmortems_dir=base.postmortems_dir,
        templates_dir=base.templates_dir,
        docs_dir=base.docs_dir,
        raw_html=raw_html,
    )
    catalog = load_catalog(settings)
    [postmortem] = catalog
    assert postmortem.title == "Why the <Suspense> boundary failed"
    assert postmortem.owners == ("<team-a>", "Ann")
    page = render_pages(catalog, settings, SiteOptions(today=dt.date(2026, 1, 1)))[
        "incidents/suspense.md"
    ]
    assert "title: Why the &lt;Suspense&gt; boundary failed" in page
    assert "&lt;team-a&gt;" in page
    assert "&lt;payments&gt;" in page
    assert "<team-a>" not in page and "<payments>" not in page


HOSTILE_TERMINAL = """\
---
title: "Hijack \x1b]0;pwned\x07 title"
---
# Hijack

**Status:** Parked \x1b]0;pwned\x07 \x1b]8;;https://evil.example\x1b\\forever\x1b]8;;\x1b\\

## Summary

Text.

## Timeline

- 2025-08-12 14:02 UTC start

## Action items

- [ ] Copy \x1b]52;c;cm0gLXJmIH4=\x07 this \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ \
\x9b2J and \x1b[2J\x1b[31mred\x1b[0m\r overwrite
- [ ] Second \x1bP1$r\x1b\\ item with no owner
"""


@pytest.mark.parametrize(
    "command",
    [
        ["actions"],
        ["actions", "--format", "csv"],
        ["check"],
        ["check", "--format", "github"],
        ["export"],
    ],
    ids=" ".join,
)
def test_nothing_printed_can_drive_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    (tmp_path / "postmortems").mkdir()
    (tmp_path / "postmortems" / "hijack.md").write_text(HOSTILE_TERMINAL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, command)
    assert "Copy" in result.output or "Parked" in result.output
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.output), repr(result.output)


def test_serve_on_a_busy_port_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    (tmp_path / "postmortems").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: KB\nplugins:\n  - postmortems\n")
    monkeypatch.chdir(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "-a", f"127.0.0.1:{port}"])
    assert result.exit_code == 1
    assert f"cannot serve on 127.0.0.1:{port}" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
