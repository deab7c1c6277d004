"""Benchmark: the linking pass (related incidents, recurring lessons, themes) at scale.

Run by hand (never by the tests): ``python bench/bench_links.py [--postmortems 1000 10000]``.

It writes 1,000 postmortems with ``bench_build``'s generator (the example knowledge base's
shapes, shared lessons, services and tags) and parses them once (the parse time of larger sizes
is this one's, scaled: parsing is linear and per file); each size is then made of copies of
these, each with its own id and file, and each gets a paragraph of words drawn from a large
Zipf-distributed vocabulary (real postmortems name systems, people, errors and hosts that no
other incident names: without that long tail every generated postmortem would share every
word). Then it times, in this process:

- ``parse``: reading and parsing the files (the part of a build that always scales with N);
- ``links``: :func:`generator.links.link_postmortems` on the parsed models (CPU time, so that
  other work on the machine does not count; best of 3 up to 2,000 postmortems);

and the memory the linking adds at its peak (the process's peak resident memory less what it
held before linking: the models). Run the sizes in increasing order, so that the peak is this
size's. The build's time at 10,000 postmortems on this machine is about 116-225 s
(``bench_build.py``); the target is that linking adds at most 5 % of it, and grows near-linearly.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_build import generate_postmortems

from generator.links import link_postmortems
from generator.models import Postmortem, RootCause
from generator.postmortem_files import read_postmortems
from generator.settings import Settings

VOCABULARY = 40_000
"""How many distinct rare words the long tail draws from."""

SYLLABLES = (
    "ka", "ro", "ti", "mex", "lun", "dor", "vi", "zan", "pel", "qua", "sto", "rin",
    "bo", "shi", "gar", "nel", "fu", "tor", "ap", "wen",
)  # fmt: skip


def make_vocabulary(rng: random.Random) -> list[str]:
    """Return distinct made-up words (system, host and error names a postmortem might use)."""
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5))))
    return sorted(words)


def add_long_tail(postmortems: list[Postmortem], seed: int = 7) -> list[Postmortem]:
    """Return the postmortems each with a root-cause paragraph of Zipf-distributed rare words."""
    rng = random.Random(seed)
    vocabulary = make_vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    varied = []
    for postmortem in postmortems:
        words = rng.choices(vocabulary, weights=weights, k=rng.randint(60, 200))
        cause = RootCause(title="Details", text=" ".join(words) + ".", line=9_999)
        varied.append(dataclasses.replace(postmortem, root_causes=(*postmortem.root_causes, cause)))
    return varied


def parse_sample(count: int) -> tuple[list[Postmortem], float]:
    """Return ``count`` generated postmortems, parsed, and the CPU seconds parsing took."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "postmortems"
        generate_postmortems(folder, count)
        settings = Settings.for_folder(Path(tmp))
        started = time.process_time()
        postmortems, _ = read_postmortems((folder,), settings=settings)
        return postmortems, time.process_time() - started


def copies(sample: list[Postmortem], count: int) -> list[Postmortem]:
    """Return ``count`` postmortems made from a parsed sample: each copy its own id and file
    (the long tail then gives each copy its own rare words)."""
    made = []
    for number in range(count):
        original = sample[number % len(sample)]
        made.append(
            dataclasses.replace(
                original,
                id=f"{original.id}-{number}",
                source=f"postmortems/{number:06d}-{Path(original.source).name}",
            )
        )
    return made


def current_rss() -> int:
    """Return the process's resident memory now, in bytes (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize()


def measure(sample: list[Postmortem], parse_per_incident: float, count: int) -> dict[str, float]:
    """Return the link CPU time (s), the linking's peak memory (MB) and more for ``count``."""
    postmortems = add_long_tail(copies(sample, count))
    gc.collect()
    before = current_rss()
    times = []
    for _ in range(1 if count > 2_000 else 3):
        gc.collect()
        started = time.process_time()
        links = link_postmortems(postmortems)
        times.append(time.process_time() - started)
    # The process's peak resident memory while linking, less what it held before (the models).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    related = sum(len(links.related(p)) for p in postmortems)
    return {
        "parse_s": parse_per_incident * count,
        "links_s": min(times),
        "links_peak_mb": peak / 1e6,
        "related_per_incident": related / count,
        "recurring": len(links.recurring),
    }


def main() -> None:
    """Measure each size given and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postmortems", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--sample", type=int, default=1_000, help="postmortems parsed")
    arguments = parser.parse_args()
    sample, parse = parse_sample(min(arguments.postmortems[0], arguments.sample))
    per_incident = parse / len(sample)
    print("CPU seconds (time.process_time), so that other load on the machine does not count.")
    print("postmortems  parse s  links s  links/ms per incident  peak MB  related/incident")
    for count in arguments.postmortems:
        m = measure(sample, per_incident, count)
        print(
            f"{count:11,}  {m['parse_s']:7.1f}  {m['links_s']:7.2f}  "
            f"{1000 * m['links_s'] / count:21.3f}  {m['links_peak_mb']:7.1f}  "
            f"{m['related_per_incident']:16.2f}"
        )


if __name__ == "__main__":
    main()
