"""Author Markdown to HTML under both raw-HTML policies: what shows as text stays text.

The browser tests see a script run; these see, without a browser, the HTML that would let it:
every expected string is written by hand.
"""

from __future__ import annotations

import random

import pytest

from generator import markup
from generator.html_sanitizer import escape_html, is_relative_url, is_safe_url, sanitize_html
from generator.markup import (
    UNPUBLISHED_URL,
    MarkupRenderer,
    escape_markdown,
    plain_text,
    solid_html,
)
from generator.settings import RawHtml

BOTH = pytest.mark.parametrize("policy", list(RawHtml), ids=lambda policy: policy.value)


def block(policy: RawHtml, markdown: str) -> str:
    return MarkupRenderer(policy).block(markdown)


# Text and code show what the author typed, whatever the policy.


@BOTH
def test_a_fenced_script_is_shown_as_code(policy: RawHtml) -> None:
    html = block(policy, "```html\n<script>alert(1)</script>\n<img src=x onerror=alert(2)>\n```")
    assert html == (
        '<pre><code class="language-html">&lt;script&gt;alert(1)&lt;/script&gt;\n'
        "&lt;img src=x onerror=alert(2)&gt;\n</code></pre>"
    )


@BOTH
def test_an_indented_code_block_is_shown_as_code(policy: RawHtml) -> None:
    assert block(policy, "    <iframe src=x></iframe>") == (
        "<pre><code>&lt;iframe src=x&gt;&lt;/iframe&gt;\n</code></pre>"
    )


@BOTH
def test_inline_code_with_markup_is_text(policy: RawHtml) -> None:
    assert block(policy, "Use `<b>` & `a<b`, never `</p>`.") == (
        "<p>Use <code>&lt;b&gt;</code> &amp; <code>a&lt;b</code>, "
        "never <code>&lt;/p&gt;</code>.</p>"
    )


@BOTH
def test_entities_stay_text_and_never_become_markup(policy: RawHtml) -> None:
    assert block(policy, "&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;</p>"
    )


@BOTH
def test_a_backslash_escaped_tag_is_text(policy: RawHtml) -> None:
    assert block(policy, r"a \<script>alert(1)\</script> b") == (
        "<p>a &lt;script&gt;alert(1)&lt;/script&gt; b</p>"
    )


@BOTH
def test_comparisons_and_ampersands_in_prose_are_escaped(policy: RawHtml) -> None:
    html = block(policy, "p99 < 200 ms && errors > 5%")
    assert html == "<p>p99 &lt; 200 ms &amp;&amp; errors &gt; 5%</p>"


@BOTH
def test_backticks_never_reach_the_page_as_backticks(policy: RawHtml) -> None:
    # Python-Markdown would read a backtick inside the raw HTML as code again.
    assert block(policy, "a lone ` tick") == "<p>a lone &#96; tick</p>"
    assert "`" not in block(policy, "```\n`x`\n```\n\n``a ` b``")


@BOTH
def test_inline_markdown_has_no_paragraph(policy: RawHtml) -> None:
    renderer = MarkupRenderer(policy)
    assert renderer.inline("**Owner** <@ann> & `x<y`") == (
        "<strong>Owner</strong> &lt;@ann&gt; &amp; <code>x&lt;y</code>"
    )


# Raw HTML: text under "escape", cleaned under "allow".


def test_escape_shows_raw_html_as_written() -> None:
    assert block(RawHtml.ESCAPE, '<b>bold</b> <a href="https://example.org">x</a>') == (
        "<p>&lt;b&gt;bold&lt;/b&gt; &lt;a href=&quot;https://example.org&quot;&gt;x&lt;/a&gt;</p>"
    )
    assert block(RawHtml.ESCAPE, "<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


def test_allow_keeps_harmless_html() -> None:
    markdown = "<details><summary>More</summary>\n\nHidden <b>text</b>\n\n</details>"
    html = block(RawHtml.ALLOW, markdown)
    assert html == "<details><summary>More</summary>\n<p>Hidden <b>text</b></p>\n</details>"


def test_allow_drops_scripts_with_their_content() -> None:
    assert block(RawHtml.ALLOW, "<script>alert(1)</script>after") == "after"
    assert block(RawHtml.ALLOW, "<style>p{}</style><svg><script>alert(1)</script></svg>ok") == "ok"
    assert block(RawHtml.ALLOW, "x <noscript><p>in</p></noscript> y") == "<p>x  y</p>"


def test_allow_drops_handlers_and_script_urls_and_escapes_attribute_values() -> None:
    html = block(
        RawHtml.ALLOW,
        '<a href="JaVa\tscript:alert(1)" onclick="alert(2)" title=\'"><script>x\'>a</a> '
        "<img src=x ONERROR=alert(3) srcdoc=y alt=ok>",
    )
    assert html == '<p><a title="&quot;&gt;&lt;script&gt;x">a</a> <img src="x" alt="ok"></p>'


def test_allow_prefixes_author_ids_and_drops_stray_closing_tags() -> None:
    assert block(RawHtml.ALLOW, '<div id="pmkb-incidents"><p>in</p></div></div></main>') == (
        '<div id="user-content-pmkb-incidents"><p>in</p></div>'
    )
    assert block(RawHtml.ALLOW, "<span>open") == "<p><span>open</span></p>"


def test_allow_drops_comments_that_plugins_would_act_on() -> None:
    assert block(RawHtml.ALLOW, "<!-- material/tags -->\n\ntext") == "<p>text</p>"


@BOTH
def test_markdown_links_to_script_urls_stay_text(policy: RawHtml) -> None:
    html = block(policy, "[a](javascript:alert(1)) ![i](data:text/html,x) [ok](https://x.example)")
    assert html == (
        '<p>[a](javascript:alert(1)) ![i](data:text/html,x) <a href="https://x.example">ok</a></p>'
    )


@BOTH
def test_relative_urls_are_rewritten_and_others_are_not(policy: RawHtml) -> None:
    renderer = MarkupRenderer(policy)
    html = renderer.block(
        "![graph](img/a.png) [other](other.md) [web](https://x.example/a.png) [top](#top)",
        rewrite=lambda url: f"../{url}",
    )
    closed = " />" if policy is RawHtml.ESCAPE else ">"  # the sanitiser writes void tags bare
    assert html == (
        f'<p><img src="../img/a.png" alt="graph"{closed} <a href="../other.md">other</a> '
        '<a href="https://x.example/a.png">web</a> <a href="#top">top</a></p>'
    )


def test_allow_rewrites_relative_urls_of_raw_html_too() -> None:
    html = MarkupRenderer(RawHtml.ALLOW).block(
        '<img src="img/a.png" alt="a"> <a href="/root">r</a>', rewrite=lambda url: f"../{url}"
    )
    assert html == '<p><img src="../img/a.png" alt="a"> <a href="/root">r</a></p>'


def test_reference_links_work_across_passages() -> None:
    renderer = MarkupRenderer(RawHtml.ESCAPE)
    references = renderer.references("Intro.\n\n[runbook]: https://x.example/runbook\n")
    assert renderer.block("See the [runbook].", references=references) == (
        '<p>See the <a href="https://x.example/runbook">runbook</a>.</p>'
    )
    assert renderer.references("No definitions here.") == {}


# The helpers under them.


def test_sanitize_html_closes_what_is_left_open_in_order() -> None:
    assert sanitize_html("<ul><li><b>a") == "<ul><li><b>a</b></li></ul>"
    assert sanitize_html("<p>a<br>b<hr/>c</p>") == "<p>a<br>b<hr>c</p>"


def test_sanitize_html_resumes_after_a_dropped_element() -> None:
    assert sanitize_html("<form><b>in</b></form><b>out</b>") == "<b>out</b>"
    assert sanitize_html("<object><embed src=x><p>in</p></object>after") == "after"


def test_escape_html_escapes_quotes_and_backticks() -> None:
    assert escape_html("""<a href="x" title='y'>`&""") == (
        "&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;&#96;&amp;"
    )


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Search *down* #1", r"Search \*down\* \#1"),
        ("- not a list", r"\- not a list"),
        ("+ not a list", r"\+ not a list"),
        ("1. not a list", r"1\. not a list"),
        ("12) not a list", r"12\) not a list"),
        ("a <b> & c", "a &lt;b&gt; &amp; c"),
        ("two\nlines  here", "two lines here"),
        ("[x](y) `z` {a} |b| !c >d _e_ \\", r"\[x\]\(y\) \`z\` \{a\} \|b\| \!c &gt;d \_e\_ \\"),
        ("plain 'quoted' \"text\"", "plain 'quoted' \"text\""),
        ("2025 - done", "2025 - done"),
    ],
)
def test_escape_markdown(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://x.example", True),
        ("relative/path.md", True),
        ("#anchor", True),
        ("javascript:alert(1)", False),
        (" JaVa\tScRiPt:alert(1)", False),
        ("java\x00script:x", False),
        ("vbscript:x", False),
        ("data:text/html,x", False),
        ("file:///etc/passwd", False),
        ("mailto:a@x.example", True),
    ],
)
def test_is_safe_url(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


@pytest.mark.parametrize(
    ("url", "relative"),
    [
        ("img/a.png", True),
        ("../other.md", True),
        ("a.md#part", True),
        ("", False),
        ("/root.md", False),
        ("#part", False),
        ("?q=1", False),
        ("https://x.example", False),
        ("mailto:a@x.example", False),
        ("C:relative", False),
    ],
)
def test_is_relative_url(url: str, relative: bool) -> None:
    assert is_relative_url(url) is relative


def test_solid_html_has_no_blank_line_and_keeps_code_blank_lines() -> None:
    html = "<p>a</p>\n\n  \n<pre><code>x\n\n  \ny\n</code></pre>\n\n<p>b</p>\n\n"
    # In code, each empty line's newline is an entity: the same text, no blank line.
    assert solid_html(html) == "<p>a</p>\n<pre><code>x&#10;&#10;  \ny\n</code></pre>\n<p>b</p>"
    assert solid_html("  <p>one</p>\n") == "<p>one</p>"
    # A line of spaces ends a raw HTML block too.
    assert solid_html("<p>a</p>\n  \n<p>b</p>") == "<p>a</p>\n<p>b</p>"


@pytest.mark.parametrize(
    ("inline", "text"),
    [
        ("**Owner**: [Ann](https://x.example) `id`", "Owner: Ann id"),
        ("~~old~~ new ![chart](c.png)", "old new chart"),
        ("line one\nline two  \nthree", "line one line two three"),
        ("<b>raw</b> stays", "<b>raw</b> stays"),
        ("", ""),
    ],
)
def test_plain_text_is_what_an_inline_snippet_shows(inline: str, text: str) -> None:
    assert plain_text(inline) == text


# From the mutation pass: behaviours no test pinned down.


def test_sanitize_html_resumes_after_an_unclosed_element_inside_a_dropped_one() -> None:
    assert sanitize_html("<svg><g>in</svg>after") == "after"


def test_sanitize_html_drops_attributes_whose_names_are_not_names() -> None:
    assert sanitize_html('<p a"b=1 c=2 d<e=3>x</p>') == '<p c="2">x</p>'


def test_sanitize_html_prefixes_every_author_id_name_and_label_target_once() -> None:
    assert sanitize_html(
        '<label for="q">L</label><a name="top">t</a><i id="user-content-k">k</i>'
    ) == (
        '<label for="user-content-q">L</label><a name="user-content-top">t</a>'
        '<i id="user-content-k">k</i>'
    )


def test_inline_markdown_follows_reference_links_of_the_document() -> None:
    renderer = MarkupRenderer(RawHtml.ESCAPE)
    references = renderer.references("[rb]: https://x.example/rb\n")
    assert renderer.inline("see [rb]", references=references) == (
        'see <a href="https://x.example/rb">rb</a>'
    )


# From the second mutation pass.


def test_allow_closes_a_self_closed_element_at_once() -> None:
    # HTML ignores the slash: a bare "<div>" would hold the rest of the page.
    assert block(RawHtml.ALLOW, "<div/>\n\ntext") == "<div></div>\n<p>text</p>"
    assert block(RawHtml.ALLOW, "a <span/> b <br/> c") == "<p>a <span></span> b <br> c</p>"


def test_allow_drops_each_closed_form_and_only_the_mention_of_an_unclosed_one() -> None:
    html = block(
        RawHtml.ALLOW,
        "First <form>x</form> kept, <form>y</form> kept too, then the <form> was removed.",
    )
    assert html == "<p>First  kept,  kept too, then the  was removed.</p>"


def test_allow_drops_a_dropped_element_up_to_its_own_closing_tag() -> None:
    html = block(RawHtml.ALLOW, "Text <form><b>x</b> still in the form</form> after")
    assert html == "<p>Text  after</p>"


def test_inline_markdown_rewrites_relative_links_and_unlinks_unpublished_pages() -> None:
    def rewrite(url: str) -> str:
        return "../b/" if url == "b.md" else UNPUBLISHED_URL

    html = MarkupRenderer(RawHtml.ESCAPE).inline("see [b](b.md) and [u](u.md)", rewrite=rewrite)
    assert html == 'see <a href="../b/">b</a> and u'


def rewrite_for_page(url: str) -> str:
    return UNPUBLISHED_URL if url.startswith("gone") else f"../{url}"


@BOTH
def test_reference_links_to_files_defined_elsewhere_are_rewritten_for_the_page(
    policy: RawHtml,
) -> None:
    renderer = MarkupRenderer(policy)
    whole = "Intro.\n\n[rb]: other.md\n[gone]: gone.md\n[web]: https://x.example/a\n"
    references = renderer.references(whole)
    html = renderer.block(
        "See [rb], [gone] and [web].", references=references, rewrite=rewrite_for_page
    )
    assert html == (
        '<p>See <a href="../other.md">rb</a>, gone and <a href="https://x.example/a">web</a>.</p>'
    )
    # The document's definitions stay as written, for the next page.
    html = renderer.block("See [rb].", references=references)
    assert html == '<p>See <a href="other.md">rb</a>.</p>'
    assert renderer.references(whole) == references
    # A passage's own definition is rewritten once, like an inline link.
    html = renderer.block(
        "See [own].\n\n[own]: own.md\n", references=references, rewrite=rewrite_for_page
    )
    assert html == '<p>See <a href="../own.md">own</a>.</p>'


@BOTH
def test_task_lists_show_checkboxes_a_reader_cannot_tick(policy: RawHtml) -> None:
    assert block(policy, "- [ ] rotate the keys\n- [x] page the owner") == (
        '<ul class="contains-task-list">\n'
        '<li class="task-list-item"><input class="task-list-item-checkbox" disabled=""'
        ' type="checkbox"> rotate the keys</li>\n'
        '<li class="task-list-item"><input class="task-list-item-checkbox" disabled=""'
        ' type="checkbox" checked=""> page the owner</li>\n</ul>'
    )


@BOTH
def test_alerts_and_single_tilde_strikethrough_render_as_on_github(policy: RawHtml) -> None:
    assert block(policy, "> [!WARNING]\n> Disk ~full~ low") == (
        '<div class="markdown-alert markdown-alert-warning">\n'
        '<p class="markdown-alert-title">Warning</p>\n<p>Disk <s>full</s> low</p>\n</div>'
    )


def test_deeply_nested_quotes_render_up_to_fifty_levels() -> None:
    assert block(RawHtml.ESCAPE, "> " * 30 + "deep").count("<blockquote>") == 30
    assert block(RawHtml.ESCAPE, "> " * 60 + "deep").count("<blockquote>") == 50


def test_plain_text_is_written_out_as_markdown_it_would_show_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Sentences skip markdown-it; anything it would read as Markdown still goes through it."""
    pieces = [*"ab Zé本—:.-1\"'()!?#=+$%^", "\n", "  ", " \n", "\n ", "\t", "\u2028", "\x85", "\r"]
    pieces += ["http", "https://x.io", "www.", "mailto", "HTTP:", "A", "\n1. ", "\n- ", "\n==="]
    generator = random.Random(9)
    texts = [
        "".join(generator.choice(pieces) for _ in range(generator.randint(1, 14)))
        for _ in range(20_000)
    ]
    texts += ["Rolled back at 10:40: errors fell", 'The "safe" flag — 本番', "A\nB\nC"]
    renderer = MarkupRenderer(RawHtml.ESCAPE)
    shortcut = [text for text in texts if markup.is_plain_text(text)]
    written = [(renderer.block(text), renderer.inline(text)) for text in texts]
    monkeypatch.setattr(markup, "is_plain_text", lambda text: False)
    assert written == [(renderer.block(text), renderer.inline(text)) for text in texts]
    assert len(shortcut) > 500
    assert renderer.block('The "safe" flag — 本番') == "<p>The &quot;safe&quot; flag — 本番</p>"
