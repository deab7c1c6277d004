"""A hostile postmortem cannot run script on the site, whatever the raw-HTML policy.

The knowledge base is the repository's (mkdocs.yml, docs/, two example postmortems) plus one
postmortem that puts script payloads everywhere an author can write: title, owners (front matter,
``@``-handles and an Owner column), tags, services, lessons, timeline, action items and body
(raw HTML blocks and inline HTML, event handlers, ``javascript:`` links in Markdown, HTML and
autolinks). It is built with ``raw_html: escape`` (the default) and ``raw_html: allow``, and
every page is opened in Chromium: no dialog may open, no ``javascript:`` link may exist, no
script element carrying the payload may be in the DOM and no element may carry an event handler.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from .conftest import (
    build_site,
    example_postmortems,
    html_pages,
    make_knowledge_base,
    search,
    serve,
)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _missing_image_is_expected(watch: Any) -> None:
    """The payload's ``<img src=x>`` is kept as an image under ``allow``: ``x`` is not found."""
    watch.allowed_missing.add("x")


SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
LINK = "[x](javascript:alert(1))"
PAYLOADS = (SCRIPT, IMAGE, LINK)

HOSTILE = f"""---
title: '{SCRIPT} {IMAGE} {LINK}'
date: 2026-05-01
status: open
severity: 'SEV1 {SCRIPT}'
services:
  - '{SCRIPT}'
  - 'api {IMAGE}'
tags:
  - '{SCRIPT}'
  - '{IMAGE}'
  - '{LINK}'
authors:
  - '{SCRIPT}'
owners:
  - '@{SCRIPT}'
  - '@x{IMAGE}'
  - '{LINK}'
---

# Hostile {SCRIPT} {IMAGE}

## Summary

A summary with {SCRIPT} inline, an image {IMAGE} and a link {LINK}.
Also [upper](JAVASCRIPT:alert(1)), [spaced]( javascript:alert(1) ),
[entity](jav&#x09;ascript:alert(1)) and <javascript:alert(1)>
and <a href="javascript:alert(1)">a raw link</a>.

{SCRIPT}

<img src=x onerror=alert(1)>

<svg onload=alert(1)></svg>

<iframe src="javascript:alert(1)"></iframe>

<div onmouseover="alert(1)" style="padding:2em">hover me</div>

<a href="java&#x09;script:alert(1)">tab-split link</a>

<details open ontoggle=alert(1)><summary>toggle</summary>content</details>

## Timeline

- 2026-05-01 10:00 UTC: Impact starts {SCRIPT}
- 10:05 UTC: Detected {IMAGE}
- 10:10 UTC: Mitigated {LINK}

| Time | Event |
|---|---|
| 10:20 UTC | Resolved {SCRIPT} {IMAGE} |

## Lessons learned

- **{SCRIPT} lesson**: {IMAGE} text {LINK}
- **Second {IMAGE}**: plain text

## Action items

- [ ] Fix the thing {SCRIPT} @{SCRIPT} (due 2026-06-01)
- [ ] Another {IMAGE} @attacker{IMAGE}
- [x] Done one {LINK}

| Action | Owner | Priority | Due | Status |
|---|---|---|---|---|
| Table item {SCRIPT} | {SCRIPT} | {IMAGE} | 2026-07-01 | Open |
| Second {LINK} | @{IMAGE} | P1 | | Open |

## Notes

```html
{SCRIPT}
```

`{IMAGE}`
"""

# Everything on a page that could run script or leave the page through a javascript: URL.
DANGER_JS = """() => {
    const found = [];
    for (const script of document.querySelectorAll('script')) {
        if ((script.textContent || '').includes('alert') || (script.src || '').includes('alert')) {
            found.push('script: ' + script.outerHTML.slice(0, 120));
        }
    }
    for (const element of document.querySelectorAll('article *, .md-nav *, .md-header *')) {
        for (const attribute of element.attributes) {
            const value = attribute.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
            if (attribute.name.toLowerCase().startsWith('on')) {
                found.push('handler: <' + element.tagName + ' ' + attribute.name + '>');
            } else if (value.startsWith('javascript:') || value.startsWith('vbscript:')) {
                found.push('url: <' + element.tagName + ' ' + attribute.name + '=' + value + '>');
            }
        }
        // pmkb's own charts are SVG (figure.pmkb-chart > svg.pmkb-chart__svg); any other SVG
        // in the content came from an author, which neither raw_html policy lets through.
        if (['IFRAME', 'OBJECT', 'EMBED', 'SVG', 'svg'].includes(element.tagName)
            && element.closest('.md-content')
            && !element.matches('figure.pmkb-chart > svg.pmkb-chart__svg')) {
            found.push('element: ' + element.tagName);
        }
    }
    return found;
}"""

JS_LINKS = """() => Array.from(document.querySelectorAll('a[href], area[href]'))
    .filter(a => a.protocol === 'javascript:')
    .map(a => a.getAttribute('href'))"""


@pytest.fixture(scope="module", params=["escape", "allow"])
def hostile(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, Path, str]]:
    """(policy, base URL, site folder, hostile page path) of a built and served hostile site."""
    policy = request.param
    folder = tmp_path_factory.mktemp(f"hostile-{policy}")
    examples = example_postmortems()
    chosen = {name: examples[name] for name in sorted(examples)[-2:]}
    config = make_knowledge_base(
        folder / "kb",
        {**chosen, "2026-05-01-hostile.md": HOSTILE},
        options={"raw_html": policy},
    )
    site = build_site(config, folder / "site", strict=False)

    from generator.catalog import load_catalog  # noqa: PLC0415
    from generator.config import load_settings  # noqa: PLC0415

    settings = load_settings(config)
    catalog = load_catalog(settings)
    [postmortem] = [p for p in catalog if p.source.endswith("hostile.md")]
    with serve(site) as url:
        yield policy, url, site, f"{settings.url_prefix}/{catalog.slug(postmortem)}/"


def test_no_script_runs_on_any_page_of_a_hostile_knowledge_base(
    page: Any, hostile: tuple[str, str, Path, str], watch: Any
) -> None:
    policy, url, site, hostile_page = hostile
    pages = html_pages(site)
    assert hostile_page in pages
    for path in pages:
        page.goto(urljoin(url, path), wait_until="networkidle")
        # Give handlers that fire late (image errors, toggles) their chance.
        page.locator("article").first.hover()
        page.wait_for_timeout(100)
        assert page.evaluate(DANGER_JS) == [], f"{path} ({policy})"
    assert watch.dialogs == []


def test_no_javascript_link_on_the_hostile_page_and_clicking_links_runs_nothing(
    page: Any, hostile: tuple[str, str, Path, str], watch: Any
) -> None:
    policy, url, _, hostile_page = hostile
    page.goto(urljoin(url, hostile_page), wait_until="networkidle")
    javascript_links = page.evaluate(JS_LINKS)
    for href in javascript_links:
        page.locator(f'a[href="{href}"]').first.click(force=True, no_wait_after=True)
    page.wait_for_timeout(200)
    assert watch.dialogs == []
    assert javascript_links == [], policy


def test_hostile_metadata_is_shown_as_text(page: Any, hostile: tuple[str, str, Path, str]) -> None:
    # Escaped, not dropped: the reader sees what the author wrote in the title and tags.
    policy, url, _, hostile_page = hostile
    page.goto(urljoin(url, hostile_page))
    assert SCRIPT in page.title()
    header = " ".join(page.locator("article").inner_text().split())
    for payload in PAYLOADS:
        assert payload in header, policy
    # The incidents table shows the title as text too, linked to the page.
    page.goto(urljoin(url, "incidents/"))
    link = page.locator("#pmkb-incidents a.pmkb-incident-link", has_text=SCRIPT)
    assert link.count() == 1


def test_search_results_of_a_hostile_knowledge_base_run_no_script(
    page: Any, hostile: tuple[str, str, Path, str], watch: Any
) -> None:
    # Material renders search results as HTML from the search index: a second way in.
    _, url, _, _ = hostile
    page.goto(url)
    for query in ("alert", "onerror", "hostile", "javascript"):
        assert search(page, query) > 0, query
        assert page.evaluate(DANGER_JS) == [], query
    assert watch.dialogs == []
