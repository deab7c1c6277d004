"""Exports: the model as one versioned JSON document, for other tools.

``pmkb export`` prints ``{"schema_version": 1, "postmortems": [...], "diagnostics": [...]}``.
The document is described by the JSON Schema shipped next to this module
(``postmortem-export.schema.json``), and a test validates real output against it: a tool reading
the export can rely on every key the schema marks required. Keys are added, never renamed or
removed, without a new schema version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

from generator.errors import Diagnostic
from generator.models import ActionItem, Postmortem, Section

SCHEMA_VERSION = 1
"""Version of the export's shape; bumped on any incompatible change."""


def export_document(
    postmortems: Iterable[Postmortem], diagnostics: Iterable[Diagnostic]
) -> dict[str, Any]:
    """Return the export document for these postmortems and diagnostics."""
    return {
        "schema_version": SCHEMA_VERSION,
        "postmortems": [to_json(postmortem) for postmortem in postmortems],
        "diagnostics": [diagnostic.to_json() for diagnostic in diagnostics],
    }


def dump_json(document: dict[str, Any]) -> str:
    """Return the document as stable, readable JSON text (keys in model order, UTF-8)."""
    return json.dumps(document, ensure_ascii=False, indent=2)


def load_schema() -> dict[str, Any]:
    """Return the JSON Schema of the export document."""
    text = resources.files("generator").joinpath("postmortem-export.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def to_json(value: Any) -> Any:
    """Return a model value as JSON data: enums as their values, dates in ISO 8601."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Section):
        # The residual is a rendering aid (it is derived from the markdown); tools get the text.
        return {
            "heading": value.heading,
            "kind": value.kind.value,
            "level": value.level,
            "line": value.line,
            "end_line": value.end_line,
            "markdown": value.markdown,
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, ActionItem):
            data["done"] = value.done
            data["fields"] = [{"name": name, "value": text} for name, text in value.fields]
        return data
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    return value
