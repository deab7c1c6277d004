// pmkb's search worker: answers Material for MkDocs' search box from pmkb's own search index.
//
// Material runs its search in a web worker that speaks a small protocol (SETUP, READY, QUERY,
// RESULT) and lets a site provide its own worker: this one keeps Material's search box, keyboard
// shortcuts, result list and dark mode, and reads the index pmkb writes (generator/search_index.py
// says how): a query fetches the small files that hold its words, scores the documents here, and
// fetches the texts of the first screen of results. The worker lives at assets/pmkb/, the index
// at search/pmkb/: both are found relative to this file, so the site works from any folder of any
// static host, offline.
"use strict";

const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;
const FIRST = 10; // results on Material's first screen: the first shown alone, then the others
const SHOWN = 20; // results whose text is fetched; Material lists 10, then more on scroll
const LONGEST_WORD = 40; // characters of a word the index holds (search_index.LONGEST_WORD)
const PREFIX_FROM = 3; // a word of this many letters also finds the longer words it starts
const PREFIX_CHUNKS = 4; // at most this many files of longer words for one word of a query
const PREFIX_WEIGHT = 0.5; // a longer word found counts half as much as the word itself
const EXCERPT = 180; // characters of text around the words found, in a result's snippet
const ENDINGS = ["ies", "ing", "es", "ed", "s"]; // "outages" also finds "outage"

// search_index.tokenize's rules: runs of letters and digits, cut at LONGEST_WORD; Japanese and
// Chinese, written without spaces, as overlapping pairs of characters.
const IDEOGRAPHS = "\\u3040-\\u30ff\\u31f0-\\u31ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
const LETTER = `(?:(?![${IDEOGRAPHS}])[\\p{L}\\p{N}])`;
const WORDS = new RegExp(`(${LETTER}{1,${LONGEST_WORD}})${LETTER}*|([${IDEOGRAPHS}]+)`, "gu");

const root = new URL("../../", self.location.href);
const home = new URL("search/pmkb/", root);
const files = new Map(); // URL -> the promise of its JSON: each file is fetched once
let loading = null;
let latest = 0;

function fetchJson(url, options) {
  let found = files.get(url);
  if (!found) {
    found = fetch(url, options).then((response) => {
      if (!response.ok) {
        throw new Error(`search: ${url} answered ${response.status}`);
      }
      return response.json();
    });
    found.catch(() => files.delete(url)); // fetched again by the next query
    files.set(url, found);
  }
  return found;
}

// The index's entry: its folder (named by a hash of its files) and the first word of each chunk.
function load() {
  loading = loading || fetchJson(new URL("index.json", home).href, { cache: "no-cache" }).then(
    (entry) => {
      // A folder of the index, never a URL elsewhere, whatever the entry says.
      if (!/^[0-9a-f]{8,64}$/.test(String(entry.folder)) || !Array.isArray(entry.chunks)) {
        throw new Error("search: index.json is not pmkb's");
      }
      return {
        folder: new URL(`${entry.folder}/`, home),
        chunks: entry.chunks.map(String),
        documents: Math.max(0, Number(entry.documents) | 0),
      };
    },
  );
  loading.catch(() => {
    loading = null; // a load cut short is tried again by the next query
  });
  return loading;
}

function tokenize(text) {
  const words = [];
  for (const match of text.normalize("NFKC").toLowerCase().matchAll(WORDS)) {
    if (match[1]) {
      words.push({ word: match[1], prefix: match[1].length >= PREFIX_FROM ? stem(match[1]) : "" });
    } else if (match[2].length === 1) {
      words.push({ word: match[2], prefix: match[2] }); // one character: the pairs it starts
    } else {
      for (let i = 0; i + 1 < match[2].length; i++) {
        words.push({ word: match[2].slice(i, i + 2), prefix: "" });
      }
    }
  }
  const seen = new Set();
  return words.filter(({ word }) => !seen.has(word) && seen.add(word));
}

function stem(word) {
  for (const ending of ENDINGS) {
    const kept = word.length - ending.length;
    if (word.endsWith(ending) && kept >= PREFIX_FROM && !(ending === "s" && word.endsWith("ss"))) {
      return word.slice(0, kept);
    }
  }
  return word;
}

// The chunk holding a word: the last one whose first word is not after it.
function findChunk(chunks, word) {
  let low = 0;
  let high = chunks.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (chunks[middle] <= word) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return low;
}

// Each document's score for one word of the query: its own postings, and those of the longer
// words it starts (at a lower weight); the best of them per document.
async function scoreWord(index, { word, prefix }) {
  const numbers = new Set([findChunk(index.chunks, word)]);
  if (prefix) {
    const first = findChunk(index.chunks, prefix);
    const end = prefix + "\uffff";
    for (let n = first; n < index.chunks.length && n < first + PREFIX_CHUNKS; n++) {
      if (n > first && index.chunks[n] >= end) {
        break;
      }
      numbers.add(n);
    }
  }
  const chunks = await Promise.all(
    [...numbers].map((n) => fetchJson(new URL(`terms/${n}.json`, index.folder).href)),
  );
  const scores = new Float32Array(index.documents);
  for (const chunk of chunks) {
    for (const term of Object.keys(chunk)) {
      const weight = term === word ? 1 : prefix && term.startsWith(prefix) ? PREFIX_WEIGHT : 0;
      const postings = chunk[term];
      if (!weight || !Array.isArray(postings)) {
        continue;
      }
      let document = 0;
      for (let i = 0; i + 1 < postings.length; i += 2) {
        document += postings[i];
        const score = (postings[i + 1] / 10) * weight;
        if (document < scores.length && score > scores[document]) {
          scores[document] = score;
        }
      }
    }
  }
  return scores;
}

// The documents that have every word of the query: how many, and the SHOWN best of them, best
// first (a tie to the lower number). Only those are ever shown: kept in order as the documents
// go by, rather than sorting every one found (9,790 of 10,000 for a common word).
async function rank(index, words) {
  if (!index.chunks.length) {
    return { best: [], total: 0, totals: [] }; // an index of no words (no page at all)
  }
  const perWord = await Promise.all(words.map((word) => scoreWord(index, word)));
  const best = [];
  let total = 0;
  const totals = new Float32Array(index.documents);
  for (let document = 0; document < index.documents; document++) {
    let sum = 0;
    for (const scores of perWord) {
      if (!scores[document]) {
        sum = 0;
        break;
      }
      sum += scores[document];
    }
    if (!sum) {
      continue;
    }
    totals[document] = sum;
    total++;
    if (best.length < SHOWN || sum > totals[best[best.length - 1]]) {
      let at = best.length;
      while (at > 0 && totals[best[at - 1]] < sum) {
        at--;
      }
      best.splice(at, 0, document);
      best.length = Math.min(best.length, SHOWN);
    }
  }
  return { best, total, totals };
}

function escapeHtml(value) {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

// Where the query's words are in a text: [start, end, word] of each, in order.
function findWords(text, words) {
  const lower = text.toLowerCase();
  if (lower.length !== text.length) {
    return []; // a character changed length in lower case: positions would not line up
  }
  const spans = [];
  for (const match of lower.matchAll(WORDS)) {
    const start = match.index;
    if (match[1]) {
      const token = match[1];
      const hit = words.find(
        ({ word, prefix }) => token === word || (prefix && token.startsWith(prefix)),
      );
      if (hit) {
        spans.push([start, start + match[0].length, hit.word]);
      }
      continue;
    }
    for (const { word } of words) {
      for (let at = match[2].indexOf(word); at >= 0; at = match[2].indexOf(word, at + 1)) {
        spans.push([start + at, start + at + word.length, word]);
      }
    }
  }
  return spans.sort((a, b) => a[0] - b[0]);
}

// A result's snippet: the stretch of text with the most of the query's words, escaped, with
// <mark> around each word found.
function excerpt(text, words) {
  text = String(text || "").replace(/\s+/g, " ");
  const spans = findWords(text, words);
  let best = 0;
  let bestCount = 0;
  for (let i = 0; i < spans.length; i++) {
    const near = new Set();
    for (let j = i; j < spans.length && spans[j][0] < spans[i][0] + EXCERPT / 2; j++) {
      near.add(spans[j][2]);
    }
    if (near.size > bestCount) {
      best = i;
      bestCount = near.size;
    }
  }
  const at = spans.length ? spans[best][0] : 0;
  let start = Math.max(0, at - 40);
  if (start > 0) {
    const space = text.indexOf(" ", start);
    start = space >= 0 && space < at ? space + 1 : start;
  }
  let end = Math.min(text.length, start + EXCERPT);
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    end = space > at ? space : end;
  }
  let html = start > 0 ? "… " : "";
  let position = start;
  for (const [from, to] of spans) {
    if (from >= position && to <= end) {
      html += escapeHtml(text.slice(position, from)) + "<mark>" + escapeHtml(text.slice(from, to));
      html += "</mark>";
      position = to;
    }
  }
  return html + escapeHtml(text.slice(position, end)) + (end < text.length ? " …" : "");
}

function describe(document, score, words, terms) {
  const meta = document.meta || {};
  const facts = [meta.date, meta.severity, meta.status].filter(Boolean);
  let text = "";
  if (facts.length) {
    text += '<p class="pmkb-search-meta">' + facts.map(escapeHtml).join(" · ") + "</p>";
  }
  text += '<p class="pmkb-search-snippet">' + excerpt(document.text, words) + "</p>";
  return [{
    location: String(document.url || "").replace(/^\//, ""),
    title: escapeHtml(document.title || document.url || ""),
    text: text,
    score: score,
    terms: terms,
  }];
}

// One letter of a script that spaces its words matches nearly every page: no search (the results
// shown stay until the next letter). One Japanese or Chinese character is a word.
function tooShort(value) {
  return value.length < 2 && !/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/.test(value);
}

// Answers a query with RESULTs as the texts of its results come in (each a fetch of its own):
// the first at once, then the rest of the first screen together, then the next ones together.
// Material renders each RESULT anew, 10-15 ms here: one for each of the first screen's texts
// took the page's time from the keys typed next.
async function answer(query, ticket) {
  const value = query.trim();
  const words = tokenize(value);
  if (!value || !words.length) {
    self.postMessage({ type: RESULT, data: { items: [], total: 0 } });
    return;
  }
  if (tooShort(value)) {
    return;
  }
  const index = await load();
  const { best, total, totals } = await rank(index, words);
  // Material sends a query on every key released: a query typed over is dropped here, before
  // its texts are fetched.
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (ticket !== latest) {
    return;
  }
  const terms = {};
  for (const word of value.split(/\s+/)) {
    terms[word] = true;
  }
  const fetchText = (n) => fetchJson(new URL(`documents/${n}.json`, index.folder).href);
  // The first screen's texts first: the next ones' fetches would slow theirs down.
  const texts = best.slice(0, FIRST).map(fetchText);
  const items = [];
  const show = () => {
    self.postMessage({ type: RESULT, data: { items: items.slice(), total } });
  };
  if (!texts.length) {
    show();
  }
  for (let n = 0; n < texts.length; n++) {
    const document = await texts[n];
    if (ticket !== latest) {
      return;
    }
    items.push(describe(document, totals[best[n]], words, terms));
    if (n === 0 || n === FIRST - 1 || n === texts.length - 1) {
      show();
    }
    if (n === FIRST - 1) {
      texts.push(...best.slice(FIRST).map(fetchText));
    }
  }
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === SETUP) {
    try {
      await load();
    } catch (error) {
      // Ready all the same: each query loads the index again, or shows no results.
    }
    self.postMessage({ type: READY });
  } else if (message.type === QUERY) {
    const ticket = ++latest;
    try {
      await answer(String(message.data || ""), ticket);
    } catch (error) {
      // A failed query (the index unreachable) shows as no results rather than a frozen box.
      if (ticket === latest) {
        self.postMessage({ type: RESULT, data: { items: [], total: 0 } });
      }
    }
  }
});

// Material sends its queries once the worker says READY, and asks (SETUP) only when its page has
// fetched its own index and finished setting up: while a page opens on two cores, 0.1-0.4 s
// after this worker has its entry. This worker needs nothing from SETUP, so it says READY as
// soon as the entry is in (or failed, as above), and again on SETUP: Material takes the first.
load()
  .catch(() => {})
  .then(() => self.postMessage({ type: READY }));
