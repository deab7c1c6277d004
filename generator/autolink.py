"""Autolinks: GitHub's bare ``www.``/``http(s)://`` URLs and e-mail addresses, in linear time.

mdit-py-plugins' ``gfm_autolink`` rules copy the rest of the paragraph at every ``:``, ``@`` and
``www.``, and search all the text pending since the last token for a protocol name, so one long
paragraph (a pasted log) took time growing with its square: 200,000 words, two minutes. These
are the same three rules, deciding with the plugin's own matchers what a link is, but each looks
at a bounded window: the few characters before the trigger, and at most :data:`MAX_LINK`
characters after it. A would-be link that fills the whole window is left as text, rather than
linked cut short.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

# Private, but pinned with mdit-py-plugins (<0.8): what a link is stays GitHub's definition.
from mdit_py_plugins.gfm_autolink._match import (
    check_prev,
    match_any_email,
    match_http,
    match_www,
)

MAX_LINK = 4096
"""The longest bare URL or e-mail address made a link (characters)."""

_PROTOCOL = re.compile(r"(https?|mailto|xmpp)\Z")
_PROTOCOL_TAIL = len("mailto") + 1
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_")


def autolink_plugin(md: MarkdownIt) -> None:
    """Enable GitHub's autolinks (the ``gfm_autolink`` extension), in linear time."""
    md.inline.add_terminator_char("w")
    md.inline.ruler.push("gfm_autolink_www", _www_rule)
    md.inline.ruler.push("gfm_autolink_protocol", _protocol_rule)
    md.inline.ruler.push("gfm_autolink_email", _email_rule)


def _window(state: StateInline, start: int) -> tuple[str, bool]:
    """Return the text from ``start`` (at most :data:`MAX_LINK`), and whether it was cut."""
    end = min(state.posMax, start + MAX_LINK)
    return state.src[start:end], end < state.posMax


def _push_link(state: StateInline, back: int, length: int, url: str, text: str) -> bool:
    """Emit a link over ``back`` pending characters and ``length - back`` characters ahead."""
    full_url = state.md.normalizeLink(url)
    if not state.md.validateLink(full_url):
        return False
    if back:
        state.pending = state.pending[:-back]
    token = state.push("link_open", "a", 1)
    token.attrs = {"href": full_url}
    token.markup = "autolink"
    token.info = "auto"
    token = state.push("text", "", 0)
    token.content = state.md.normalizeLinkText(text)
    token = state.push("link_close", "a", -1)
    token.markup = "autolink"
    token.info = "auto"
    state.pos += length - back
    return True


def _preceding_ok(state: StateInline, back: int) -> bool:
    start = state.pos - back
    return start <= 0 or check_prev(state.src[start - 1])


def _www_rule(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    if silent or state.linkLevel > 0 or not state.src.startswith("www.", pos):
        # Autolinks are made only when emitting tokens (as in the plugin, #160 there).
        return False
    if pos + 4 > state.posMax:
        return False
    previous = state.pending[-1:] or (state.src[pos - 1] if pos > 0 else "")
    if previous and not check_prev(previous):
        return False
    text, cut = _window(state, pos)
    found = match_www(text)
    if found is None or (cut and found[1] >= len(text) - 1):
        return False
    url, length = found
    return _push_link(state, 0, length, url, text[:length])


def _protocol_rule(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    if silent or state.linkLevel > 0 or state.src[pos] != ":" or pos + 4 > state.posMax:
        return False
    match = _PROTOCOL.search(state.pending[-_PROTOCOL_TAIL:])
    if match is None:
        return False
    protocol = match.group(1)
    back = len(protocol)
    if not _preceding_ok(state, back):
        return False
    rest, cut = _window(state, pos)
    combined = protocol + rest
    if protocol in ("mailto", "xmpp"):
        found = match_any_email(combined, back + 1, protocol)
    else:
        found = match_http(combined)
    if found is None or (cut and found[1] >= len(combined) - 1):
        return False
    url, length = found
    return _push_link(state, back, length, url, combined[:length])


def _email_rule(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    if silent or state.linkLevel > 0 or state.src[pos] != "@" or pos + 1 >= state.posMax:
        return False
    local = _local_part(state.pending)
    if not local or not _preceding_ok(state, len(local)):
        return False
    after, cut = _window(state, pos + 1)
    length = _domain_length(after)
    if length is None or (cut and length >= len(after) - 1):
        return False
    address = local + "@" + after[:length]
    return _push_link(state, len(local), len(address), "mailto:" + address, address)


def _local_part(pending: str) -> str:
    """Return the e-mail local part that ends the pending text (at most :data:`MAX_LINK`)."""
    start = len(pending)
    limit = max(0, start - MAX_LINK)
    while start > limit and pending[start - 1] in _LOCAL_CHARS:
        start -= 1
    if start == limit and limit > 0:
        return ""  # longer than any address: not one
    return pending[start:]


def _domain_length(after: str) -> int | None:
    """Return the length of the e-mail domain at the start of ``after`` (GitHub's rules)."""
    length = 0
    periods = 0
    for index, char in enumerate(after):
        if char.isascii() and char.isalnum():
            pass
        elif char == "@":
            return None
        elif (
            char == "."
            and index + 1 < len(after)
            and after[index + 1].isascii()
            and after[index + 1].isalnum()
        ):
            periods += 1
        elif char not in "-_":
            break
        length += 1
    if length == 0 or periods == 0:
        return None
    last = after[length - 1]
    if not (last.isascii() and last.isalnum()) and last != ".":
        return None
    return length
