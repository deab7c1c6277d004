"""Links between incidents found in what they say: related incidents, recurring lessons, themes.

:func:`link_postmortems` is one pass over a catalog's postmortems (the catalog calls it once, when
it is built); it reads each postmortem's elements into words once (:mod:`.elements`, on every
core: :mod:`.reading`), then:

* finds the **failure themes** of each incident (:mod:`.themes`, a vocabulary a knowledge base
  can extend), with the words that triggered each;
* groups elements of different incidents that say the same **practice** (:mod:`.practices`)
  into recurring lessons; a lesson with explicit ``lessons:`` keys is left to the author's
  grouping;
* scores **related incidents** by their weighted terms and what they share (:mod:`.related`).

The result, :class:`Links`, is a pure function of the postmortems given: the same postmortems
give the same links, in the same order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from generator.links.concepts import Concept, ConceptMatcher
from generator.links.practices import DEFAULT_PRACTICES
from generator.links.reading import LinkReader, ThemeMatch
from generator.links.related import Match, Profile, relate
from generator.links.themes import DEFAULT_THEMES, merge_themes
from generator.models import Lesson, Postmortem
from generator.page_workers import map_on_cores
from generator.parse.text import normalize_title

__all__ = [
    "DEFAULT_PRACTICES",
    "DEFAULT_THEMES",
    "Concept",
    "Links",
    "Occurrence",
    "RecurringLesson",
    "Related",
    "ThemeMatch",
    "link_postmortems",
    "merge_themes",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Occurrence:
    """One incident's element saying a recurring lesson."""

    postmortem: Postmortem
    """The incident."""
    kind: str
    """``lesson``, ``mistake``, ``root_cause``, ``contributing_factor`` or ``action_item``."""
    line: int
    """Source line of the element."""
    text: str
    """The element's text, as Markdown."""
    triggers: tuple[str, ...]
    """The words that tied it to the lesson."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RecurringLesson:
    """A lesson re-learned in several incidents, in their own words."""

    id: str
    """The practice's id (``alert-finite-resources``)."""
    title: str
    """The lesson, in general words."""
    anchor: str
    """The lesson's anchor on the lessons page."""
    occurrences: tuple[Occurrence, ...]
    """Every element saying it, oldest incident first (undated last), in source order."""
    incidents: tuple[Postmortem, ...]
    """The distinct incidents, oldest first (undated last)."""

    @property
    def count(self) -> int:
        """In how many incidents the lesson was learned."""
        return len(self.incidents)


@dataclass(frozen=True, slots=True, kw_only=True)
class Related:
    """An incident related to another, and the reasons a reader can check."""

    postmortem: Postmortem
    """The related incident."""
    score: float
    """How strongly they are related (higher is closer)."""
    reasons: tuple[str, ...]
    """Why, strongest evidence first (``recurring lesson: ...``, ``theme: ...``, ``terms: ...``)."""
    lessons: tuple[RecurringLesson, ...] = ()
    """Recurring lessons both take part in."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Links:
    """Every link found between the incidents of a catalog."""

    recurring: tuple[RecurringLesson, ...] = ()
    """Recurring lessons, most re-learned first (then by title)."""
    themes: tuple[Concept, ...] = ()
    """The theme vocabulary in use, in its order."""
    _themes: Mapping[str, tuple[ThemeMatch, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    _related: Mapping[str, tuple[Related, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    _recurrences: Mapping[tuple[str, int], tuple[RecurringLesson, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def themes_of(self, postmortem: Postmortem) -> tuple[ThemeMatch, ...]:
        """Return the failure themes of an incident, in vocabulary order."""
        return self._themes.get(postmortem.source, ())

    def related(self, postmortem: Postmortem) -> tuple[Related, ...]:
        """Return the incidents most related to one, best first."""
        return self._related.get(postmortem.source, ())

    def recurrences(self, postmortem: Postmortem, line: int) -> tuple[RecurringLesson, ...]:
        """Return the recurring lessons the element at ``line`` of an incident says."""
        return self._recurrences.get((postmortem.source, line), ())

    def incidents_with_theme(
        self, theme_id: str, postmortems: Sequence[Postmortem]
    ) -> list[Postmortem]:
        """Return those of ``postmortems`` that have a theme, in the order given."""
        return [p for p in postmortems if any(t.id == theme_id for t in self.themes_of(p))]


def link_postmortems(
    postmortems: Sequence[Postmortem],
    *,
    themes: tuple[Concept, ...] = DEFAULT_THEMES,
    practices: tuple[Concept, ...] = DEFAULT_PRACTICES,
) -> Links:
    """Find the links between postmortems (given in catalog order) in one pass over them.

    Each postmortem is read on its own, on every core (:mod:`.reading`); the readings are
    joined here, in catalog order.
    """
    theme_matcher = ConceptMatcher(themes, skip_denied=True)
    practice_matcher = ConceptMatcher(practices)
    reader = LinkReader(theme_matcher, practice_matcher)
    theme_index: dict[str, tuple[ThemeMatch, ...]] = {}
    said: dict[str, list[Occurrence]] = defaultdict(list)
    profiles: list[Profile] = []
    surfaces: dict[str, str] = {}
    # Each distinct term's number, given when first seen.
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    with map_on_cores(postmortems, reader.read) as readings:
        for postmortem, reading in zip(postmortems, readings(), strict=True):
            for term, surface in reading.surfaces:
                surfaces.setdefault(term, surface)
            theme_index[postmortem.source] = reading.themes
            for element in reading.said:
                said[element.practice].append(
                    Occurrence(
                        postmortem=postmortem,
                        kind=element.kind,
                        line=element.line,
                        text=element.text,
                        triggers=element.triggers,
                    )
                )
            # Terms by number in the pass's vocabulary, in arrays: a tenth of a tuple of
            # strings' and a tuple of counts, kept for every incident until all are read.
            profiles.append(
                Profile(
                    terms=array("I", map(vocabulary.__getitem__, reading.terms)),
                    counts=array("I", reading.terms.values()),
                    keys=_sorted_set(
                        key for lesson in postmortem.lessons for key in lesson_keys(lesson)
                    ),
                    themes=_sorted_set(t.id for t in reading.themes),
                    services=_sorted_set(
                        s.strip().casefold() for s in postmortem.services if s.strip()
                    ),
                    tags=_sorted_set(t.strip().casefold() for t in postmortem.tags if t.strip()),
                )
            )

    recurring = _recurring(said, practice_matcher.concepts)
    recurrences: dict[tuple[str, int], list[RecurringLesson]] = defaultdict(list)
    lessons_of: dict[str, set[str]] = defaultdict(set)
    for lesson in recurring:
        for occurrence in lesson.occurrences:
            recurrences[(occurrence.postmortem.source, occurrence.line)].append(lesson)
            lessons_of[occurrence.postmortem.source].add(lesson.id)
    counts = {lesson.id: lesson.count for lesson in recurring}
    profiles = [
        dataclasses.replace(profile, lessons=_sorted_set(lessons_of[p.source]))
        if p.source in lessons_of
        else profile
        for profile, p in zip(profiles, postmortems, strict=True)
    ]
    by_id = {lesson.id: lesson for lesson in recurring}
    titles = {theme.id: theme.title for theme in themes}
    related = {
        postmortems[number].source: tuple(
            _related(postmortems, match, by_id, titles, surfaces) for match in matches
        )
        for number, matches in enumerate(relate(profiles, list(vocabulary), counts))
    }
    return Links(
        recurring=recurring,
        themes=theme_matcher.concepts,
        _themes=MappingProxyType(theme_index),
        _related=MappingProxyType(related),
        _recurrences=MappingProxyType({k: tuple(v) for k, v in recurrences.items()}),
    )


@functools.lru_cache(maxsize=1 << 16)
def lesson_keys(lesson: Lesson) -> tuple[str, ...]:
    """Return the keys that group a lesson with the same lesson in other incidents.

    Its explicit ``lessons:`` keys, else its normalised title (the catalog's lesson groups).
    Remembered: the catalog's lesson groups and the links ask for the same lessons' keys.
    """
    keys = [normalize_title(tag) for tag in lesson.tags]
    keys = [key for key in keys if key]
    if not keys:
        title = normalize_title(lesson.title)
        keys = [title] if title else []
    return tuple(dict.fromkeys(keys))


def _sorted_set(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))


def _oldest_first(postmortem: Postmortem) -> tuple[bool, int, str, str]:
    ordinal = postmortem.date.toordinal() if postmortem.date else dt.date.max.toordinal()
    return (postmortem.date is None, ordinal, postmortem.id, postmortem.source)


def _recurring(
    said: Mapping[str, list[Occurrence]], practices: tuple[Concept, ...]
) -> tuple[RecurringLesson, ...]:
    found = []
    for practice in practices:
        occurrences = said.get(practice.id, [])
        incidents = {o.postmortem.source: o.postmortem for o in occurrences}
        if len(incidents) < 2:
            continue
        ordered = sorted(occurrences, key=lambda o: (*_oldest_first(o.postmortem), o.line))
        found.append(
            RecurringLesson(
                id=practice.id,
                title=practice.title,
                anchor=f"recurring-{practice.id}",
                occurrences=tuple(ordered),
                incidents=tuple(sorted(incidents.values(), key=_oldest_first)),
            )
        )
    found.sort(key=lambda lesson: (-lesson.count, lesson.title))
    return tuple(found)


def _related(
    postmortems: Sequence[Postmortem],
    match: Match,
    recurring: Mapping[str, RecurringLesson],
    themes: Mapping[str, str],
    surfaces: Mapping[str, str],
) -> Related:
    # The same reasons recur across many pairs (a theme, a lesson, a service): one copy each.
    reasons = [sys.intern(f"lesson key: {key}") for key in match.keys]
    reasons += [
        sys.intern(f"recurring lesson: {recurring[lesson].title}") for lesson in match.lessons
    ]
    reasons += [sys.intern(f"theme: {themes.get(theme, theme)}") for theme in match.themes]
    if match.services:
        reasons.append(sys.intern("services: " + ", ".join(match.services)))
    if match.tags:
        reasons.append(sys.intern("tags: " + ", ".join(match.tags)))
    if match.terms:
        reasons.append("terms: " + ", ".join(surfaces.get(t, t) for t in match.terms))
    return Related(
        postmortem=postmortems[match.other],
        score=match.score,
        reasons=tuple(reasons),
        lessons=tuple(recurring[lesson] for lesson in match.lessons),
    )
