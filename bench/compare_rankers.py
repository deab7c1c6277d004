"""Compare related-incident rankers on the labelled dev set: pmkb's own against libraries.

Run by hand (never by the tests)::

    python bench/compare_rankers.py [../shared/corpus]

Each ranker lists the 5 incidents closest to each incident of the corpus; the lists replace the
``related`` of pmkb's export and are scored by ``score_links.py`` (``strong_pairs``: labelled
strong pairs in each other's top 5; ``top3_precision``: top-3 links that the labels tie). The
recurring-lesson scores do not depend on the ranker and are not shown.

Rankers (a library that is not installed is skipped, with the reason):

- ``pmkb``: :mod:`generator.links.related` (TF-IDF of stems and Japanese bigrams, cut to the
  heaviest terms, plus shared recurring lessons, themes, services, tags and lesson keys);
- ``sklearn-tfidf``: scikit-learn's ``TfidfVectorizer`` (its own word tokens, English stop
  words, sub-linear term frequency) and cosine ``NearestNeighbors``;
- ``sklearn-tfidf+pmkb-tokens``: the same with pmkb's tokenizer (stems, Japanese bigrams), to
  tell the library's part from the tokenizer's;
- ``bm25s``: bm25s (BM25 over its own tokens with English stop words), each incident's text as
  the query.

Every ranker reads the same text of an incident: its title, summary, impact, root causes,
contributing factors, mistakes, lessons, action items and the prose of its other sections.
For each library it also prints the size of the installed distributions it needs (itself and
what it pulls in that pmkb does not already install) and its import time in a fresh process.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from score_links import score

from generator.catalog import build_catalog
from generator.export import export_document
from generator.links.reading import _prose
from generator.links.tokens import tokenize
from generator.models import Postmortem
from generator.postmortem_files import read_postmortems
from generator.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
"""The checkout."""

TOP = 5
"""How many related incidents each ranker lists (as pmkb shows)."""

Ranker = Callable[[Sequence[str]], list[list[int]]]
"""Texts in, for each text the numbers of the closest others, best first."""


def incident_text(postmortem: Postmortem) -> str:
    """Return the text every ranker reads of an incident."""
    parts = [postmortem.title, postmortem.summary, postmortem.impact.text]
    parts += [f"{c.title}\n{c.text}" for c in postmortem.root_causes]
    parts += [f.text for f in postmortem.contributing_factors]
    parts += [
        "\n".join(p for p in (m.title, m.what_we_did, m.why_wrong, m.should_have_done) if p)
        for m in postmortem.mistakes
    ]
    parts += [f"{lesson.title}\n{lesson.text}" for lesson in postmortem.lessons]
    parts += [item.text for item in postmortem.action_items]
    parts.append(_prose(postmortem))
    return "\n".join(part for part in parts if part)


def rank_sklearn(texts: Sequence[str], *, pmkb_tokens: bool = False) -> list[list[int]]:
    """Return the nearest neighbours by cosine of scikit-learn's TF-IDF vectors."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415
    from sklearn.neighbors import NearestNeighbors  # noqa: PLC0415

    if pmkb_tokens:
        vectorizer = TfidfVectorizer(analyzer=tokenize, sublinear_tf=True, min_df=2)
    else:
        vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2)
    matrix = vectorizer.fit_transform(texts)
    neighbours = NearestNeighbors(n_neighbors=min(TOP + 1, len(texts)), metric="cosine")
    neighbours.fit(matrix)
    _, found = neighbours.kneighbors(matrix)
    return [[int(o) for o in row if o != number][:TOP] for number, row in enumerate(found)]


def rank_bm25s(texts: Sequence[str]) -> list[list[int]]:
    """Return the best BM25 matches of each text, queried against all the others."""
    import bm25s  # noqa: PLC0415

    tokens = bm25s.tokenize(list(texts), stopwords="en", show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    found, _ = retriever.retrieve(tokens, k=min(TOP + 1, len(texts)), show_progress=False)
    return [[int(o) for o in row if o != number][:TOP] for number, row in enumerate(found)]


def installed_size(distributions: Sequence[str]) -> float:
    """Return the installed size of some distributions, in MB (their RECORD files)."""
    total = 0
    for name in distributions:
        try:
            files = importlib.metadata.distribution(name).files or []
        except importlib.metadata.PackageNotFoundError:
            continue
        total += sum(f.size or 0 for f in files if f.size)
    return total / 1e6


def import_seconds(statement: str) -> float:
    """Return the best of 3 wall times of a fresh interpreter running an import, less a bare one."""

    def run(code: str) -> float:
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            best = min(best, time.perf_counter() - started)
        return best

    return max(0.0, run(statement) - run("pass"))


LIBRARIES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "sklearn-tfidf": (
        "sklearn",
        ("scikit-learn", "scipy", "numpy", "joblib", "threadpoolctl"),
        "import sklearn.feature_extraction.text, sklearn.neighbors",
    ),
    "sklearn-tfidf+pmkb-tokens": (
        "sklearn",
        ("scikit-learn", "scipy", "numpy", "joblib", "threadpoolctl"),
        "import sklearn.feature_extraction.text, sklearn.neighbors",
    ),
    "bm25s": ("bm25s", ("bm25s", "numpy", "scipy"), "import bm25s"),
}
"""Per library ranker: the module it needs, the distributions it installs, its imports."""


def main(argv: list[str]) -> int:
    """Print each ranker's dev-set scores, install weight and import time."""
    corpus = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "corpus"
    settings = Settings.for_folder(corpus)
    postmortems, diagnostics = read_postmortems((corpus / "postmortems",), settings=settings)
    catalog = build_catalog(postmortems)
    ordered = list(catalog)
    labels = json.loads((corpus / "relations.json").read_text(encoding="utf-8"))
    export = export_document(ordered, diagnostics, catalog)
    texts = [incident_text(p) for p in ordered]

    rankers: dict[str, Ranker] = {
        "sklearn-tfidf": rank_sklearn,
        "sklearn-tfidf+pmkb-tokens": lambda t: rank_sklearn(t, pmkb_tokens=True),
        "bm25s": rank_bm25s,
    }
    print(f"{len(ordered)} incidents of {corpus}")
    print(
        f"{'ranker':27} {'strong_pairs':>12} {'top3_precision':>14} {'rank s':>7} "
        f"{'install MB':>10} {'import s':>8}"
    )
    started = time.process_time()
    _ = build_catalog(postmortems).links
    elapsed = time.process_time() - started
    mine = score(export, labels)
    print(
        f"{'pmkb':27} {mine['strong_pairs']:12.1%} {mine['top3_precision']:14.1%} "
        f"{elapsed:7.2f} {'0 (ours)':>10} {'-':>8}"
    )
    for name, rank in rankers.items():
        module, distributions, statement = LIBRARIES[name]
        if importlib.util.find_spec(module) is None:
            print(f"{name:27} skipped: {module} is not installed")
            continue
        started = time.process_time()
        found = rank(texts)
        elapsed = time.process_time() - started
        scores = score(_with_related(export, ordered, found), labels)
        print(
            f"{name:27} {scores['strong_pairs']:12.1%} {scores['top3_precision']:14.1%} "
            f"{elapsed:7.2f} {installed_size(distributions):10.1f} "
            f"{import_seconds(statement):8.2f}"
        )
    return 0


def _with_related(
    export: dict[str, Any], ordered: Sequence[Postmortem], found: list[list[int]]
) -> dict[str, Any]:
    """Return the export with each postmortem's related incidents replaced by a ranker's."""
    by_source = {
        p.source: [ordered[o] for o in others] for p, others in zip(ordered, found, strict=True)
    }
    documents = [
        {
            **document,
            "related": [
                {"id": p.id, "source": p.source} for p in by_source.get(document["source"], [])
            ],
        }
        for document in export["postmortems"]
    ]
    return {**export, "postmortems": documents}


if __name__ == "__main__":
    sys.exit(main(sys.argv))
