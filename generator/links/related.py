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

Terms are numbers here (their index in the pass's vocabulary), vectors and posting lists are
arrays of numbers: at 10,000 incidents they take a few megabytes, not a hundred, and no Python
object is made per pair of incidents but for the few best candidates of each.
"""

from __future__ import annotations

import heapq
import math
import operator
from array import array
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from types import MappingProxyType
from typing import TypeAlias

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

    terms: array[int]
    """The distinct terms of its text, as numbers in the pass's vocabulary (``names``)."""
    counts: array[int]
    """How many times its text says each of them."""
    keys: tuple[str, ...] = ()
    """Its lessons' explicit keys, sorted."""
    lessons: tuple[str, ...] = ()
    """Ids of the recurring lessons it takes part in, sorted."""
    themes: tuple[str, ...] = ()
    """Ids of its failure themes, sorted."""
    services: tuple[str, ...] = ()
    """Its services, case-folded, sorted."""
    tags: tuple[str, ...] = ()
    """Its tags, case-folded, sorted."""


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Postings:
    """Each short posting list, cut to the incidents its term weighs most in, in two arrays."""

    starts: Mapping[int, tuple[int, int]]
    """Per term that finds candidates, where its list is in the arrays (start, end)."""
    incidents: array[int]
    """The incidents of every list, one list after the other."""
    weights: array[float]
    """The term's weight in each of those incidents."""


def posting_cap(count: int) -> int:
    """Return how many incidents a term may appear in and still link two of them."""
    return max(4, min(count // 3, 60))


def relate(
    profiles: Sequence[Profile], names: Sequence[str], lesson_counts: Mapping[str, int]
) -> list[tuple[Match, ...]]:
    """Return each incident's most related incidents, best first (ties by number).

    ``names`` are the terms by number; ``lesson_counts`` how many incidents each recurring
    lesson is in.
    """
    count = len(profiles)
    cap = posting_cap(count)
    vectors = _vectors(profiles, names)
    frequency: Counter[int] = Counter()
    for terms, _ in vectors:
        frequency.update(terms)
    postings = _postings(vectors, {t for t, n in frequency.items() if n <= cap})
    meta = _metadata(profiles)
    rarity = _Rarity(count, frequency, meta, profiles, lesson_counts)
    meta_cap = max(cap, METADATA_CAP)
    bonus = {
        name: WEIGHTS[name[0]] * _rarity(len(numbers), count)
        for name, numbers in meta.items()
        if len(numbers) <= meta_cap
    }
    related: list[tuple[Match, ...]] = []
    for number, profile in enumerate(profiles):
        terms, weights = vectors[number]
        mine = dict(zip(terms, weights, strict=True))
        # The terms that may count in a pair's cosine: those of short posting lists.
        countable = set(compress(terms, map(cap.__ge__, map(frequency.__getitem__, terms))))
        first = _first_scores(number, vectors[number], postings, meta, bonus, profile)
        # Closest first, ties to the lower number (plain tuples: no key function per item).
        best = heapq.nlargest(CANDIDATES, [(score, -other) for other, score in first.items()])
        scored = [
            (
                _score(mine, countable, profile, profiles[-other], vectors[-other], rarity, names),
                -other,
            )
            for other in sorted((o for _, o in best), reverse=True)
        ]
        # Only the kept few become objects; ties to the lower number.
        kept = heapq.nsmallest(
            MAX_RELATED, [(-e[0], other, e) for e, other in scored if e[0] >= MIN_SCORE]
        )
        related.append(tuple(_match(other, evidence) for _, other, evidence in kept))
    return related


Vector: TypeAlias = "tuple[array[int], array[float]]"
"""An incident's heaviest terms (numbers) and their weights, heaviest first."""


def _vectors(profiles: Sequence[Profile], names: Sequence[str]) -> list[Vector]:
    """Return each incident's normalised TF-IDF vector, cut to its :data:`TOP_TERMS`.

    ``map`` and ``compress`` over arrays: the weights of an incident's terms are worked out in C
    loops, with the same floating-point operations in the same order as one Python loop would.
    """
    count = len(profiles)
    document_frequency: Counter[int] = Counter()
    for profile in profiles:
        document_frequency.update(profile.terms)
    # A term of one incident links nothing: only those of several get a weight (0 is none).
    idf = [0.0] * len(names)
    for term, n in document_frequency.items():
        if n > 1:
            idf[term] = math.log((count + 1) / n)
    del document_frequency
    tf = _SublinearFrequency()
    vectors = []
    for profile in profiles:
        idfs = list(map(idf.__getitem__, profile.terms))
        weighed = list(compress(profile.terms, idfs))
        weights = list(compress(map(operator.mul, map(tf.__getitem__, profile.counts), idfs), idfs))
        norm = math.sqrt(sum(map(operator.mul, weights, weights))) or 1.0
        # Heaviest first, ties alphabetical: plain tuples sort in C, no key function per term.
        top = sorted(
            zip(map(operator.neg, weights), map(names.__getitem__, weighed), weighed, strict=True)
        )
        del top[TOP_TERMS:]
        vectors.append(
            (array("I", [term for _, _, term in top]), array("d", [-w / norm for w, _, _ in top]))
        )
    return vectors


class _SublinearFrequency(dict[int, float]):
    """``1 + log(n)`` for each count ``n``, worked out once per distinct count."""

    def __missing__(self, count: int) -> float:
        self[count] = weight = 1 + math.log(count)
        return weight


def _postings(vectors: Sequence[Vector], short: set[int]) -> Postings:
    """Return the posting lists of the terms in ``short``, each cut to :data:`POSTING_DEPTH`."""
    lists: dict[int, tuple[array[int], array[float]]] = {}
    for number, (terms, weights) in enumerate(vectors):
        for term, weight in zip(terms, weights, strict=True):
            if term in short:
                found = lists.get(term)
                if found is None:
                    found = lists[term] = (array("I"), array("d"))
                found[0].append(number)
                found[1].append(weight)
    starts: dict[int, tuple[int, int]] = {}
    incidents: array[int] = array("I")
    weights_: array[float] = array("d")
    for term, (numbers, weights) in lists.items():
        kept_numbers, kept_weights = numbers, weights
        if len(numbers) > POSTING_DEPTH:
            # A longer list keeps the incidents the term weighs most in (the others add little).
            heaviest = sorted(zip(weights, numbers, strict=True), key=lambda i: (-i[0], i[1]))
            kept_numbers = array("I", [n for _, n in heaviest[:POSTING_DEPTH]])
            kept_weights = array("d", [w for w, _ in heaviest[:POSTING_DEPTH]])
        starts[term] = (len(incidents), len(incidents) + len(kept_numbers))
        incidents.extend(kept_numbers)
        weights_.extend(kept_weights)
    del lists
    return Postings(starts=starts, incidents=incidents, weights=weights_)


def _metadata(profiles: Sequence[Profile]) -> dict[tuple[str, str], list[int]]:
    """Return the incidents of each lesson key, service and tag."""
    meta: dict[tuple[str, str], list[int]] = defaultdict(list)
    for number, profile in enumerate(profiles):
        for kind, values in (
            ("key", profile.keys),
            ("service", profile.services),
            ("tag", profile.tags),
        ):
            for value in values:
                meta[(kind, value)].append(number)
    return meta


def _first_scores(  # noqa: PLR0917
    number: int,
    vector: Vector,
    postings: Postings,
    meta: Mapping[tuple[str, str], list[int]],
    bonus: Mapping[tuple[str, str], float],
    profile: Profile,
) -> dict[int, float]:
    """Return a first score of each candidate, over short posting lists only.

    The cosine of the heaviest terms and what metadata the incidents share; the full score
    (themes, lessons, reasons) is worked out for the few best candidates.
    """
    first: dict[int, float] = defaultdict(float)
    starts, incidents, weights = postings.starts, postings.incidents, postings.weights
    for term, weight in zip(*vector, strict=True):
        span = starts.get(term)
        if span is not None:
            start, end = span
            for other, theirs in zip(incidents[start:end], weights[start:end], strict=True):
                first[other] += weight * theirs
    for kind, values in (
        ("key", profile.keys),
        ("service", profile.services),
        ("tag", profile.tags),
    ):
        for value in values:
            added = bonus.get((kind, value))
            if added is not None:
                for other in meta[(kind, value)]:
                    first[other] += added
    first.pop(number, None)
    return first


class _Rarity:
    """How rare each theme, lesson, service and tag is (1 for two incidents alone, 0 for all)."""

    def __init__(
        self,
        count: int,
        frequency: Mapping[int, int],
        meta: Mapping[tuple[str, str], list[int]],
        profiles: Sequence[Profile],
        lesson_counts: Mapping[str, int],
    ) -> None:
        self.frequency = frequency
        self.cap = posting_cap(count)
        self.meta = {name: _rarity(len(numbers), count) for name, numbers in meta.items()}
        themes: Counter[str] = Counter()
        for profile in profiles:
            themes.update(profile.themes)
        self.themes = {theme: _rarity(n, count) for theme, n in themes.items()}
        self.lessons = {lesson: _rarity(n, count) for lesson, n in lesson_counts.items()}


Evidence: TypeAlias = tuple[
    float,
    tuple[str, ...],
    tuple[str, ...],
    tuple[str, ...],
    tuple[str, ...],
    tuple[str, ...],
    tuple[str, ...],
]
"""A pair's score and what they share: terms, keys, lessons, themes, services, tags."""


def _score(  # noqa: PLR0917
    mine: Mapping[int, float],
    countable: set[int],
    a: Profile,
    b: Profile,
    vector: Vector,
    rarity: _Rarity,
    names: Sequence[str],
) -> Evidence:
    numbers, weights = vector
    # Heaviest first, ties alphabetical (negated products: plain tuples sort in C); the few
    # shared terms are looked up in the other's array, not in a dictionary made of it.
    shared = sorted(
        [(-mine[t] * weights[numbers.index(t)], names[t]) for t in countable.intersection(numbers)]
    )
    cosine = -sum(product for product, _ in shared)
    keys = _common(a.keys, b.keys)
    lessons = _common(a.lessons, b.lessons)
    themes = _common(a.themes, b.themes)
    services = _common(a.services, b.services)
    tags = _common(a.tags, b.tags)
    # A theme or tag that half the knowledge base carries says little about two incidents.
    theme_score = sum(rarity.themes[t] for t in themes)
    lesson_score = sum(sorted((rarity.lessons[t] for t in lessons), reverse=True)[:3])
    tag_score = sum(rarity.meta[("tag", t)] for t in tags)
    service_score = sum(sorted((rarity.meta[("service", s)] for s in services), reverse=True)[:2])
    score = (
        WEIGHTS["terms"] * cosine
        + WEIGHTS["key"] * len(keys)
        + WEIGHTS["lesson"] * lesson_score
        + WEIGHTS["theme"] * theme_score
        + WEIGHTS["service"] * service_score
        + WEIGHTS["tag"] * tag_score
    )
    terms = tuple(t for _, t in shared[:4])
    return (round(score, 4), terms, keys, lessons, themes, services, tags)


def _match(other: int, evidence: Evidence) -> Match:
    score, terms, keys, lessons, themes, services, tags = evidence
    return Match(
        other=other,
        score=score,
        terms=terms,
        keys=keys,
        lessons=lessons,
        themes=themes,
        services=services,
        tags=tags,
    )


def _common(mine: tuple[str, ...], theirs: tuple[str, ...]) -> tuple[str, ...]:
    """Return what two sorted tuples share, sorted (in ``mine``'s order, which is sorted)."""
    if not mine or not theirs:
        return ()
    if len(theirs) > 8:  # a long list is looked up as a set: never a pass per item
        return tuple(filter(frozenset(theirs).__contains__, mine))
    return tuple(filter(theirs.__contains__, mine))


def _rarity(frequency: int, count: int) -> float:
    """Return 1 for something two incidents share alone, falling to 0 as all carry it."""
    if count <= 2 or frequency <= 1:
        return 1.0
    return max(0.0, math.log(count / frequency) / math.log(count / 2))
