"""The light and dark switch in the header, which pmkb's palette.js works in place of Material's.

pmkb keeps Material's switch (its template, inputs and stored choice) and sets the colours only
when they change (``generator/theme/partials/palette.html`` says why). A reader's choice holds on
every next page, applied by Material's own script in the header before the page is drawn: the
stored choice must stay in Material's form.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser

SWITCH = "form[data-pmkb-palette]"


def scheme(page: Any) -> str:
    """Return the colour scheme the page is drawn in (Material's ``default`` or ``slate``)."""
    value: str = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    return value


def visible_toggles(page: Any) -> list[str]:
    """Return the names of the switch's toggles a reader can see."""
    return [
        label.get_attribute("title") or ""
        for label in page.locator(f"{SWITCH} label").all()
        if label.is_visible()
    ]


def test_the_switch_turns_the_site_dark_and_the_next_pages_stay_dark(
    page: Any, example_url: str
) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(example_url)
    assert scheme(page) == "default"
    assert visible_toggles(page) == ["Dark mode"]

    page.locator(f"{SWITCH} label:visible").click()
    assert scheme(page) == "slate"
    assert visible_toggles(page) == ["Light mode"]
    # The browser's own colours follow (form controls, a phone's address bar).
    page.wait_for_function("document.querySelector('meta[name=color-scheme]')?.content === 'dark'")
    theme_color = page.locator("meta[name=theme-color]").get_attribute("content")
    assert re.fullmatch(r"#[0-9a-f]{6}", theme_color or "")

    # The next page is dark from its first paint: Material's script in the header reads the
    # stored choice, before palette.js (left out here) has run.
    empty = {"body": "", "content_type": "text/javascript"}
    page.route("**/palette.js", lambda route: route.fulfill(**empty))
    page.goto(example_url + "lessons/")
    assert scheme(page) == "slate"
    page.unroute("**/palette.js")

    # From the keyboard: Enter on the switch goes to the next option.
    page.goto(example_url + "actions/")
    assert visible_toggles(page) == ["Light mode"]
    page.locator(f"{SWITCH} input:checked").focus()
    page.keyboard.press("Enter")
    assert scheme(page) == "default"
    assert visible_toggles(page) == ["Dark mode"]


def test_a_first_visit_follows_a_dark_system(page: Any, example_url: str) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto(example_url)
    assert scheme(page) == "slate"
    assert visible_toggles(page) == ["Light mode"]
