"""The ``postmortems`` plugin's options in ``mkdocs.yml``, and how the CLI reads them.

One place for configuration: the plugin's block in ``mkdocs.yml``. The plugin gets it from MkDocs;
the CLI loads the same file with :func:`mkdocs.config.load_config` (``mkdocs.yml`` files use
custom YAML tags such as ``!ENV``, so a plain YAML load is not enough). Both turn it into the
engine-free :class:`~generator.settings.Settings` that the rest of pmkb reads.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError

from generator.checks import find_unknown_codes
from generator.models import SectionKind
from generator.settings import RawHtml, Settings


# mkdocs ships no type hints for Config.__init_subclass__.
class PostmortemsConfig(base.Config):  # type: ignore[no-untyped-call]
    """Options of the ``postmortems`` plugin (all optional)."""

    postmortems_dir = c.Type(str, default="postmortems")
    """Folder of postmortem files, relative to mkdocs.yml."""
    templates_dir = c.Type(str, default="templates")
    """Folder of the team's templates (scaffolds and page overrides), relative to mkdocs.yml."""
    url_prefix = c.Type(str, default="incidents")
    """Site folder of the generated incident pages."""
    headings = c.Type(dict, default={})
    """Extra heading synonyms: ``{section kind: [heading, ...]}``."""
    themes = c.Type(dict, default={})
    """Failure themes: ``{id: {title: ..., terms: [...]}}`` to add or extend, ``{id: false}``
    to turn a built-in theme off."""
    required_sections = c.ListOfItems(c.Type(str), default=["summary", "timeline", "action_items"])
    """Section kinds every postmortem must have."""
    disabled_rules = c.ListOfItems(c.Type(str), default=[])
    """Rule codes ``pmkb check`` skips (``[PMK012]``)."""
    overdue = c.Choice(("warning", "error"), default="warning")
    """How serious an open action item past its due date is."""
    public = c.Type(bool, default=False)
    """A public build: leave out postmortems marked ``internal: true``."""
    raw_html = c.Choice(tuple(str(policy) for policy in RawHtml), default="escape")
    """Raw HTML in postmortem bodies: ``escape`` (shown as text) or ``allow`` (sanitised)."""
    search = c.Choice(("pmkb", "pagefind", "material"), default="pmkb")
    """The engine behind Material's search box: ``pmkb`` (its own index fed from the
    postmortems, in small files: fast at any size) or ``material`` (Material's own, whole-site
    index). ``pagefind``, the engine of earlier versions, now means ``pmkb``."""
    search_shard = c.Deprecated(
        message="postmortems.search_shard is no longer used: pmkb's search index is cut into "
        "small files by itself; remove it from mkdocs.yml"
    )
    """Earlier versions' pieces of the Pagefind index: ignored, with a warning."""
    cache = c.Type(bool, default=True)
    """Keep parsed postmortems between builds in ``.cache/pmkb/`` beside mkdocs.yml."""
    edit_url = c.Optional(c.Type(str))
    """Base URL that opens a postmortem file for editing, e.g.
    ``https://github.com/org/kb/edit/main/``; defaults to MkDocs' ``repo_url`` + ``edit_uri``."""


class SettingsError(Exception):
    """The knowledge base's configuration cannot be used; the message says why and where."""


def settings_from_config(options: PostmortemsConfig, root: Path) -> Settings:
    """Return the settings that the plugin options of a mkdocs.yml in ``root`` describe.

    Raise :class:`SettingsError` for what the option types cannot catch: an unknown section kind,
    heading words that are not text, a URL prefix that leaves the site, an unknown rule code.
    """
    kinds = {str(kind) for kind in SectionKind}
    headings: dict[str, tuple[str, ...]] = {}
    for kind, words in options.headings.items():
        _require_kind("headings", kind, kinds)
        listed = words if isinstance(words, list) else [words]
        if not all(isinstance(word, str) for word in listed):
            raise SettingsError(
                f"postmortems.headings.{kind}: write the headings as text, e.g. "
                f"{kind}: ['Was lief schief']"
            )
        headings[kind] = tuple(listed)
    themes = _read_themes(options.themes)
    for kind in options.required_sections:
        _require_kind("required_sections", kind, kinds)
    # An empty prefix would put the incidents list on the home page: the default stands for it.
    url_prefix = options.url_prefix.strip("/") or "incidents"
    if "\\" in url_prefix or {"", ".", ".."} & set(url_prefix.split("/")):
        raise SettingsError(
            f"postmortems.url_prefix: '{options.url_prefix}' is not a folder name inside the "
            "site; use plain names such as 'incidents'"
        )
    unknown = find_unknown_codes(options.disabled_rules)
    if unknown:
        raise SettingsError(
            f"postmortems.disabled_rules: {', '.join(unknown)} is no rule of pmkb check; "
            "pmkb check --help lists them"
        )
    return Settings(
        root=root,
        postmortems_dir=root / options.postmortems_dir,
        templates_dir=root / options.templates_dir,
        docs_dir=root / "docs",
        url_prefix=url_prefix,
        headings=headings,
        themes=themes,
        required_sections=tuple(options.required_sections),
        disabled_rules=frozenset(options.disabled_rules),
        overdue_is_error=options.overdue == "error",
        public=options.public,
        raw_html=RawHtml(options.raw_html),
        edit_url=options.edit_url,
    )


def _read_themes(
    options: dict[object, object],
) -> dict[str, tuple[str, tuple[str, ...]] | None]:
    themes: dict[str, tuple[str, tuple[str, ...]] | None] = {}
    for theme_id, change in options.items():
        where = f"postmortems.themes.{theme_id}"
        if change is False or change is None:
            themes[str(theme_id)] = None
            continue
        if not isinstance(change, dict) or not set(change) <= {"title", "terms"}:
            raise SettingsError(
                f"{where}: give a title and terms, e.g. {theme_id}: "
                "{title: 'DNS failure', terms: ['dns record', '名前解決']}, or false to turn it off"
            )
        title = change.get("title") or ""
        terms = change.get("terms") or []
        terms = terms if isinstance(terms, list) else [terms]
        if not isinstance(title, str) or not all(isinstance(t, str) for t in terms):
            raise SettingsError(f"{where}: write the title and the terms as text")
        themes[str(theme_id)] = (title, tuple(terms))
    return themes


def _require_kind(option: str, kind: str, kinds: set[str]) -> None:
    if kind not in kinds:
        raise SettingsError(
            f"postmortems.{option}: '{kind}' is not a section kind; use one of "
            + ", ".join(sorted(kinds))
        )


def settings_from_mkdocs(config: MkDocsConfig) -> Settings:
    """Return the settings of the knowledge base that a loaded mkdocs.yml describes.

    Without the ``postmortems`` plugin in it, the defaults for its folder apply.
    """
    root = Path(config.config_file_path).resolve().parent
    options = getattr(config.plugins.get("postmortems"), "config", None)
    if isinstance(options, PostmortemsConfig):
        settings = settings_from_config(options, root)
    else:
        settings = Settings.for_folder(root)
    return replace(settings, docs_dir=Path(config.docs_dir))


def find_config_file(config_file: Path | None = None, *, folder: Path | None = None) -> Path | None:
    """Return ``config_file``, else ``folder/mkdocs.yml`` (default: here) if there is one."""
    if config_file is not None:
        return config_file
    candidate = (folder or Path.cwd()) / "mkdocs.yml"
    return candidate if candidate.is_file() else None


class _LogCollector(logging.Handler):
    """Keeps what MkDocs logs while it loads a config: its only account of what is wrong."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_mkdocs_config(config_file: Path, *, strict: bool = False) -> MkDocsConfig:
    """Return the loaded mkdocs.yml, or raise :class:`SettingsError` saying what is wrong."""
    # MkDocs logs what is wrong with a config and then aborts with a bare message: keep the log.
    problems = _LogCollector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(problems)
    try:
        config: MkDocsConfig = load_config(str(config_file), strict=strict)
    except (ConfigurationError, Abort, ImportError, OSError) as error:
        details = "; ".join(problems.messages) or str(error)
        raise SettingsError(
            f"{config_file}: {details} (fix mkdocs.yml, or run pmkb where there is none)"
        ) from None
    finally:
        logger.removeHandler(problems)
    return config


def load_settings(config_file: Path | None = None, *, folder: Path | None = None) -> Settings:
    """Return the settings of the knowledge base whose mkdocs.yml is ``config_file``.

    Without a file, ``folder/mkdocs.yml`` (``folder`` defaults to the current directory) is used
    when it exists, and the defaults for ``folder`` otherwise, so that ``pmkb check`` works in any
    folder of Markdown files.
    """
    path = find_config_file(config_file, folder=folder)
    if path is None:
        return Settings.for_folder((folder or Path.cwd()).resolve())
    return settings_from_mkdocs(load_mkdocs_config(path))
