"""Concepts found in a text by the words that say them: the engine behind themes and practices.

A :class:`Concept` is a named idea (a failure theme such as *configuration change*, or a practice
such as *alert before a finite resource runs out*) with groups of cue terms. A text says the
concept when every group has a cue in it: one group is enough for a theme, a practice usually
needs two (*what to do* and *about what*), which is what tells "alert on disk space" apart from
"alert on failed jobs" whatever the wording.

A cue is an English phrase, matched on stems (``"run out"`` matches *ran out*, *running out*), or
Japanese text, matched as written. Cues are general words written for pmkb, never copied from a
postmortem.

A matcher can skip what a text denies: postmortems say what did *not* happen as often as what
did (*No data was lost*, *nothing was corrupted*, ``データ損失: なし``), and a theme is a class
of what went wrong. With ``skip_denied``, a cue one or two words after *no*, *not*, *without*,
*never*, *nothing* (or *n't*) does not count, nor Japanese text followed by なし, ない,
ありません or なかった; a cue that says the negation itself (*no alert*) still counts.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from types import MappingProxyType

from generator.links.elements import Words
from generator.links.tokens import stems

MAX_PHRASE = 4
"""Longest cue phrase, in words."""

_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")

_DENIALS = frozenset({*stems("no not without never nor none nothing zero"), "t"})
"""Stems of the words that deny what follows (``t``: the end of *wasn't*, split as a word)."""

_DENIED_AFTER = re.compile(
    r"[\s:：、はがもの]*(?:なし|無し|ない|無い|ありません|なかった|発生して(?:い|お)りません)"
)
"""Japanese denial after a cue (``データ損失はありません``, ``データ損失: なし``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Concept:
    """A named idea and the cue terms that say it."""

    id: str
    """Stable identifier (``config-change``), used in anchors and exports."""
    title: str
    """What readers see (``Configuration change``)."""
    groups: tuple[tuple[str, ...], ...]
    """Cue terms; a text says the concept when each group has one of its terms in it."""


@dataclass(frozen=True, slots=True)
class CompiledCue:
    """A cue term as it is looked up."""

    term: str
    """The term as written in the vocabulary (shown as a trigger)."""
    key: str
    """Stems joined by spaces, or the lower-cased Japanese text."""
    japanese: bool
    """Whether the cue is matched as text rather than by stems."""


def split_terms(terms: str) -> tuple[str, ...]:
    """Return the terms of a vocabulary string written as ``"disk full | out of space"``."""
    return tuple(term.strip() for term in terms.split("|") if term.strip())


def compile_cue(term: str) -> CompiledCue | None:
    """Return a term ready for look-ups (None when it has no word to match)."""
    if _CJK_CHAR.search(term):
        return CompiledCue(term, term.lower(), True)
    words = stems(term)
    if not words or len(words) > MAX_PHRASE:
        return None
    return CompiledCue(term, " ".join(words), False)


class ConceptMatcher:
    """Finds which concepts a text says, looking each of its words up once.

    Cues are indexed by their first stem, so matching a text costs one dictionary look-up per
    word whatever the size of the vocabulary (Japanese cues are searched in texts that have
    Japanese in them). Longer cues are indexed further by their second stem: a word that starts
    many phrases but rarely with the right next word (*the*, *no*) costs one more look-up.
    """

    def __init__(self, concepts: tuple[Concept, ...], *, skip_denied: bool = False) -> None:
        self.concepts = tuple(c for c in concepts if c.groups and all(c.groups))
        self._skip_denied = skip_denied
        entries: dict[str, list[tuple[tuple[str, ...], int, int]]] = {}
        self._japanese: list[tuple[str, int, int, str]] = []
        for number, concept in enumerate(self.concepts):
            for group_number, group in enumerate(concept.groups):
                seen: set[str] = set()
                for term in group:
                    cue = compile_cue(term)
                    # Two spellings with one stem ("deploy", "deploys") are one cue, shown once.
                    if cue is None or cue.key in seen:
                        continue
                    seen.add(cue.key)
                    if cue.japanese:
                        self._japanese.append((cue.key, number, group_number, term))
                    else:
                        words = tuple(cue.key.split(" "))
                        entries.setdefault(words[0], []).append((words, number, group_number))
        self.starts: dict[str, Start] = {first: _start(found) for first, found in entries.items()}
        """Per stem that starts a cue, the cues it starts."""

    def match(self, words: Words) -> dict[int, tuple[str, ...]]:
        """Return, per concept said by the text, the words that said it (one per group).

        The words are shown as the text wrote them (``deployments``), not as the cue is
        written in the vocabulary (``deploy``).
        """
        return self.said(self.first_hits(words, cue_positions(words.stems, self.starts)))

    def all_terms(self, words: Words) -> dict[int, dict[str, None]]:
        """Return, per concept said by the text in any group, every distinct cue term it says."""
        return self.every_hit(words, cue_positions(words.stems, self.starts))

    def first_hits(self, words: Words, positions: Iterable[int]) -> dict[tuple[int, int], str]:
        """Return the first words saying each (concept, group), from where cues may start.

        At one place, the cue listed first in the vocabulary wins (``disk`` before
        ``disk space`` when the vocabulary lists it so), as in the vocabulary's own order.
        """
        hits: dict[tuple[int, int], str] = {}
        stems, written = words.stems, words.words
        for position, start in self._cue_starts(stems, positions):
            longer = _longer(start, stems, position)
            if longer:
                ranked = sorted([(o, k, 1) for o, k in start.single] + longer)
                for _order, key, length in ranked:
                    if key not in hits:
                        hits[key] = " ".join(written[position : position + length])
            else:
                for _order, key in start.single:
                    if key not in hits:
                        hits[key] = written[position]
        if self._japanese and not words.text.isascii() and _CJK_CHAR.search(words.text):
            for cue, number, group, term in self._japanese:
                if (number, group) not in hits and self._says(words.text, cue):
                    hits[(number, group)] = term
        return hits

    def said(self, hits: Mapping[tuple[int, int], str]) -> dict[int, tuple[str, ...]]:
        """Return the concepts every group of which has a hit, with the words that said them."""
        said: dict[int, tuple[str, ...]] = {}
        if not hits:
            return said
        for number in sorted({number for number, group in hits if group == 0}):
            groups = self.concepts[number].groups
            found = [hits.get((number, g)) for g in range(len(groups))]
            if all(found):
                said[number] = tuple(dict.fromkeys(t for t in found if t))
        return said

    def every_hit(self, words: Words, positions: Iterable[int]) -> dict[int, dict[str, None]]:
        """Return, per concept, every distinct cue term the text says, from where cues start."""
        hits: dict[int, dict[str, None]] = {}
        stems, written = words.stems, words.words
        for position, start in self._cue_starts(stems, positions):
            for _order, (number, _group) in start.single:
                hits.setdefault(number, {})[written[position]] = None
            for _order, (number, _group), length in _longer(start, stems, position):
                joined = " ".join(written[position : position + length])
                hits.setdefault(number, {})[joined] = None
        if self._japanese and not words.text.isascii() and _CJK_CHAR.search(words.text):
            for cue, number, _group, term in self._japanese:
                if self._says(words.text, cue):
                    hits.setdefault(number, {})[term] = None
        return hits

    def _cue_starts(
        self, stems: Sequence[str], positions: Iterable[int]
    ) -> Iterator[tuple[int, Start]]:
        """Yield the places where cues start, with those cues; skip what a denial covers."""
        denied: frozenset[int] = frozenset()
        if self._skip_denied:  # the places one or two words after a denial
            after = cue_positions(stems, _DENIALS)
            denied = frozenset(place for found in after for place in (found + 1, found + 2))
        starts = self.starts
        for position in positions:
            start = starts.get(stems[position])
            if start is not None and position not in denied:
                yield position, start

    def _says(self, text: str, cue: str) -> bool:
        """Whether a Japanese cue is in the text (and, skipping denials, once not denied)."""
        if not self._skip_denied:
            return cue in text
        start = text.find(cue)
        while start >= 0:
            if not _DENIED_AFTER.match(text, start + len(cue)):
                return True
            start = text.find(cue, start + 1)
        return False


@dataclass(frozen=True, slots=True)
class Start:
    """The cues that start with one stem."""

    single: tuple[tuple[int, tuple[int, int]], ...]
    """The one-word cues: (their rank among the cues of this stem, (concept, group))."""
    longer: Mapping[
        str, tuple[tuple[tuple[str, ...], tuple[tuple[int, tuple[int, int]], ...]], ...]
    ]
    """The longer cues by their second stem: each phrase with its (rank, (concept, group))."""


def _start(entries: list[tuple[tuple[str, ...], int, int]]) -> Start:
    single = tuple((order, (n, g)) for order, (p, n, g) in enumerate(entries) if len(p) == 1)
    phrases: dict[tuple[str, ...], list[tuple[int, tuple[int, int]]]] = {}
    for order, (phrase, number, group) in enumerate(entries):
        if len(phrase) > 1:
            phrases.setdefault(phrase, []).append((order, (number, group)))
    longer: dict[str, list[tuple[tuple[str, ...], tuple[tuple[int, tuple[int, int]], ...]]]] = {}
    for phrase, found in phrases.items():
        longer.setdefault(phrase[1], []).append((phrase, tuple(found)))
    return Start(single, MappingProxyType({k: tuple(v) for k, v in longer.items()}))


def _longer(
    start: Start, stems: Sequence[str], position: int
) -> list[tuple[int, tuple[int, int], int]]:
    """Return the longer cues found at a place: (rank, (concept, group), length in words)."""
    if not start.longer or position + 1 >= len(stems):
        return []
    phrases = start.longer.get(stems[position + 1])
    if not phrases:
        return []
    return [
        (order, key, len(phrase))
        for phrase, found in phrases
        if stems[position : position + len(phrase)] == phrase
        for order, key in found
    ]


def cue_positions(stems: Sequence[str], firsts: Container[str]) -> list[int]:
    """Return where a cue may start: the places of the words in ``firsts`` (most are not).

    ``compress`` over a ``map``: the test of each word runs in C, not in a Python loop.
    """
    return list(compress(range(len(stems)), map(firsts.__contains__, stems)))
