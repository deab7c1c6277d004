"""Scaffolding: ``pmkb new`` drafts a postmortem, ``pmkb init`` lays out a knowledge base.

Both only ever create files: every write uses exclusive creation (``open(path, "x")``), so an
existing file, or a symlink where a file would go, is never opened, let alone overwritten.

Scaffolds are Jinja2 files named ``<name>.md.j2`` whose first line is a Jinja comment describing
them. They are looked up in the knowledge base's ``templates/`` folder first, then among the
built-ins the package carries (``generator/templates/scaffolds``, a symlink to the repository's
top-level ``templates/`` that the wheel stores as plain files). Only files directly in that folder
are scaffolds: its ``site/`` subfolder holds the site renderer's page overrides.

Where the author still has to write something, a scaffold says ``TODO: ...``; ``pmkb check``
reports those lines as unfilled placeholders until they are replaced.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

import jinja2
import yaml

from generator.errors import show_path
from generator.slugs import slugify

SUFFIX = ".md.j2"
DEFAULT_TEMPLATE = "seed"
SEVERITY_PLACEHOLDER = "TODO: severity"
"""Front matter severity of a draft whose author gave none (``pmkb check`` flags it)."""

_DESCRIPTION = re.compile(r"^\{#-?\s*(?P<text>.*?)\s*-?#\}\s*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FRONT_MATTER = re.compile(r"\A---\r?\n(?P<yaml>.*?\r?\n)?---\s*(?:\r?\n|\Z)", re.DOTALL)
# What a fresh git repository holds: a folder with only these in it counts as empty.
_IGNORABLE = frozenset({".git"})


class ScaffoldError(Exception):
    """A scaffold cannot be written; the message says why and what to do."""


class Origin(enum.StrEnum):
    """Where a scaffold comes from."""

    KNOWLEDGE_BASE = "knowledge base"
    BUILT_IN = "built-in"


@dataclass(frozen=True, slots=True, kw_only=True)
class Scaffold:
    """A template for new postmortems."""

    name: str
    """What ``--template`` calls it: the file name without ``.md.j2``."""
    description: str
    """The one-line description from the template's first-line Jinja comment (may be empty)."""
    origin: Origin
    """The knowledge base's ``templates/`` folder, or the package."""
    location: str
    """The template file, for messages."""
    source: str
    """The Jinja2 source."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Draft:
    """What the author told ``pmkb new`` about the postmortem to draft."""

    title: str
    """The incident's title, as given."""
    date: dt.date
    """The day of the incident."""
    severity: str | None = None
    """Severity as the team writes it (``SEV-2``, ``P1``), or None to leave a placeholder."""
    services: tuple[str, ...] = ()
    """Affected services."""
    authors: tuple[str, ...] = ()
    """Who writes the postmortem."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InitReport:
    """What ``pmkb init`` did."""

    folder: Path
    """The knowledge base's folder."""
    written: tuple[PurePosixPath, ...]
    """Files created, relative to the folder."""
    skipped: tuple[PurePosixPath, ...]
    """Files left alone because something already exists at their path."""


def clean_text(text: str) -> str:
    """Return ``text`` on one line: whitespace runs become one space, control characters go."""
    kept = "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) != "Cc")
    return " ".join(kept.split())


def clean_list(values: Sequence[str]) -> tuple[str, ...]:
    """Return the non-empty values, cleaned, without duplicates, in their order."""
    cleaned = (clean_text(value) for value in values)
    return tuple(dict.fromkeys(value for value in cleaned if value))


def parse_iso_date(text: str) -> dt.date:
    """Return the date written ``YYYY-MM-DD``; raise :class:`ScaffoldError` if it is not one."""
    text = text.strip()
    try:
        if _ISO_DATE.match(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise ScaffoldError(f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2025-08-12")


def describe(source: str) -> str:
    """Return the one-line description in a template's first-line comment, or ``""``."""
    first_line = source.split("\n", 1)[0]
    found = _DESCRIPTION.match(first_line)
    return found["text"] if found else ""


def builtin_scaffolds_dir() -> Traversable:
    """Return the package's folder of built-in scaffolds."""
    return resources.files("generator") / "templates" / "scaffolds"


def _read_scaffolds(folder: Traversable, origin: Origin) -> Iterator[Scaffold]:
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name.endswith(SUFFIX) and entry.is_file():
            yield _read_scaffold(entry, origin)


def _read_scaffold(entry: Traversable, origin: Origin) -> Scaffold:
    location = show_path(entry) if isinstance(entry, Path) else str(entry)
    try:
        source = entry.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScaffoldError(f"{location}: cannot read this template ({error})") from None
    return Scaffold(
        name=entry.name.removesuffix(SUFFIX),
        description=describe(source),
        origin=origin,
        location=location,
        source=source,
    )


def list_scaffolds(templates_dir: Path | None) -> tuple[Scaffold, ...]:
    """Return the available scaffolds by name; the knowledge base's hide built-ins of that name."""
    found: dict[str, Scaffold] = {}
    for folder, origin in _scaffold_folders(templates_dir):
        for scaffold in _read_scaffolds(folder, origin):
            found.setdefault(scaffold.name, scaffold)
    return tuple(found[name] for name in sorted(found))


def _scaffold_folders(templates_dir: Path | None) -> list[tuple[Traversable, Origin]]:
    """Return the folders scaffolds come from, the one that wins a name first."""
    builtin: tuple[Traversable, Origin] = (builtin_scaffolds_dir(), Origin.BUILT_IN)
    if templates_dir is None:
        return [builtin]
    return [(templates_dir, Origin.KNOWLEDGE_BASE), builtin]


def find_scaffold(name: str, templates_dir: Path | None) -> Scaffold:
    """Return the scaffold called ``name``, or raise :class:`ScaffoldError` listing the others.

    Only that template is read, so that a broken one beside it does not stand in the way.
    """
    # A name is a file name, never a path: "../x" names no template.
    if PurePosixPath(name).name == name and name not in ("", ".", ".."):
        for folder, origin in _scaffold_folders(templates_dir):
            entry = folder / f"{name}{SUFFIX}"
            if entry.is_file():
                return _read_scaffold(entry, origin)
    scaffolds = list_scaffolds(templates_dir)
    available = ", ".join(scaffold.name for scaffold in scaffolds) or "none"
    own = show_path((templates_dir or Path("templates")) / f"{slugify(name)}{SUFFIX}")
    raise ScaffoldError(f"no template named '{name}'; available: {available} (or add {own})")


def dump_yaml(value: object) -> str:
    r"""Return ``value`` as YAML flow on one line, quoted wherever YAML needs it.

    Text stays readable (``李 雷``, not ``\u674E``). Plain style is tried first; values it
    would spread over lines or change (PyYAML writes U+0085 and U+2028 raw, which a reader folds
    into spaces) are written double-quoted, where every line break is an escape.
    """
    text = ""
    for style, readable in ((None, True), ('"', True), ('"', False)):
        text = yaml.safe_dump(
            value,
            default_flow_style=True,
            default_style=style,
            allow_unicode=readable,
            width=2**31 - 1,
        )
        text = text.removesuffix("\n...\n").removesuffix("\n")
        if "\n" not in text and yaml.safe_load(text) == value:
            break
    return text


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701  (the output is Markdown; HTML is escaped by the site)
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["yaml"] = dump_yaml
    return environment


def file_stem(draft: Draft) -> str:
    """Return the new postmortem's file name without ``.md``: ``<date>-<slug of title>``."""
    return f"{draft.date.isoformat()}-{slugify(draft.title)}"


def render_scaffold(scaffold: Scaffold, draft: Draft) -> str:
    """Return the postmortem text the scaffold makes for the draft.

    Raise :class:`ScaffoldError` when the template fails or makes front matter that is not YAML
    (a team template writing ``title: {{ title }}`` instead of ``{{ title | yaml }}``).
    """
    context = {
        "title": draft.title,
        "date": draft.date.isoformat(),
        "severity": draft.severity or SEVERITY_PLACEHOLDER,
        "services": list(draft.services),
        "authors": list(draft.authors),
        "slug": slugify(draft.title),
        "id": file_stem(draft),
    }
    try:
        text = _environment().from_string(scaffold.source).render(context)
    except jinja2.TemplateSyntaxError as error:
        raise ScaffoldError(f"{scaffold.location}:{error.lineno}: {error.message}") from None
    except jinja2.TemplateError as error:
        raise ScaffoldError(f"{scaffold.location}: {error}") from None
    front_matter = _FRONT_MATTER.match(text)
    if front_matter:
        try:
            yaml.safe_load(front_matter["yaml"] or "")
        except yaml.YAMLError as error:
            raise ScaffoldError(
                f"{scaffold.location}: the front matter it makes for this title is not valid "
                f"YAML; write values with the yaml filter, e.g. {{{{ title | yaml }}}} ({error})"
            ) from None
    return text


def draft_path(postmortems_dir: Path, draft: Draft) -> Path:
    """Return where the draft goes: ``postmortems/<date>-<slug>.md``, never outside that folder."""
    path = postmortems_dir / f"{file_stem(draft)}.md"
    # The slug cannot hold a separator or "..": this only guards against a future change of it.
    # The name itself is not resolved: a symlink already there is an existing file, refused later.
    if not (path.parent.resolve() / path.name).is_relative_to(postmortems_dir.resolve()):
        raise ScaffoldError(f"{path}: refusing to write outside {postmortems_dir}")
    return path


def _create(path: Path, data: bytes) -> None:
    """Write a new file; raise FileExistsError if anything exists at ``path``."""
    with path.open("xb") as file:
        try:
            file.write(data)
        except OSError:
            # The file is ours and half-written: remove it rather than leave a truncated draft.
            file.close()
            path.unlink()
            raise


def create_postmortem(
    draft: Draft,
    *,
    postmortems_dir: Path,
    templates_dir: Path | None,
    template: str = DEFAULT_TEMPLATE,
) -> Path:
    """Render the named template for the draft into a new file and return its path.

    Raise :class:`ScaffoldError` (and write nothing) for an unknown template, a template that
    fails, or a file that already exists.
    """
    title = clean_text(draft.title)
    if not title:
        raise ScaffoldError(
            "the title is empty: give the incident a title, e.g. pmkb new 'Search down'"
        )
    draft = Draft(
        title=title,
        date=draft.date,
        severity=clean_text(draft.severity or "") or None,
        services=clean_list(draft.services),
        authors=clean_list(draft.authors),
    )
    text = render_scaffold(find_scaffold(template, templates_dir), draft)
    try:
        postmortems_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ScaffoldError(f"{postmortems_dir}: cannot create the folder ({error})") from None
    path = draft_path(postmortems_dir, draft)
    try:
        _create(path, text.encode("utf-8"))
    except FileExistsError:
        raise ScaffoldError(
            f"{show_path(path)} already exists and pmkb never overwrites a postmortem: "
            "pick another title or --date"
        ) from None
    except OSError as error:
        raise ScaffoldError(f"{path}: cannot write it ({error})") from None
    return path


def skeleton_dir() -> Traversable:
    """Return the package's skeleton of a knowledge base (what ``pmkb init`` writes)."""
    return resources.files("generator") / "skeleton"


def _walk(folder: Traversable, prefix: PurePosixPath) -> Iterator[tuple[PurePosixPath, bytes]]:
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if entry.name == "__pycache__":
            continue
        if entry.is_dir():
            yield from _walk(entry, prefix / entry.name)
        else:
            yield prefix / entry.name, entry.read_bytes()


def skeleton_files() -> dict[PurePosixPath, bytes]:
    """Return every file of a new knowledge base: the skeleton plus the built-in scaffolds."""
    files = dict(_walk(skeleton_dir(), PurePosixPath()))
    for scaffold in _read_scaffolds(builtin_scaffolds_dir(), Origin.BUILT_IN):
        files[PurePosixPath("templates", scaffold.name + SUFFIX)] = scaffold.source.encode("utf-8")
    return dict(sorted(files.items()))


def is_empty_folder(folder: Path) -> bool:
    """Return whether ``folder`` holds nothing but what a fresh git repository holds."""
    return all(entry.name in _IGNORABLE for entry in folder.iterdir())


def init_knowledge_base(folder: Path, *, add_missing: bool = False) -> InitReport:
    """Write a working knowledge base into ``folder`` (created if needed) and say what was done.

    A folder that is not empty is refused unless ``add_missing`` is set, in which case only the
    files that do not exist yet are written. Nothing is ever overwritten.
    """
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(
            f"{folder} is a file, not a folder: pick a folder for the knowledge base"
        )
    if folder.is_dir() and not add_missing and not is_empty_folder(folder):
        raise ScaffoldError(
            f"{folder} is not empty; run `pmkb init --add-missing {folder}` to add only the "
            "files it lacks (nothing is overwritten)"
        )
    written: list[PurePosixPath] = []
    skipped: list[PurePosixPath] = []
    for relative, data in skeleton_files().items():
        path = folder.joinpath(*relative.parts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _create(path, data)
        except (FileExistsError, NotADirectoryError):
            # Something is already there (or a file sits where its folder would go): leave it.
            skipped.append(relative)
        except OSError as error:
            raise ScaffoldError(f"{path}: cannot write it ({error})") from None
        else:
            written.append(relative)
    return InitReport(folder=folder, written=tuple(written), skipped=tuple(skipped))
