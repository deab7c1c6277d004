// pmkb's search worker: answers Material for MkDocs' search box from the Pagefind index.
//
// Material runs its search in a web worker that speaks a small protocol (SETUP, READY, QUERY,
// RESULT) and lets a site provide its own worker: this one keeps Material's search box, keyboard
// shortcuts, result list and dark mode, and asks Pagefind, whose chunked index is fetched a few
// small pieces per query instead of whole. The worker lives at assets/pmkb/, the index at
// pagefind/ beside it: both are found relative to this file, so the site works from any folder
// of any static host, offline.
"use strict";

const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;
const FIRST = 10; // results on Material's first screen: their texts are fetched first
const SHOWN = 20; // results whose text is fetched; Material lists 10, then more on scroll
const TYPING = 150; // ms: a query sent sooner than this after the last one is a word being typed
// The first search of an index also starts Pagefind's code, and took a fifth of a second more
// than the next ones: one for a word no query is likely to start with is run as soon as the
// index is in, while the page is still opening.
const PRIMER = "zzzz";

const root = new URL("../../", self.location.href);
let pagefind = null;
let loading = null;
let latest = 0;
let lastQuery = -Infinity;

// A large index is written in pieces (pmkb-shards.json lists the others): each is merged into
// the first, and a query fetches a few small files of each.
async function shards() {
  const response = await fetch(new URL("pagefind/pmkb-shards.json", root).href);
  if (!response.ok) {
    throw new Error(`Failed to load Pagefind shards: ${response.status}`);
  }
  const listed = (await response.json()).shards;
  return Array.isArray(listed) ? listed.map(String) : [];
}

function load() {
  loading = loading || Promise.all([
    import(new URL("pagefind/pagefind.js", root).href),
    shards(),
  ]).then(async ([module, others]) => {
    const options = { excerptLength: 24 };
    await module.options(options);
    await module.init();
    const index = new URL("pagefind/", root);
    // A piece is a folder of the index: never a URL elsewhere, whatever the list says.
    const folders = others.filter((path) => /^[a-z0-9-]+\/$/.test(path));
    // Called before the other pieces are merged, the primer searches the first one only.
    const primed = module.search(PRIMER).catch(() => null); // a failed primer only costs time
    await Promise.all([
      primed,
      ...folders.map((path) => module.mergeIndex(new URL(path, index).href, options)),
    ]);
    pagefind = module;
  });
  // A load cut short (the reader left the page, the network blinked) is tried again by the next
  // query rather than remembered as failed.
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

function escapeHtml(value) {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

// Pagefind's excerpt is the record's text, escaped, with <mark> around the words found.
// Keep those marks and nothing else, whatever the text held.
function safeExcerpt(excerpt) {
  return escapeHtml(excerpt || "")
    .replace(/&lt;mark&gt;/g, "<mark>")
    .replace(/&lt;\/mark&gt;/g, "</mark>")
    .replace(/&amp;(lt|gt|amp|quot|#39|#x27);/g, "&$1;");
}

function describe(result, data, terms) {
  const meta = data.meta || {};
  const facts = [meta.date, meta.severity, meta.status].filter(Boolean);
  let text = "";
  if (facts.length) {
    text += '<p class="pmkb-search-meta">' + facts.map(escapeHtml).join(" · ") + "</p>";
  }
  text += '<p class="pmkb-search-snippet">' + safeExcerpt(data.excerpt) + "</p>";
  return [{
    location: String(data.url || "").replace(/^\//, ""),
    title: escapeHtml(meta.title || data.url),
    text: text,
    score: result.score,
    terms: terms,
  }];
}

// One letter of a script that spaces its words matches nearly every page: no search (the results
// shown stay until the next letter). One Japanese or Chinese character is a word.
function tooShort(value) {
  return value.length < 2 && !/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/.test(value);
}

// Answers a query with one RESULT, or two: the first screen of results as soon as their texts
// are in, then the next ones (Material renders each RESULT anew, the first rows unchanged).
async function answer(query, ticket, typing) {
  const value = query.trim();
  if (!value) {
    self.postMessage({ type: RESULT, data: { items: [], total: 0 } });
    return;
  }
  await load();
  if (!tooShort(value)) {
    // The parts of the index this query needs are fetched now, while the reader may still be
    // typing: the word typed in full mostly needs the same ones.
    pagefind.preload(value).catch(() => {});
  }
  // Material sends a query on every key released. Each search runs alone in this worker, and
  // one for the first letters of a word matches most of a large index (a second at 10,000
  // postmortems): while a reader types, wait for the next key, and search the last query only.
  await new Promise((resolve) => setTimeout(resolve, typing ? TYPING : 0));
  if (ticket !== latest || tooShort(value)) {
    return;
  }
  const search = await pagefind.search(value);
  if (ticket !== latest || !search) {
    return;
  }
  const terms = {};
  for (const word of value.split(/\s+/)) {
    terms[word] = true;
  }
  const top = search.results.slice(0, SHOWN);
  const items = [];
  for (const [start, end] of [[0, FIRST], [FIRST, SHOWN]]) {
    const part = top.slice(start, end);
    if (start > 0 && !part.length) {
      break;
    }
    const data = await Promise.all(part.map((result) => result.data()));
    if (ticket !== latest) {
      return;
    }
    items.push(...part.map((result, index) => describe(result, data[index], terms)));
    self.postMessage({ type: RESULT, data: { items: items.slice(), total: search.results.length } });
  }
}

// Pagefind starts loading its index in its constructor without waiting for it: when that load is
// cut short (the reader left the page while it ran), its rejection would surface as an error on
// the page. load() and each query already handle a failed load; that copy is dropped.
self.addEventListener("unhandledrejection", (event) => {
  if (String(event.reason && event.reason.message).startsWith("Failed to load Pagefind")) {
    event.preventDefault();
  }
});

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
    const now = performance.now();
    const typing = now - lastQuery < TYPING;
    lastQuery = now;
    try {
      await answer(String(message.data || ""), ticket, typing);
    } catch (error) {
      // A failed query (the index unreachable) shows as no results rather than a frozen box.
      if (ticket === latest) {
        self.postMessage({ type: RESULT, data: { items: [], total: 0 } });
      }
    }
  }
});

load(); // start fetching the search code while Material fetches the page list
