"""Related incidents from what they say: weighted terms, shared lessons, themes and metadata.

Each incident is a sparse vector of its terms (title, summary, impact, root causes, contributing
factors, mistakes, lessons, action items), weighted by TF-IDF (sub-linear term frequency, inverse
document frequency) and normalised. Only its :data:`TOP_TERMS` heaviest terms are kept, and a
term found in more than :func:`posting_cap` incidents is no evidence of anything (every
postmortem says *outage*), so candidate pairs come from short posting lists only, each cut to
the :data:`POSTING_DEPTH` incidents the term weighs most in, and the pass grows with the number
of incidents, never with its square.

A pair's score adds to the cosine of their vectors what they share that a reader can check:

* the same recurring lesson (:data:`WEIGHTS` ``lesson``), or the author's own ``lessons:`` key
  (``key``, the strongest: the author said so);
* a failure theme, weighted by how rare the theme is;
* services (``service``) and tags (``tag``), one that many incidents share counting less.

A pair scoring under :data:`MIN_SCORE` is not related: an incident with nothing close gets no
links rather than weak ones.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

TOP_TERMS = 40
"""How many of an incident's heaviest terms take part in finding its relatives."""

MIN_SCORE = 0.15
"""The least score of a relation worth showing."""

CANDIDATES = 8
"""How many incidents of closest first score are scored in full for each incident."""

METADATA_CAP = 50
"""A service, tag or lesson key shared by more incidents than this (or than the term posting
cap, if higher) finds no candidates; it still counts in the full score of those found."""

POSTING_DEPTH = 24
"""How many incidents of a term's posting list (those it weighs most in) find candidates: the
cost of finding an incident's candidates is then bounded whatever the size of the knowledge
base (the full score of a candidate still counts every term shared)."""

MAX_RELATED = 5
"""How many related incidents each incident lists at most."""

WEIGHTS = MappingProxyType(
    {"key": 0.6, "lesson": 0.06, "theme": 0.1, "service": 0.25, "tag": 0.15, "terms": 1.0}
)
"""What each kind of shared evidence adds to a pair's score."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """What one incident brings to the comparison."""

    terms: tuple[str, ...]
    """The distinct terms of its text (kept as tuples, not a dict: a third of the memory)."""
    counts: tuple[int, ...]
    """How many times its text says each of them."""
    keys: frozenset[str]
    """Its lessons' explicit keys."""
    lessons: frozenset[str]
    """Ids of the recurring lessons it takes part in."""
    lesson_counts: Mapping[str, int]
    """In how many incidents each of those lessons recurs."""
    themes: frozenset[str]
    """Ids of its failure themes."""
    services: frozenset[str]
    """Its services, case-folded."""
    tags: frozenset[str]
    """Its tags, case-folded."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Match:
    """A scored relation between two incidents, by their numbers."""

    other: int
    """The related incident's number."""
    score: float
    """How strongly they are related."""
    terms: tuple[str, ...]
    """The distinctive terms they share, heaviest first."""
    keys: tuple[str, ...]
    """Explicit lesson keys both use."""
    lessons: tuple[str, ...]
    """Recurring lesson ids both take part in."""
    themes: tuple[str, ...]
    """Theme ids both have."""
    services: tuple[str, ...]
    """Services both affected (case-folded)."""
    tags: tuple[str, ...]
    """Tags both carry (case-folded)."""


def posting_cap(count: int) -> int:
    """Return how many incidents a term may appear in and still link two of them."""
    return max(4, min(count // 3, 60))


def relate(profiles: Sequence[Profile]) -> list[tuple[Match, ...]]:
    """Return each incident's most related incidents, best first (ties by number)."""
    count = len(profiles)
    cap = posting_cap(count)
    document_frequency: Counter[str] = Counter()
    for profile in profiles:
        document_frequency.update(profile.terms)
    # A term of one incident links nothing: only those of several get a weight.
    idf = {term: math.log((count + 1) / n) for term, n in document_frequency.items() if n > 1}
    vectors = [_vector(p.terms, p.counts, idf) for p in profiles]
    # Every term of every incident is counted there: let them go before the pairs are scored.
    del idf, document_frequency

    postings: dict[str, list[int]] = defaultdict(list)
    for number, vector in enumerate(vectors):
        for term in vector:
            postings[term].append(number)
    # Each short posting list with the weights it adds, looked up once per term, not per pair;
    # a longer one keeps the incidents the term weighs most in (the others add little).
    weighted = {
        term: _heaviest([(other, vectors[other][term]) for other in numbers])
        for term, numbers in postings.items()
        if len(numbers) <= cap
    }
    for number, profile in enumerate(profiles):
        for kind, values in (
            ("key", profile.keys),
            ("service", profile.services),
            ("tag", profile.tags),
        ):
            for value in sorted(values):
                postings[f"\0{kind}\0{value}"].append(number)
    frequency = {name: len(numbers) for name, numbers in postings.items()}

    theme_frequency: Counter[str] = Counter()
    for profile in profiles:
        theme_frequency.update(profile.themes)

    meta_cap = max(cap, METADATA_CAP)
    related: list[tuple[Match, ...]] = []
    for number, profile in enumerate(profiles):
        # A first score, accumulated over short posting lists only: the cosine of the heaviest
        # terms and what metadata the incidents share; the full score (themes, lessons, reasons)
        # is worked out for the few best candidates.
        first: dict[int, float] = defaultdict(float)
        for term, weight in vectors[number].items():
            for other, theirs in weighted.get(term, ()):
                first[other] += weight * theirs
        for kind, values in (
            ("key", profile.keys),
            ("service", profile.services),
            ("tag", profile.tags),
        ):
            for value in values:
                numbers = postings[f"\0{kind}\0{value}"]
                if len(numbers) <= meta_cap:
                    bonus = WEIGHTS[kind] * _rarity(len(numbers), count)
                    for other in numbers:
                        first[other] += bonus
        first.pop(number, None)
        # Closest first, ties to the lower number (plain tuples: no key function per item).
        best = heapq.nlargest(CANDIDATES, [(score, -other) for other, score in first.items()])
        matches = [
            _score(number, -other, profiles, vectors, frequency, theme_frequency, count, cap)
            for other in sorted((o for _, o in best), reverse=True)
        ]
        kept = [m for m in matches if m.score >= MIN_SCORE]
        related.append(tuple(heapq.nsmallest(MAX_RELATED, kept, key=lambda m: (-m.score, m.other))))
    return related


def _vector(
    terms: tuple[str, ...], counts: tuple[int, ...], idf: Mapping[str, float]
) -> dict[str, float]:
    weights = [
        ((1 + math.log(n)) * idf[term], term)
        for term, n in zip(terms, counts, strict=True)
        if term in idf
    ]
    norm = math.sqrt(sum(w * w for w, _ in weights)) or 1.0
    # Heaviest first, ties alphabetical: plain tuples sort in C, no key function per term.
    top = heapq.nsmallest(TOP_TERMS, [(-w, term) for w, term in weights])
    return {term: -weight / norm for weight, term in top}


def _score(  # noqa: PLR0917
    number: int,
    other: int,
    profiles: Sequence[Profile],
    vectors: Sequence[dict[str, float]],
    frequency: dict[str, int],
    theme_frequency: Counter[str],
    count: int,
    cap: int,
) -> Match:
    mine, theirs = profiles[number], profiles[other]
    a, b = vectors[number], vectors[other]
    # Heaviest first, ties alphabetical (negated products: plain tuples sort in C).
    shared = sorted([(-a[t] * b[t], t) for t in a.keys() & b.keys() if frequency[t] <= cap])
    cosine = -sum(product for product, _ in shared)
    keys = _common(mine.keys, theirs.keys)
    lessons = _common(mine.lessons, theirs.lessons)
    themes = _common(mine.themes, theirs.themes)
    services = _common(mine.services, theirs.services)
    tags = _common(mine.tags, theirs.tags)
    # A theme or tag that half the knowledge base carries says little about two incidents.
    theme_score = sum(_rarity(theme_frequency[t], count) for t in themes)
    lesson_score = sum(
        sorted((_rarity(mine.lesson_counts[t], count) for t in lessons), reverse=True)[:3]
    )
    tag_score = sum(_rarity(frequency[f"\0tag\0{t}"], count) for t in tags)
    service_score = sum(
        sorted((_rarity(frequency[f"\0service\0{s}"], count) for s in services), reverse=True)[:2]
    )
    score = (
        WEIGHTS["terms"] * cosine
        + WEIGHTS["key"] * len(keys)
        + WEIGHTS["lesson"] * lesson_score
        + WEIGHTS["theme"] * theme_score
        + WEIGHTS["service"] * service_score
        + WEIGHTS["tag"] * tag_score
    )
    return Match(
        other=other,
        score=round(score, 4),
        terms=tuple(t for _, t in shared[:4]),
        keys=keys,
        lessons=lessons,
        themes=themes,
        services=services,
        tags=tags,
    )


def _heaviest(posting: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Return a posting list cut to the :data:`POSTING_DEPTH` incidents it weighs most in."""
    if len(posting) <= POSTING_DEPTH:
        return posting
    return sorted(posting, key=lambda item: (-item[1], item[0]))[:POSTING_DEPTH]


def _common(mine: frozenset[str], theirs: frozenset[str]) -> tuple[str, ...]:
    """Return what two sets share, sorted (most share nothing: no sort then)."""
    return tuple(sorted(mine & theirs)) if mine and theirs else ()


def _rarity(frequency: int, count: int) -> float:
    """Return 1 for something two incidents share alone, falling to 0 as all carry it."""
    if count <= 2 or frequency <= 1:
        return 1.0
    return max(0.0, math.log(count / frequency) / math.log(count / 2))
