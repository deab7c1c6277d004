"""Benchmark: the linking pass (related incidents, recurring lessons, themes) at scale.

Run by hand (never by the tests): ``python bench/bench_links.py [--postmortems 1000 10000]``.

It writes a sample of postmortems with ``bench_build``'s generator (the example knowledge base's
shapes: sections, lessons, action items, services, tags) and parses it once (the parse time of
larger sizes is this one's, scaled: parsing is linear and per file). Each incident of a size is
then one of these shapes with **its own text**: a title, a summary, root causes, contributing
factors, lessons and action items written afresh from word pools (operations nouns, verbs and
failure words, Zipf-distributed so that some are common and most rare), naming its own made-up
services and components, some of which a few neighbouring incidents share (as real incidents
share systems). No two incidents are copies, so shared terms are as frequent as they would be in
a real knowledge base, not multiplied by the number of copies. Then it times, in this process:

- ``parse``: reading and parsing the files (the part of a build that always scales with N);
- ``links``: :func:`generator.links.link_postmortems` on the parsed models (CPU time, so that
  other work on the machine does not count; best of 3 up to 2,000 postmortems);

and the memory the linking adds at its peak (the process's peak resident memory less what it
held before linking: the models). Run the sizes in increasing order, so that the peak is this
size's. The build's time at 10,000 postmortems on this machine is about 116-225 s
(``bench_build.py``); the target is that linking adds at most 5 % of it (about 6 s and 50 MB),
and grows near-linearly.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import itertools
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
"""How many distinct made-up names (systems, hosts, errors) the texts draw from."""

SYLLABLES = (
    "ka", "ro", "ti", "mex", "lun", "dor", "vi", "zan", "pel", "qua", "sto", "rin",
    "bo", "shi", "gar", "nel", "fu", "tor", "ap", "wen",
)  # fmt: skip

NOUNS = """
    database cache queue disk certificate config deployment migration index replica cluster node
    pod container network dns route balancer proxy gateway token session cookie schema table
    backup snapshot job cron worker pipeline build release rollout feature flag quota limit
    memory cpu thread connection pool timeout retry lock transaction lag partition shard bucket
    storage volume mount kernel driver firewall vpn subnet address permission role key secret
    webhook callback api endpoint client library dependency version package image registry
    alert dashboard metric log trace sampler scheduler autoscaler capacity budget invoice email
""".split()  # noqa: SIM905
VERBS = """
    failed crashed stalled leaked dropped expired rejected corrupted deleted overwrote exhausted
    blocked throttled restarted rolled misrouted duplicated skipped ignored timed overloaded
    saturated truncated reverted promoted scaled drained evicted paused replayed
""".split()  # noqa: SIM905
QUALIFIERS = """
    silently slowly suddenly partially repeatedly intermittently unexpectedly quietly wrongly
    briefly again early late
""".split()  # noqa: SIM905
ACTIONS = """
    add alert on | document the runbook for | test the rollback of | monitor | rate limit |
    review changes to | automate checks of | add a canary for | set a quota on | back up |
    load test | add retries to | page on-call for | stage the rollout of | validate input to
""".split("|")  # noqa: SIM905


def make_vocabulary(rng: random.Random) -> list[str]:
    """Return distinct made-up words (system, host and error names a postmortem might use)."""
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5))))
    return sorted(words)


class Writer:
    """Writes incident texts: sentences from word pools, each incident naming its own systems."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.names = make_vocabulary(self.rng)
        self.name_weights = list(itertools.accumulate(1 / (r + 1) for r in range(len(self.names))))
        self.noun_weights = list(itertools.accumulate(1 / (r + 1) for r in range(len(NOUNS))))

    def systems(self) -> list[str]:
        """Return an incident's own services and components (Zipf: some shared, most rare)."""
        count = self.rng.randint(2, 4)
        return self.rng.choices(self.names, cum_weights=self.name_weights, k=count)

    def sentence(self, systems: list[str]) -> str:
        """Return one sentence about what failed, naming the incident's systems."""
        rng = self.rng
        noun, other = rng.choices(NOUNS, cum_weights=self.noun_weights, k=2)
        tail = " ".join(rng.choices(self.names, cum_weights=self.name_weights, k=rng.randint(0, 3)))
        return (
            f"The {rng.choice(systems)} {noun} {rng.choice(VERBS)} {rng.choice(QUALIFIERS)} "
            f"when the {other} of {rng.choice(systems)} {rng.choice(VERBS)} {tail}".strip()
            + "."
        )

    def paragraph(self, systems: list[str], low: int, high: int) -> str:
        """Return a few sentences."""
        return " ".join(self.sentence(systems) for _ in range(self.rng.randint(low, high)))

    def action(self, systems: list[str]) -> str:
        """Return an action item's text."""
        noun = self.rng.choices(NOUNS, cum_weights=self.noun_weights, k=1)[0]
        return f"{self.rng.choice(ACTIONS).strip()} the {self.rng.choice(systems)} {noun}"

    def rewrite(self, shape: Postmortem, number: int) -> Postmortem:
        """Return a postmortem of ``shape``'s structure with text of its own."""
        systems = self.systems()
        title = self.sentence(systems)[:-1].split(" when ")[0]
        return dataclasses.replace(
            shape,
            id=f"{shape.id}-{number}",
            source=f"postmortems/{number:06d}-{Path(shape.source).name}",
            title=title,
            summary=self.paragraph(systems, 1, 3),
            services=tuple(systems[:2]),
            root_causes=tuple(
                dataclasses.replace(
                    c, title=self.sentence(systems), text=self.paragraph(systems, 2, 6)
                )
                for c in shape.root_causes
            )
            or (RootCause(title="Cause", text=self.paragraph(systems, 2, 6), line=9_999),),
            contributing_factors=tuple(
                dataclasses.replace(f, text=self.sentence(systems))
                for f in shape.contributing_factors
            ),
            lessons=tuple(
                dataclasses.replace(
                    lesson, title=self.action(systems), text=self.paragraph(systems, 1, 2)
                )
                for lesson in shape.lessons
            ),
            action_items=tuple(
                dataclasses.replace(item, text=self.action(systems)) for item in shape.action_items
            ),
        )


def parse_sample(count: int) -> tuple[list[Postmortem], float]:
    """Return ``count`` generated postmortems, parsed, and the CPU seconds parsing took."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "postmortems"
        generate_postmortems(folder, count)
        settings = Settings.for_folder(Path(tmp))
        started = time.process_time()
        postmortems, _ = read_postmortems((folder,), settings=settings)
        return postmortems, time.process_time() - started


def varied(sample: list[Postmortem], count: int) -> list[Postmortem]:
    """Return ``count`` postmortems of the sample's shapes, each with text of its own."""
    writer = Writer()
    return [writer.rewrite(sample[n % len(sample)], n) for n in range(count)]


def current_rss() -> int:
    """Return the process's resident memory now, in bytes (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize()


def measure(sample: list[Postmortem], parse_per_incident: float, count: int) -> dict[str, float]:
    """Return the link CPU time (s), the linking's peak memory (MB) and more for ``count``."""
    postmortems = varied(sample, count)
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
    parser.add_argument("--sample", type=int, default=400, help="postmortems parsed")
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
