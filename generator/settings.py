"""Settings of a knowledge base, free of any engine.

The options live in ``mkdocs.yml`` under the ``postmortems`` plugin (see :mod:`generator.config`,
which turns them into a :class:`Settings`). Everything else in pmkb reads this dataclass, so the
parser, the catalog and the checks run the same way from the CLI and from inside MkDocs.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType


class RawHtml(enum.StrEnum):
    """What the site does with raw HTML an author wrote in a postmortem body."""

    ESCAPE = "escape"
    """Show it as text (the default: postmortems are pasted from chats, tickets and logs)."""
    ALLOW = "allow"
    """Pass it through, minus scripts, event handlers and ``javascript:`` links."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Where a knowledge base's files are and how pmkb treats them."""

    root: Path
    """The knowledge base's folder (the one holding ``mkdocs.yml``)."""
    postmortems_dir: Path
    """The folder of postmortem Markdown files."""
    templates_dir: Path
    """The folder of the team's templates: scaffolds for ``pmkb new`` and page overrides."""
    docs_dir: Path
    """MkDocs' docs folder (hand-written pages)."""
    url_prefix: str = "incidents"
    """Where the generated pages live in the site (``incidents/<id>/``)."""
    headings: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Extra heading synonyms per section kind, added to the built-in vocabulary."""
    themes: Mapping[str, tuple[str, tuple[str, ...]] | None] = field(
        default_factory=lambda: MappingProxyType({})
    )
    """Changes to the failure themes, by theme id: ``(title, terms)`` adds a theme or extends a
    built-in one (an empty title keeps the built-in title), None turns a built-in one off."""
    required_sections: tuple[str, ...] = ("summary", "timeline", "action_items")
    """Section kinds every postmortem must have (checked by ``pmkb check``)."""
    disabled_rules: frozenset[str] = frozenset()
    """Rule codes that ``pmkb check`` does not run."""
    overdue_is_error: bool = False
    """Whether an open action item past its due date is an error rather than a warning."""
    public: bool = False
    """A public build: postmortems marked internal are left out entirely."""
    raw_html: RawHtml = RawHtml.ESCAPE
    """What to do with raw HTML in postmortem bodies."""
    edit_url: str | None = None
    """Base URL to edit a postmortem file (``https://github.com/org/kb/edit/main/``)."""

    def locate(self, source: str) -> Path:
        """Return the file a postmortem's source names (see :func:`generator.errors.show_path`).

        A source inside the knowledge base is named relative to it, any other as given (maybe
        relative to the current folder, when that is not the knowledge base's).
        """
        inside = self.root / source
        return inside if inside.exists() or not Path(source).exists() else Path(source)

    @classmethod
    def for_folder(cls, root: Path) -> Settings:
        """Return the default settings of a knowledge base in ``root``, without a mkdocs.yml."""
        return cls(
            root=root,
            postmortems_dir=root / "postmortems",
            templates_dir=root / "templates",
            docs_dir=root / "docs",
        )
