"""One postmortem read for linking: its failure themes, the practices it says, its terms.

Reading is most of the work of linking, and each postmortem is read on its own, so
:func:`generator.links.link_postmortems` reads them on every core; only what joins them (recurring
lessons, related incidents) is done in one place. A :class:`Reading` is what one postmortem gives
that step: small, plain values (it comes back from a worker process).

The words of each text are read by a :class:`~generator.links.elements.WordReader`, one per
process, which remembers each term's first written form (``alerting`` for ``alert``, shown in the
reasons of related incidents). A reading carries the forms its reader met first in it; taking
them in catalog order, each term keeps the form of its first use in the catalog, as one reader
going through all of them would.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain, islice, repeat

from generator.links.concepts import ConceptMatcher, cue_positions
from generator.links.elements import Element, WordReader, read_elements
from generator.models import LessonKind, Postmortem, SectionKind

THEME_THRESHOLD = 2
"""Evidence an incident needs for a theme: a trigger where it tells what failed counts 2,
one elsewhere (a lesson, an action item) counts 1."""

TITLE_WEIGHT = 3
"""How many times a word of an incident's title counts among its terms."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ThemeMatch:
    """A failure theme of an incident and the words that showed it."""

    id: str
    """The theme's id."""
    title: str
    """The theme's title."""
    triggers: tuple[str, ...]
    """The vocabulary terms the incident's text uses."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Said:
    """An element of the postmortem that says a practice (a lesson that may recur)."""

    practice: str
    """The practice's id."""
    kind: str
    """The element's kind (``lesson``, ``mistake`` ...)."""
    line: int
    """Source line of the element."""
    text: str
    """The element's text, as Markdown."""
    triggers: tuple[str, ...]
    """The words that tied it to the practice."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Reading:
    """What one postmortem gives the links."""

    themes: tuple[ThemeMatch, ...]
    """Its failure themes, in vocabulary order."""
    said: tuple[Said, ...]
    """Its elements that say a practice, in source order (without explicit lesson keys)."""
    terms: dict[str, int]
    """Its weighted terms and how often each counts, in the order first said."""
    surfaces: tuple[tuple[str, str], ...]
    """The terms whose written form its reader met first here, with that form."""


class LinkReader:
    """Reads postmortems for linking, with one theme and one practice vocabulary."""

    def __init__(self, themes: ConceptMatcher, practices: ConceptMatcher) -> None:
        self.themes = themes
        self.practices = practices
        self.words = WordReader()
        # An element is searched for the cues of both vocabularies in one pass over its words.
        self._either = themes.starts.keys() | practices.starts.keys()

    def read(self, postmortem: Postmortem) -> Reading:
        """Read one postmortem (each text once; its words are dropped once counted)."""
        known = len(self.words.surfaces)
        mine = read_elements(postmortem, self.words)
        head = self.words.read(
            "\n".join((postmortem.title, postmortem.summary, postmortem.impact.text))
        )
        prose = self.words.read(_prose(postmortem))
        element_themes = []
        said: list[Said] = []
        for element in mine:
            positions = cue_positions(element.words.stems, self._either)
            element_themes.append(self.themes.every_hit(element.words, positions))
            if element.explicit:
                continue
            hits = self.practices.first_hits(element.words, positions)
            for number, triggers in self.practices.said(hits).items():
                said.append(
                    Said(
                        practice=self.practices.concepts[number].id,
                        kind=element.kind,
                        line=element.line,
                        text=element.text,
                        triggers=triggers,
                    )
                )
        themes = _find_themes(
            postmortem,
            mine,
            element_themes,
            self.themes.all_terms(head),
            self.themes.all_terms(prose),
            self.themes,
        )
        # The title names the system and the failure: its words count more than the body's.
        # Prose that no element captured (a postmortem written as paragraphs) says things too.
        # One count over all of them, in C, in the order they were first said.
        title = self.words.read(postmortem.title).terms
        terms = Counter(
            chain(
                head.terms,
                *repeat(title, TITLE_WEIGHT - 1),
                *(element.words.terms for element in mine),
                prose.terms,
            )
        )
        # The forms met here are the last ones the reader noted: taken from the end (each term
        # once, so their order is no matter), not by walking all it knows.
        new = len(self.words.surfaces) - known
        surfaces = tuple(islice(reversed(self.words.surfaces.items()), new))
        return Reading(themes=themes, said=tuple(said), terms=dict(terms), surfaces=surfaces)


_NO_PROSE = frozenset({SectionKind.TIMELINE, SectionKind.PEOPLE, SectionKind.APPENDIX})


def _prose(postmortem: Postmortem) -> str:
    """Return the residual prose of a postmortem's sections, timeline and people aside."""
    return "\n".join(
        passage.markdown
        for section in postmortem.sections
        if section.kind not in _NO_PROSE
        for passage in section.residual
    )


def _find_themes(  # noqa: PLR0917
    postmortem: Postmortem,
    elements: tuple[Element, ...],
    element_terms: list[dict[int, dict[str, None]]],
    head: dict[int, dict[str, None]],
    prose: dict[int, dict[str, None]],
    matcher: ConceptMatcher,
) -> tuple[ThemeMatch, ...]:
    """Return an incident's themes: where it tells what failed, one trigger is enough."""
    telling = {"mistake", "root_cause", "contributing_factor"}
    wrong_lines = {
        lesson.line for lesson in postmortem.lessons if lesson.kind is LessonKind.WENT_WRONG
    }
    evidence: dict[int, dict[str, int]] = defaultdict(dict)
    texts = [(head, 2), (prose, 1)] + [
        (terms, 2 if e.kind in telling or e.line in wrong_lines else 1)
        for e, terms in zip(elements, element_terms, strict=True)
    ]
    for found_in, weight in texts:
        for number, terms in found_in.items():
            found = evidence[number]
            for term in terms:
                found[term] = max(found.get(term, 0), weight)
    matches = []
    for number, concept in enumerate(matcher.concepts):
        found = evidence.get(number, {})
        if sum(found.values()) >= THEME_THRESHOLD:
            ordered = sorted(found, key=lambda t: (-found[t], t))
            matches.append(ThemeMatch(id=concept.id, title=concept.title, triggers=tuple(ordered)))
    return tuple(matches)
