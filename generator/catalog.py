"""The catalog: every postmortem of a knowledge base, read once and linked together.

:func:`load_catalog` parses each postmortem file of ``settings.postmortems_dir`` exactly once and
:func:`build_catalog` assembles the results into a frozen :class:`Catalog`, which everything
downstream reads (the site pages, ``pmkb check``, ``pmkb actions``, the exports): nothing after it
re-reads or re-parses Markdown.

Cross-links are computed once, when the catalog is built (those found in the incidents' texts
when first asked for: ``pmkb check`` and ``pmkb actions`` never pay for them):

* lessons learned in several incidents are grouped under one :class:`LessonGroup`, keyed by the
  lesson's explicit tags when it has some, else by its normalised title (see :func:`lesson_keys`);
* related incidents, recurring lessons and failure themes are found in what the incidents say,
  by :func:`generator.links.link_postmortems` (:attr:`Catalog.links`);
* services and tags are indexed case-insensitively.

Only the parts that depend on the day (which action items are overdue, how old they are) take a
``today`` argument, so that the catalog itself stays the same whenever it is built.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from generator.build_cache import BuildCache
from generator.errors import Diagnostic, Location, Severity
from generator.links import (
    DEFAULT_THEMES,
    Concept,
    Links,
    Related,
    lesson_keys,
    link_postmortems,
    merge_themes,
)
from generator.models import ActionItem, Lesson, Postmortem
from generator.parse.text import strip_numbering
from generator.postmortem_files import read_postmortems
from generator.settings import Settings
from generator.slugs import claim_slug, slugify

RESERVED_SLUGS = frozenset({"index"})
"""Page names an incident may not take: ``index`` is the incidents list itself."""

DUPLICATE_ID = "PMK090"
"""Code of the diagnostic for two postmortems with the same id."""

# What joins several owners in one owner text: "@ann, Bob", "ann & bob", "Ann and Bob".
_OWNER_SEPARATOR = re.compile(r"\s*(?:[,;/&]|\band\b)\s*")


@dataclass(frozen=True, slots=True, kw_only=True)
class LessonGroup:
    """One lesson as learned in one or more incidents."""

    key: str
    """The normalised key the occurrences share (an explicit tag or a normalised title)."""
    title: str
    """The title shown for the group: the most frequent title among its occurrences."""
    anchor: str
    """The group's unique anchor on the lessons page (``lesson-always-check-code-references``)."""
    occurrences: tuple[tuple[Postmortem, Lesson], ...]
    """Every (incident, lesson) of the group, newest incident first."""
    incidents: tuple[Postmortem, ...]
    """The distinct incidents that learned this lesson, newest first."""

    @property
    def count(self) -> int:
        """In how many incidents the lesson was learned."""
        return len(self.incidents)


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenAction:
    """An action item still to be done, seen across incidents."""

    postmortem: Postmortem
    """The incident that asked for it."""
    item: ActionItem
    """The action item."""
    age_days: int | None
    """Days since the incident (None when the incident has no date)."""
    overdue: bool
    """Whether its due date is before the day the catalog was asked about."""

    def is_owned_by(self, owner: str) -> bool:
        """Return whether ``owner`` owns the item, case and a leading ``@`` aside.

        An owner text may name several: ``@ann, Bob`` is owned by ``ann`` and by ``bob`` (and
        by ``@ann, bob``).
        """
        if not self.item.owner:
            return False
        names = (self.item.owner, *_OWNER_SEPARATOR.split(self.item.owner))
        return _normalize_owner(owner) in {_normalize_owner(n) for n in names if n.strip()}


@dataclass(frozen=True, slots=True, kw_only=True)
class Catalog:
    """All postmortems of a knowledge base and the links between them.

    Build it with :func:`build_catalog` (from models) or :func:`load_catalog` (from files).
    """

    postmortems: tuple[Postmortem, ...]
    """Every postmortem, newest first (undated last, then by id and source)."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """Problems found while reading the files, in file order."""
    slugs: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Page name of each postmortem, by source path: unique, safe, never ``index``."""
    lessons: tuple[LessonGroup, ...] = ()
    """Lesson groups, most re-learned first (then by title)."""
    services: Mapping[str, tuple[Postmortem, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    """Incidents by affected service (newest first), services sorted case-insensitively."""
    tags: Mapping[str, tuple[Postmortem, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Incidents by tag (newest first), tags sorted case-insensitively."""
    _links: Callable[[], Links] = field(default=Links, repr=False, compare=False)
    _by_id: Mapping[str, Postmortem] = field(default_factory=lambda: MappingProxyType({}))
    _lesson_groups: Mapping[tuple[str, int], tuple[LessonGroup, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    @property
    def links(self) -> Links:
        """What the incidents' texts link: related incidents, recurring lessons, failure themes.

        Found once, the first time something asks (the pages, the exports, the insights).
        """
        return self._links()

    def __iter__(self) -> Iterator[Postmortem]:
        return iter(self.postmortems)

    def __len__(self) -> int:
        return len(self.postmortems)

    def get(self, postmortem_id: str) -> Postmortem | None:
        """Return the postmortem with that id (the first one read, if two share it)."""
        return self._by_id.get(postmortem_id)

    def slug(self, postmortem: Postmortem) -> str:
        """Return the page name of a postmortem of this catalog."""
        return self.slugs[postmortem.source]

    def lesson_groups(self, postmortem: Postmortem, lesson: Lesson) -> tuple[LessonGroup, ...]:
        """Return the groups a lesson of a postmortem belongs to (one per key)."""
        return self._lesson_groups.get((postmortem.source, lesson.line), ())

    def related(self, postmortem: Postmortem) -> tuple[Related, ...]:
        """Return the incidents most related to a postmortem, best first (see links)."""
        return self.links.related(postmortem)

    def open_actions(self, today: dt.date) -> tuple[OpenAction, ...]:
        """Return every action item still to be done, oldest incident first.

        Items of undated incidents come last; within an incident, items keep document order.
        """
        found = [
            OpenAction(
                postmortem=postmortem,
                item=item,
                age_days=(today - postmortem.date).days if postmortem.date else None,
                overdue=item.due is not None and item.due < today,
            )
            for postmortem in self.postmortems
            for item in postmortem.open_action_items
        ]
        found.sort(
            key=lambda a: (
                a.age_days is None,
                -(a.age_days or 0),
                a.postmortem.id,
                a.postmortem.source,
                a.item.line,
            )
        )
        return tuple(found)

    @property
    def action_count(self) -> int:
        """How many action items all incidents have."""
        return sum(len(p.action_items) for p in self.postmortems)

    @property
    def open_action_count(self) -> int:
        """How many action items are still to be done."""
        return sum(len(p.open_action_items) for p in self.postmortems)


def load_catalog(settings: Settings, *, cache: BuildCache | None = None) -> Catalog:
    """Read every postmortem of a knowledge base into a catalog.

    Files ending in ``.md`` or ``.markdown`` anywhere under ``settings.postmortems_dir`` are
    postmortems, except those whose name (or a folder's) starts with ``.`` or ``_`` (drafts,
    editor folders, shared snippets) and ``README`` files. A file that cannot be read becomes a
    diagnostic and never stops the others. With ``settings.public``, postmortems marked internal
    are left out, lessons and action items included.
    """
    postmortems, diagnostics = read_postmortems(
        (settings.postmortems_dir,), settings=settings, cache=cache
    )
    if settings.public:
        postmortems = [postmortem for postmortem in postmortems if not postmortem.internal]
    themes = merge_themes(DEFAULT_THEMES, settings.themes)
    return build_catalog(postmortems, diagnostics=diagnostics, themes=themes)


def build_catalog(
    postmortems: Iterable[Postmortem],
    *,
    diagnostics: Iterable[Diagnostic] = (),
    themes: tuple[Concept, ...] = DEFAULT_THEMES,
) -> Catalog:
    """Assemble parsed postmortems into a catalog, in one pass over them.

    ``themes`` is the failure-theme vocabulary the links use (see :mod:`generator.links`).
    """
    ordered = tuple(sorted(postmortems, key=_newest_first))
    found = list(diagnostics)
    by_id: dict[str, Postmortem] = {}
    for postmortem in sorted(ordered, key=lambda p: p.source):
        first = by_id.setdefault(postmortem.id, postmortem)
        if first is not postmortem:
            found.append(
                Diagnostic(
                    location=Location(path=postmortem.source, line=1),
                    code=DUPLICATE_ID,
                    severity=Severity.ERROR,
                    message=(
                        f"id '{postmortem.id}' is already used by {first.source}; "
                        "give this postmortem its own `id:` in the front matter"
                    ),
                )
            )
    groups, lesson_index = _group_lessons(ordered)
    return Catalog(
        postmortems=ordered,
        diagnostics=tuple(found),
        slugs=MappingProxyType(_assign_slugs(ordered)),
        lessons=groups,
        services=MappingProxyType(_index(ordered, lambda p: p.services)),
        tags=MappingProxyType(_index(ordered, lambda p: p.tags)),
        # Computed once, when first needed: checks never show links.
        _links=functools.cache(functools.partial(link_postmortems, ordered, themes=themes)),
        _by_id=MappingProxyType(by_id),
        _lesson_groups=MappingProxyType(lesson_index),
    )


def _normalize_owner(owner: str) -> str:
    return owner.strip().lstrip("@").casefold()


def _newest_first(postmortem: Postmortem) -> tuple[bool, int, str, str]:
    ordinal = postmortem.date.toordinal() if postmortem.date else 0
    return (postmortem.date is None, -ordinal, postmortem.id, postmortem.source)


def _assign_slugs(postmortems: tuple[Postmortem, ...]) -> dict[str, str]:
    # Sources in path order, so that which duplicate gets the suffix never depends on dates.
    taken = set(RESERVED_SLUGS)
    slugs: dict[str, str] = {}
    for postmortem in sorted(postmortems, key=lambda p: p.source):
        slugs[postmortem.source] = claim_slug(slugify(postmortem.id), taken)
    return slugs


def _index(
    postmortems: tuple[Postmortem, ...], names: Callable[[Postmortem], Iterable[str]]
) -> dict[str, tuple[Postmortem, ...]]:
    """Return incidents by name, grouping spellings that differ only in case.

    Each group is shown under the spelling of its newest incident.
    """
    shown: dict[str, str] = {}
    members: dict[str, list[Postmortem]] = defaultdict(list)
    for postmortem in postmortems:
        for name in dict.fromkeys(n.strip() for n in names(postmortem)):
            if not name:
                continue
            key = name.casefold()
            shown.setdefault(key, name)
            members[key].append(postmortem)
    return {shown[key]: tuple(members[key]) for key in sorted(members, key=lambda k: (k, shown[k]))}


def _group_lessons(
    postmortems: tuple[Postmortem, ...],
) -> tuple[tuple[LessonGroup, ...], dict[tuple[str, int], tuple[LessonGroup, ...]]]:
    members: dict[str, list[tuple[Postmortem, Lesson]]] = defaultdict(list)
    for postmortem in postmortems:
        for lesson in postmortem.lessons:
            for key in lesson_keys(lesson):
                members[key].append((postmortem, lesson))

    def rank(key: str) -> tuple[int, str]:
        incidents = {p.source for p, _ in members[key]}
        return (-len(incidents), key)

    taken: set[str] = set()
    groups: dict[str, LessonGroup] = {}
    for key in sorted(members, key=rank):
        occurrences = tuple(members[key])
        titles = Counter(strip_numbering(lesson.title) for _, lesson in occurrences)
        # Most frequent title; ties go to the newest incident's wording (occurrences are
        # newest first and Counter keeps first-seen order among equals).
        title = max(titles, key=lambda t: titles[t]) if titles else key
        anchor = claim_slug("lesson-" + slugify(key, max_length=60), taken)
        incidents = {postmortem.source: postmortem for postmortem, _ in reversed(occurrences)}
        groups[key] = LessonGroup(
            key=key,
            title=title,
            anchor=anchor,
            occurrences=occurrences,
            incidents=tuple(sorted(incidents.values(), key=_newest_first)),
        )

    index: dict[tuple[str, int], tuple[LessonGroup, ...]] = {}
    for postmortem in postmortems:
        for lesson in postmortem.lessons:
            index[(postmortem.source, lesson.line)] = tuple(
                groups[key] for key in lesson_keys(lesson)
            )
    return tuple(groups.values()), index
