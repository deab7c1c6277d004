"""pmkb's search index: the words a query can find, in the files the search worker reads.

The browser tests search a built site; these read the files a query would fetch, as the worker
does (``assets/search-worker.js``): the chunk that holds a word, its postings, its documents.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from pathlib import Path
from typing import Any

import pytest

from generator import search_index, site_search
from generator.search_index import LONGEST_WORD, tokenize, write_search_index
from generator.search_records import SearchRecord
from generator.site_search import SearchIndexError, SiteSearch


def make_record(number: int, title: str, text: str) -> SearchRecord:
    """Return the record of a page numbered ``number``."""
    return SearchRecord(url=f"incidents/{number}/", title=title, content=text, meta={"n": "x"})


def read_index(folder: Path) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """Return the index's entry and every word's postings, as the worker would read them."""
    entry = json.loads((folder / "index.json").read_text("utf-8"))
    words: dict[str, list[int]] = {}
    for number in range(len(entry["chunks"])):
        path = folder / entry["folder"] / "terms" / f"{number}.json"
        words.update(json.loads(path.read_text("utf-8")))
    return entry, words


def find_postings(folder: Path, word: str) -> dict[int, int]:
    """Return ``{document: score}`` of ``word``, read from the one chunk the worker fetches."""
    entry = json.loads((folder / "index.json").read_text("utf-8"))
    keys = [first.encode("utf-16-be") for first in entry["chunks"]]
    number = max(n for n, key in enumerate(keys) if key <= word.encode("utf-16-be"))
    chunk = json.loads((folder / entry["folder"] / "terms" / f"{number}.json").read_text("utf-8"))
    flat = chunk.get(word, [])
    documents: dict[int, int] = {}
    document = 0
    for gap, score in zip(flat[::2], flat[1::2], strict=True):
        document += gap
        documents[document] = score
    return documents


def test_words_are_lower_case_letters_and_digits_and_ideographs_come_in_pairs() -> None:
    expected = ["pool", "exhaustion", "at", "14", "02", "db", "down"]
    assert tokenize("Pool_exhaustion at 14:02, ＤＢ down!") == expected
    pairs = ["デー", "ータ", "タベ", "ベー", "ース", "スの", "の障", "障害"]
    assert tokenize("データベースの障害") == pairs
    assert tokenize("障 x") == ["障", "x"]
    assert tokenize("a" * 100) == ["a" * LONGEST_WORD]
    assert tokenize("Café ÉTÉ") == ["café", "été"]


def test_each_word_is_found_in_the_chunk_the_worker_looks_it_up_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "CHUNK_BYTES", 60)  # many chunks of a few words
    records = [
        make_record(n, f"Incident {n}", f"alpha{n} bravo{n % 3} 障害 emoji 𝒳{n} zulu")
        for n in range(40)
    ]
    write_search_index(records, tmp_path / "index")
    entry, words = read_index(tmp_path / "index")
    assert len(entry["chunks"]) > 20
    assert entry["documents"] == 40
    # Sorted as JavaScript compares strings: astral characters after the rest of the BMP.
    keys = [first.encode("utf-16-be") for first in entry["chunks"]]
    assert keys == sorted(keys)
    for word in words:
        documents = find_postings(tmp_path / "index", word)
        assert documents, word
        assert all(word in tokenize(records[d].title + " " + records[d].content) for d in documents)
    assert sorted(find_postings(tmp_path / "index", "bravo1")) == list(range(1, 40, 3))
    assert len(find_postings(tmp_path / "index", "障害")) == 40


def test_a_word_scores_more_in_a_title_and_in_fewer_documents(tmp_path: Path) -> None:
    records = [
        make_record(0, "Replica lag", "The database was slow."),
        make_record(1, "Database outage", "The replica was slow."),
        make_record(2, "Checkout errors", "The database was slow; checkout failed."),
    ]
    write_search_index(records, tmp_path / "index")
    database = find_postings(tmp_path / "index", "database")
    assert database[1] > database[0]  # in the title
    assert find_postings(tmp_path / "index", "checkout")[2] > database[2]  # in one document
    entry = json.loads((tmp_path / "index" / "index.json").read_text("utf-8"))
    shown = tmp_path / "index" / entry["folder"] / "documents" / "1.json"
    assert json.loads(shown.read_text("utf-8")) == {
        "url": "incidents/1/",
        "title": "Database outage",
        "meta": {"n": "x"},
        "text": "The replica was slow.",
    }


def test_the_index_folder_is_named_by_its_content(tmp_path: Path) -> None:
    names = []
    for text in ("The database was slow.", "The database was slow.", "It was fast."):
        write_search_index([make_record(0, "Replica lag", text)], tmp_path / "index")
        names.append(json.loads((tmp_path / "index" / "index.json").read_text("utf-8"))["folder"])
        # Written again, the index holds only its own files.
        assert [p.name for p in (tmp_path / "index").iterdir()] == sorted(["index.json", names[-1]])
    assert names[0] == names[1] != names[2]
    write_search_index([], tmp_path / "index")
    assert read_index(tmp_path / "index")[0]["chunks"] == []


def test_a_lone_surrogate_in_a_text_is_written_as_a_question_mark(tmp_path: Path) -> None:
    write_search_index([make_record(0, "Odd \ud800 title", "odd \udfff text")], tmp_path / "i")
    entry, words = read_index(tmp_path / "i")
    shown = tmp_path / "i" / entry["folder"] / "documents" / "0.json"
    assert json.loads(shown.read_text("utf-8"))["text"] == "odd ? text"
    assert sorted(words) == ["odd", "text", "title"]


def test_a_failure_to_write_the_index_fails_the_build_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(records: object, folder: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site_search, "write_search_index", fail)  # the forked writer's too
    search = SiteSearch(worker_uri="assets/pmkb/search-worker.js")
    search.add_incidents([], [], tmp_path / "site")  # type: ignore[arg-type]
    with pytest.raises(SearchIndexError, match=r"No space left on device.*build again"):
        search.write(tmp_path / "site", lang=["en"])
    assert not (tmp_path / "site" / "search" / "search_index.json").exists()


def test_records_reach_a_writer_started_before_the_postmortems_were_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The writer is forked when the build starts, and gets the records later, in batches.
    monkeypatch.setattr(site_search, "_BATCH", 2)
    search = SiteSearch(worker_uri="assets/pmkb/search-worker.js")
    search.start()
    for number in range(5):
        search.add_page(f"page-{number}/", f"Page {number}", f"Words of page {number}.")
    search.add_incidents([], [], tmp_path / "site")  # type: ignore[arg-type]
    search.write(tmp_path / "site", lang=["en"])
    folder = tmp_path / "site" / site_search.INDEX_DIR
    entry = json.loads((folder / search_index.INDEX_FILE).read_text("utf-8"))
    assert entry["documents"] == 5
    titles = [
        json.loads((folder / entry["folder"] / "documents" / f"{n}.json").read_text("utf-8"))
        for n in range(5)
    ]
    assert [title["title"] for title in titles] == [f"Page {n}" for n in range(5)]


def test_records_are_indexed_as_they_come(tmp_path: Path) -> None:
    # The writer indexes each record as it arrives, rather than hold them all first: the same
    # index as from a list of them.
    records = [make_record(n, f"Title {n}", f"words of record {n}") for n in range(4)]
    write_search_index(records, tmp_path / "listed")
    write_search_index(iter(records), tmp_path / "arriving")
    assert read_index(tmp_path / "arriving") == read_index(tmp_path / "listed")
    assert read_index(tmp_path / "arriving")[0]["documents"] == 4


def test_records_that_stop_coming_leave_no_half_index(tmp_path: Path) -> None:
    def cut_short() -> Any:
        yield make_record(0, "First", "words")
        raise EOFError  # the build stopped before sending the rest

    with pytest.raises(EOFError):
        write_search_index(cut_short(), tmp_path / "index")
    assert list((tmp_path / "index").iterdir()) == []


def test_a_build_that_stops_before_its_records_ends_the_writer_quietly(
    capfd: pytest.CaptureFixture[str],
) -> None:
    search = SiteSearch(worker_uri="assets/pmkb/search-worker.js")
    search.start()
    search.close()
    assert multiprocessing.active_children() == []
    assert capfd.readouterr().err == ""


def test_a_build_killed_before_its_records_leaves_no_writer_behind() -> None:
    # Killed, the build closes nothing: its end of the pipe goes with it, and the writer,
    # which has no copy of that end, sees the pipe end and stops.
    search = SiteSearch(worker_uri="assets/pmkb/search-worker.js")
    search.start()
    writer = search._writer
    assert writer is not None and search._jobs is not None
    search._jobs.close()  # what the build's death does to its end of the pipe
    writer.join(timeout=10)
    stopped = writer.exitcode is not None
    search.close()
    assert stopped, "the writer still waits for records from a build that is gone"


def test_a_writer_gone_before_its_records_fails_the_build_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Killed (out of memory, say) before the records were sent: the build says so, no traceback.
    monkeypatch.setattr(site_search, "_write_reporting", lambda *_: os._exit(3))
    search = SiteSearch(worker_uri="assets/pmkb/search-worker.js")
    search.start()
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.01)
    search.add_page("gone/", "Gone", "Words.")
    search.add_incidents([], [], tmp_path / "site")  # type: ignore[arg-type]
    with pytest.raises(SearchIndexError, match=r"stopped.*build again|exit status 3"):
        search.write(tmp_path / "site", lang=["en"])


_PAGE = """<!doctype html>
<html lang="en" class="no-js">
  <head>
    <meta charset="utf-8">
    <title>Cache flush</title>
    <link rel="stylesheet" href="../../assets/stylesheets/main.css">
  </head>
  <body>
    <p>Material's worker, assets/javascripts/workers/search.1234abcd.min.js, was cached.</p>
    <script id="__config" type="application/json">{"search": "WORKER"}</script>
  </body>
</html>""".replace("WORKER", "../../assets/javascripts/workers/search.1234abcd.min.js")


def test_a_page_starts_pmkbs_worker_from_its_head_and_keeps_its_text() -> None:
    html = SiteSearch(worker_uri="assets/pmkb/search-worker.js").point_to_worker(_PAGE)
    worker = '"../../assets/pmkb/search-worker.js"'
    assert '{"search": ' + worker + "}" in html
    # The author's text is as written.
    assert "worker, assets/javascripts/workers/search.1234abcd.min.js, was" in html
    # Started by a script just after the character set, before the title and the stylesheet.
    head = html.split('<meta charset="utf-8">', 1)[1].split("<title>", 1)[0]
    assert head.startswith("<script>") and head.rstrip().endswith("</script>")
    assert "new Native(address)" in head and head.rstrip().endswith(f"({worker});</script>")
    # A page without Material's configuration (a theme's own) is left alone.
    without = _PAGE.replace('id="__config"', 'id="config"')
    assert SiteSearch(worker_uri="assets/pmkb/search-worker.js").point_to_worker(without) == without
