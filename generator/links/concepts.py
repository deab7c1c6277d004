"""Concepts found in a text by the words that say them: the engine behind themes and practices.

A :class:`Concept` is a named idea (a failure theme such as *configuration change*, or a practice
such as *alert before a finite resource runs out*) with groups of cue terms. A text says the
concept when every group has a cue in it: one group is enough for a theme, a practice usually
needs two (*what to do* and *about what*), which is what tells "alert on disk space" apart from
"alert on failed jobs" whatever the wording.

A cue is an English phrase, matched on stems (``"run out"`` matches *ran out*, *running out*), or
Japanese text, matched as written. Cues are general words written for pmkb, never copied from a
postmortem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.links.elements import Words
from generator.links.tokens import stems

MAX_PHRASE = 4
"""Longest cue phrase, in words."""

_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


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
    Japanese in them).
    """

    def __init__(self, concepts: tuple[Concept, ...]) -> None:
        self.concepts = tuple(c for c in concepts if c.groups and all(c.groups))
        self._phrases: dict[str, list[tuple[tuple[str, ...], int, int, str]]] = {}
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
                    entry = (number, group_number, term)
                    if cue.japanese:
                        self._japanese.append((cue.key, *entry))
                    else:
                        words = tuple(cue.key.split(" "))
                        self._phrases.setdefault(words[0], []).append((words, *entry))

    def _cue_positions(self, stems: tuple[str, ...]) -> list[int]:
        """Return where a cue may start (one comprehension: most words start none)."""
        phrases = self._phrases
        return [position for position, first in enumerate(stems) if first in phrases]

    def match(self, words: Words) -> dict[int, tuple[str, ...]]:
        """Return, per concept said by the text, the words that said it (one per group).

        The words are shown as the text wrote them (``deployments``), not as the cue is
        written in the vocabulary (``deploy``).
        """
        hits: dict[tuple[int, int], str] = {}
        stems = words.stems
        phrases = self._phrases
        for position in self._cue_positions(stems):
            for phrase, number, group, _term in phrases[stems[position]]:
                if (number, group) in hits:
                    continue
                if len(phrase) == 1 or stems[position : position + len(phrase)] == phrase:
                    hits[(number, group)] = " ".join(words.words[position : position + len(phrase)])
        if self._japanese and _CJK_CHAR.search(words.text):
            for key, number, group, term in self._japanese:
                if (number, group) not in hits and key in words.text:
                    hits[(number, group)] = term
        said: dict[int, tuple[str, ...]] = {}
        for number, concept in enumerate(self.concepts):
            if (number, 0) not in hits:
                continue
            found = [hits.get((number, g)) for g in range(len(concept.groups))]
            if all(found):
                said[number] = tuple(dict.fromkeys(t for t in found if t))
        return said

    def all_terms(self, words: Words) -> dict[int, tuple[str, ...]]:
        """Return, per one-group concept, every distinct cue term the text says."""
        hits: dict[int, dict[str, None]] = {}
        stems = words.stems
        phrases = self._phrases
        for position in self._cue_positions(stems):
            for phrase, number, _, _term in phrases[stems[position]]:
                if len(phrase) == 1 or stems[position : position + len(phrase)] == phrase:
                    written = " ".join(words.words[position : position + len(phrase)])
                    hits.setdefault(number, {})[written] = None
        if self._japanese and _CJK_CHAR.search(words.text):
            for key, number, _, term in self._japanese:
                if key in words.text:
                    hits.setdefault(number, {})[term] = None
        return {number: tuple(terms) for number, terms in hits.items()}
