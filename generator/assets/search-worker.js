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
const SHOWN = 20; // results whose text is fetched; Material lists 10, then more on scroll

const root = new URL("../../", self.location.href);
let pagefind = null;
let loading = null;
let latest = 0;

function load() {
  loading = loading || import(new URL("pagefind/pagefind.js", root).href).then(async (module) => {
    await module.options({ excerptLength: 24 });
    await module.init();
    pagefind = module;
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

async function answer(query, ticket) {
  const value = query.trim();
  if (!value) {
    return { items: [], total: 0 };
  }
  await load();
  const search = await pagefind.search(value);
  if (ticket !== latest || !search) {
    return null;
  }
  const terms = {};
  for (const word of value.split(/\s+/)) {
    terms[word] = true;
  }
  const top = search.results.slice(0, SHOWN);
  const data = await Promise.all(top.map((result) => result.data()));
  return {
    items: top.map((result, index) => describe(result, data[index], terms)),
    total: search.results.length,
  };
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === SETUP) {
    await load();
    self.postMessage({ type: READY });
  } else if (message.type === QUERY) {
    const ticket = ++latest;
    let result;
    try {
      result = await answer(String(message.data || ""), ticket);
    } catch (error) {
      // A failed query (the index unreachable) shows as no results rather than a frozen box.
      result = { items: [], total: 0 };
    }
    if (result !== null && ticket === latest) {
      self.postMessage({ type: RESULT, data: result });
    }
  }
});

load(); // start fetching the search code while Material fetches the page list
