"""Exports: the model as one versioned JSON document, for other tools.

``pmkb export`` prints ``{"schema_version": 2, "postmortems": [...], "recurring": [...],
"diagnostics": [...]}``: each postmortem with its ``related`` incidents and failure ``themes``,
and the lessons that recur across incidents (see :mod:`generator.links`).
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

from generator.catalog import Catalog, build_catalog
from generator.errors import Diagnostic, json_text
from generator.models import ActionItem, Postmortem, Section

SCHEMA_VERSION = 2
"""Version of the export's shape; bumped on any incompatible change (2: links added)."""


def export_document(
    postmortems: Iterable[Postmortem],
    diagnostics: Iterable[Diagnostic],
    catalog: Catalog | None = None,
) -> dict[str, Any]:
    """Return the export document for these postmortems and diagnostics.

    The links come from ``catalog`` (by default, a catalog of the postmortems given).
    """
    postmortems = list(postmortems)
    catalog = catalog if catalog is not None else build_catalog(postmortems)
    links = catalog.links
    documents = []
    for postmortem in postmortems:
        data = to_json(postmortem)
        data["related"] = [
            {
                "id": related.postmortem.id,
                "source": related.postmortem.source,
                "score": related.score,
                "reasons": list(related.reasons),
            }
            for related in links.related(postmortem)
        ]
        data["themes"] = [
            {"id": theme.id, "title": theme.title, "triggers": list(theme.triggers)}
            for theme in links.themes_of(postmortem)
        ]
        documents.append(data)
    return {
        "schema_version": SCHEMA_VERSION,
        "postmortems": documents,
        "recurring": recurring_json(catalog),
        "diagnostics": [diagnostic.to_json() for diagnostic in diagnostics],
    }


def recurring_json(catalog: Catalog) -> list[dict[str, Any]]:
    """Return the lessons learned in more than one incident: found in the texts, then keyed."""
    found: list[dict[str, Any]] = [
        {
            "id": lesson.id,
            "title": lesson.title,
            "occurrences": [
                {
                    "id": o.postmortem.id,
                    "source": o.postmortem.source,
                    "line": o.line,
                    "kind": o.kind,
                    "text": o.text,
                }
                for o in lesson.occurrences
            ],
        }
        for lesson in catalog.links.recurring
    ]
    found += [
        {
            "id": group.anchor,
            "title": group.title,
            "occurrences": [
                {
                    "id": postmortem.id,
                    "source": postmortem.source,
                    "line": lesson.line,
                    "kind": "lesson",
                    "text": lesson.text,
                }
                for postmortem, lesson in group.occurrences
            ],
        }
        for group in catalog.lessons
        if group.count > 1
    ]
    return found


def dump_json(document: dict[str, Any]) -> str:
    """Return the document as stable, readable JSON text (keys in model order, UTF-8)."""
    return json_text(document)


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
