"""Slugs: the one place where text becomes a file or URL name.

A slug is made of ASCII letters, digits, ``-`` and ``_`` only, so it can never climb out of the
folder it is joined to (no ``/``, no ``..``), whatever the title or id it came from. Text with no
ASCII letters or digits at all (a Japanese title, say) gets a short stable hash instead of an
empty name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_UNSAFE = re.compile(r"[^a-z0-9_]+")
MAX_LENGTH = 80


def slugify(text: str, *, max_length: int = MAX_LENGTH) -> str:
    """Return a safe, lower-case, hyphenated slug of ``text`` (never empty)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE.sub("-", ascii_text.lower()).strip("-_")
    if len(slug) > max_length:
        slug = slug[:max_length].rstrip("-_")
    if not slug:
        slug = "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]  # noqa: S324
    return slug


def claim_slug(slug: str, taken: set[str]) -> str:
    """Return ``slug``, or the first of ``slug-2``, ``slug-3`` ... not in ``taken``, and take it.

    Every name that must be unique among its neighbours (page names, anchors on one page) is
    claimed this way, so that no two ever collide, whatever the texts they came from.
    """
    unique, number = slug, 1
    while unique in taken:
        number += 1
        unique = f"{slug}-{number}"
    taken.add(unique)
    return unique
