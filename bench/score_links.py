"""Score the links of a ``pmkb export`` against hand labels (``relations.json``).

Usage::

    pmkb export ../shared/corpus/postmortems > /tmp/export.json
    python bench/score_links.py /tmp/export.json ../shared/corpus/relations.json

Four numbers, each with the issue's dev-set target:

1. ``strong_pairs``: the share of strong labelled pairs where each incident is in the other's
   top 5 related incidents (target 100%).
2. ``top3_precision``: the share of top-3 links that are a labelled pair, or whose incidents share
   a labelled recurring lesson or theme (target >= 85%).
3. ``lesson_recall``: the share of labelled recurring lessons of which two or more occurrences
   (in different incidents) fall in one exported recurring group (target >= 60%). A labelled
   occurrence is found in a group when the group's occurrence in that file has a text containing
   the quote (or the quote contains it), whitespace and case aside.
4. ``group_precision``: the share of exported groups spanning several incidents whose incidents
   the labels tie together: two of them are occurrences of one labelled lesson (by file) or a
   labelled related pair (target >= 85%).
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

TARGETS = {
    "strong_pairs": 1.0,
    "top3_precision": 0.85,
    "lesson_recall": 0.60,
    "group_precision": 0.85,
}
"""The dev-set targets of the issue."""


def file_name(source: str) -> str:
    """Return the file name a labelled occurrence uses for a source path."""
    return Path(source).name


def squash(text: str) -> str:
    """Return a text lower-cased with Markdown emphasis and runs of white space flattened."""
    text = re.sub(r"[*_`]", "", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def score(export: dict[str, Any], labels: dict[str, Any]) -> dict[str, Any]:
    """Return the four scores and the details behind them."""
    related: dict[str, list[str]] = {}
    for postmortem in export["postmortems"]:
        related[file_name(postmortem["source"])] = [
            file_name(r["source"]) for r in postmortem.get("related", [])
        ]
    pairs = {frozenset((p["a"], p["b"])): p["strength"] for p in labels["related"]}
    lesson_files = [
        {o["file"] for o in lesson["occurrences"]} for lesson in labels["recurring_lessons"]
    ]
    theme_files = [set(theme["files"]) for theme in labels["themes"]]

    def tied(a: str, b: str) -> bool:
        if frozenset((a, b)) in pairs:
            return True
        return any(a in files and b in files for files in lesson_files + theme_files)

    strong = [pair for pair, strength in pairs.items() if strength == "strong"]
    strong_ok = []
    for pair in strong:
        a, b = sorted(pair)
        strong_ok.append(b in related.get(a, [])[:5] and a in related.get(b, [])[:5])

    top3 = [(a, b) for a, links in related.items() for b in links[:3]]
    top3_ok = [tied(a, b) for a, b in top3]

    groups = []
    for group in export.get("recurring", []):
        occurrences = defaultdict(list)
        for o in group["occurrences"]:
            occurrences[file_name(o["source"])].append(squash(o["text"]))
        groups.append(occurrences)

    def found_in(group: dict[str, list[str]], file: str, quote: str) -> bool:
        wanted = squash(quote)
        return any(wanted in text or text in wanted for text in group.get(file, []))

    lessons_found = []
    for lesson in labels["recurring_lessons"]:
        best = 0
        for group in groups:
            hits = {
                o["file"] for o in lesson["occurrences"] if found_in(group, o["file"], o["quote"])
            }
            best = max(best, len(hits))
        lessons_found.append((lesson["lesson"], best))

    multi = [g for g in groups if len(g) > 1]
    multi_ok = []
    for group in multi:
        files = sorted(group)
        by_lesson = any(len(files_ & set(files)) >= 2 for files_ in lesson_files)
        by_pair = any(frozenset(p) in pairs for p in combinations(files, 2))
        multi_ok.append(by_lesson or by_pair)

    def share(values: list[bool]) -> float:
        return sum(values) / len(values) if values else 0.0

    return {
        "strong_pairs": share(strong_ok),
        "top3_precision": share(top3_ok),
        "lesson_recall": share([found >= 2 for _, found in lessons_found]),
        "group_precision": share(multi_ok),
        "details": {
            "strong_missing": [
                sorted(p) for p, ok in zip(strong, strong_ok, strict=True) if not ok
            ],
            "top3_untied": [pair for pair, ok in zip(top3, top3_ok, strict=True) if not ok],
            "lessons": lessons_found,
            "groups": len(multi),
            "links": len(top3),
        },
    }


def main(argv: list[str]) -> int:
    """Print the scores of an export file against a labels file."""
    export = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    labels = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
    result = score(export, labels)
    for name, target in TARGETS.items():
        mark = "ok " if result[name] >= target else "LOW"
        print(f"{mark} {name:16} {result[name]:6.1%}  (target {target:.0%})")
    if "-v" in argv:
        print(json.dumps(result["details"], indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
