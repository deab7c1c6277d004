"""The scope of a check run: what a rule may know besides the postmortem it checks.

The catalog, the settings and the day, plus what several rules read of one postmortem (its
prose lines, its links, its anchors), found once per postmortem and kept for the run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from generator.catalog import Catalog
from generator.checks.anchors import collect_anchors
from generator.checks.links import Link, find_links
from generator.checks.source import read_prose_lines
from generator.models import Postmortem
from generator.settings import Settings


@dataclass(frozen=True, slots=True, kw_only=True)
class Scope:
    """What a rule may know besides the postmortem it checks: the whole run."""

    catalog: Catalog
    """Every postmortem checked in this run."""
    settings: Settings
    """The knowledge base's settings (required sections, overdue policy ...)."""
    today: dt.date
    """The day the check runs, for due dates and dates in the future."""
    files: Mapping[Path, Postmortem] = field(default_factory=lambda: MappingProxyType({}))
    """The catalog's postmortems by resolved file path, for links between them."""
    _prose: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict, repr=False)
    _links: dict[str, tuple[Link, ...]] = field(default_factory=dict, repr=False)
    _anchors: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def prose_lines(self, postmortem: Postmortem) -> tuple[tuple[int, str], ...]:
        """Return a postmortem's lines outside code, read once.

        See :func:`~generator.checks.source.read_prose_lines`.
        """
        found = self._prose.get(postmortem.source)
        if found is None:
            found = self._prose[postmortem.source] = tuple(read_prose_lines(postmortem))
        return found

    def links(self, postmortem: Postmortem) -> tuple[Link, ...]:
        """Return a postmortem's links that stay in the knowledge base, found once."""
        found = self._links.get(postmortem.source)
        if found is None:
            found = self._links[postmortem.source] = tuple(find_links(postmortem, self))
        return found

    def anchors(self, postmortem: Postmortem) -> frozenset[str]:
        """Return the anchors of a postmortem's page, found once.

        See :func:`~generator.checks.anchors.collect_anchors`.
        """
        found = self._anchors.get(postmortem.source)
        if found is None:
            found = collect_anchors(postmortem, self.prose_lines(postmortem))
            self._anchors[postmortem.source] = found
        return found
