"""Encoding: from the bytes of a postmortem file to clean text.

Postmortems arrive from wikis, chat exports and editors on every platform, so reading them is
forgiving and says what it forgave: a byte-order mark and CRLF line ends are dropped silently;
text that is not UTF-8 is read as Windows-1252 with a warning; mojibake (UTF-8 read as
Windows-1252 somewhere upstream, like the seed's ``âœ…``) is repaired sequence by sequence, so a
line that mixes damaged and correct characters keeps the correct ones. Only a binary file is
refused.
"""

from __future__ import annotations

import re

from ftfy import TextFixerConfig, fix_text

from generator.errors import Diagnostic, Location, Severity

# Only encoding repair: the other fixers of ftfy would rewrite what authors wrote on purpose
# (full-width brackets in Japanese text, curly quotes, HTML entities).
_REPAIR_ONLY = TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=False,
    decode_inconsistent_utf8=True,
    fix_c1_controls=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

# A UTF-8 lead byte seen through Windows-1252 (Â-ô) followed by a continuation byte seen the same
# way. Text without such a pair has no mojibake to repair, and skipping ftfy then keeps reading
# fast.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
BINARY_SAMPLE = 8192
"""How many bytes at the start of a file tell a binary file (one with a NUL byte)."""


def is_binary(data: bytes) -> bool:
    """Return whether bytes are those of a binary file (a NUL byte at the start)."""
    return b"\x00" in data[:BINARY_SAMPLE]


def decode_bytes(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Return the text of a file's bytes, or None for a binary file, with what was forgiven."""
    if is_binary(data):
        return None, [
            make_diagnostic(
                path,
                1,
                "PMK001",
                Severity.ERROR,
                "this is a binary file, not a postmortem; move it out of the postmortems folder",
            )
        ]
    diagnostics: list[Diagnostic] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        text = data.decode("cp1252", errors="replace")
        diagnostics.append(
            make_diagnostic(
                path,
                line,
                "PMK002",
                Severity.WARNING,
                "the file is not UTF-8 (first bad byte on this line); it was read as "
                "Windows-1252: re-save it as UTF-8",
            )
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return repair_mojibake(text), diagnostics


def repair_mojibake(text: str) -> str:
    """Return ``text`` with UTF-8-read-as-Windows-1252 sequences decoded again."""
    if not _MOJIBAKE_HINT.search(text):
        return text
    return fix_text(text, _REPAIR_ONLY)


def make_diagnostic(
    path: str, line: int, code: str, severity: Severity, message: str
) -> Diagnostic:
    """Return a diagnostic at a line of the file being read."""
    return Diagnostic(
        location=Location(path=path, line=line), code=code, severity=severity, message=message
    )
