"""Reports: the text ``pmkb check`` and ``pmkb actions`` print, in each of their formats.

Diagnostics print like compiler errors (``path:line:col: PMK0nn severity message``), as JSON, or
as GitHub Actions annotations; open action items as an aligned table, JSON or CSV. Everything
here returns text, so the CLI only chooses and prints, and the formats are tested on their own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

from generator.catalog import Catalog, OpenAction
from generator.checks import has_placeholder
from generator.errors import Diagnostic, json_text, terminal_text
from generator.markup import plain_text

ACTION_COLUMNS = (
    "incident",
    "title",
    "group",
    "action",
    "owner",
    "due",
    "overdue",
    "priority",
    "age_days",
    "state",
    "ticket",
    "source",
    "line",
)
"""The fields of an open action item in ``pmkb actions --format json|csv``, in order."""

_ANNOTATION_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}

# (header, row key, widest cell) of the table; the action text comes last and is cut longest.
_TABLE = (
    ("INCIDENT", "incident", 48),
    ("GROUP", "group", 28),
    ("OWNER", "owner", 20),
    ("DUE", "due", 20),
    ("PRIORITY", "priority", 8),
    ("AGE", "age_days", 6),
    ("ACTION", "action", 72),
)


def format_diagnostics(diagnostics: Sequence[Diagnostic], output_format: str) -> str:
    """Return the diagnostics as ``text`` (one per line), ``json`` or ``github`` annotations."""
    if output_format == "json":
        return json_text([d.to_json() for d in diagnostics])
    show = format_github_annotation if output_format == "github" else str
    return "\n".join(show(diagnostic) for diagnostic in diagnostics)


def format_github_annotation(diagnostic: Diagnostic) -> str:
    """Return a diagnostic as a GitHub Actions workflow command (an annotation on the file).

    Escaped as the Actions toolkit does: ``%``, CR and LF in the message; also ``:`` and ``,``
    in property values, where they would end the value.
    """
    location = diagnostic.location
    properties = ",".join(
        f"{name}={_escape_property(str(value))}"
        for name, value in (
            ("file", location.path),
            ("line", location.line),
            ("col", location.column),
            ("title", diagnostic.code),
        )
    )
    command = _ANNOTATION_COMMANDS[str(diagnostic.severity)]
    return terminal_text(f"::{command} {properties}::{_escape_data(diagnostic.message)}")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def summarize_diagnostics(diagnostics: Iterable[Diagnostic], files: int) -> str:
    """Return the one-line summary of a check: ``3 errors, 2 warnings in 8 postmortems``."""
    counts = dict.fromkeys(("error", "warning", "info"), 0)
    for diagnostic in diagnostics:
        counts[str(diagnostic.severity)] += 1
    found = [count_noun(counts[name], name) for name in ("error", "warning") if counts[name]]
    if counts["info"]:
        found.append(f"{counts['info']} info")
    return f"{', '.join(found) or 'no problems'} in {count_noun(files, 'postmortem')}"


def count_noun(count: int, noun: str) -> str:
    """Return ``1 file``, ``2 files``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def select_open_actions(
    catalog: Catalog, *, today: dt.date, owner: str | None = None, overdue: bool = False
) -> tuple[OpenAction, ...]:
    """Return the open action items to list, oldest incident first.

    Items that still hold a template placeholder (TODO:) are left out: they are not written
    yet (pmkb check reports them). ``owner`` keeps the items it owns (see
    :meth:`~generator.catalog.OpenAction.is_owned_by`), ``overdue`` those past their due date.
    """
    return tuple(
        action
        for action in catalog.open_actions(today)
        if not has_placeholder(action.item.text)
        and (owner is None or action.is_owned_by(owner))
        and (action.overdue or not overdue)
    )


def format_actions(actions: Iterable[OpenAction], output_format: str) -> str:
    """Return open action items as a ``table`` (no header when empty), ``json`` or ``csv``."""
    rows = [_describe_action(action) for action in actions]
    if output_format == "json":
        return json_text(rows)
    if output_format == "csv":
        return _format_csv(rows)
    return _format_table(rows) if rows else ""


def _describe_action(action: OpenAction) -> dict[str, object]:
    item = action.item
    return {
        "incident": action.postmortem.id,
        "title": action.postmortem.title,
        "group": item.group,
        "action": " ".join(plain_text(line) for line in item.text.strip().split("\n")),
        "owner": item.owner,
        "due": item.due.isoformat() if item.due else None,
        "overdue": action.overdue,
        "priority": item.priority,
        "age_days": action.age_days,
        "state": str(item.state),
        "ticket": item.ticket,
        "source": action.postmortem.source,
        "line": action.postmortem.source_line(item.line),
    }


def _format_csv(rows: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ACTION_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_cell(value) for key, value in row.items()})
    return buffer.getvalue()


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return terminal_text(value)
    return str(value).lower() if isinstance(value, bool) else value


def _format_table(rows: list[dict[str, object]]) -> str:
    """Return the rows as a plain text table, columns aligned, long cells cut with an ellipsis."""
    cells: list[list[str]] = [[header for header, _, _ in _TABLE]]
    for row in rows:
        line = []
        for _, key, widest in _TABLE:
            text = _table_cell(row, key)
            line.append(text if len(text) <= widest else text[: widest - 1] + "…")
        cells.append(line)
    widths = [max(len(line[i]) for line in cells) for i in range(len(_TABLE))]
    return "\n".join(
        "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip()
        for line in cells
    )


def _table_cell(row: dict[str, object], key: str) -> str:
    value = row[key]
    if value is None or value == "":
        return "-"
    if key == "due" and row["overdue"]:
        return f"{value} (overdue)"
    if key == "age_days":
        return f"{value}d"
    return terminal_text(str(value))
