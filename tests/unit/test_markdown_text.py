"""Untrusted text for Streamlit Markdown: shown as typed, never as a link, image or icon.

Streamlit (1.67) resolves Markdown escapes first and only then looks for bare URLs,
``www.`` hosts, e-mail addresses and ``:material/…:``/``:streamlit:``/``:emoji:`` codes
in the resulting text. ``as_rendered`` undoes exactly what CommonMark undoes (the
backslash escapes), so the patterns below are the ones Streamlit's plugins would see.
"""

from __future__ import annotations

import re

import pytest

from lib.ui.widgets import markdown_text

HOSTILE = [
    "[Re-enter your key here](https://evil.test/login)",
    "![pixel](https://evil.test/p.png)",
    "<img src=https://evil.test/p.png>",
    "https://evil.test/bare and HTTP://EVIL.TEST/upper",
    "www.evil.test and WWW.Evil.test",
    "boss@evil.test, mailto:boss@evil.test",
    ":material/warning: :streamlit: :smile: :red[red] :red-badge[badge] :help[x]",
    "**bold** _it_ `code` ~~gone~~ $x^2$ $$y$$",
    "# heading\n> quote\n- item\n1. one\n===\n| a | b |",
    "&lt;b&gt; &#58;material/home&#58;",
]

# What Streamlit's text-node plugins match (GFM autolink literals, material icons, the
# Streamlit logo, emoji shortcodes); the HTML/Markdown link and image syntax before escapes.
_AUTOLINK = re.compile(r"https?://|www\.|[-.\w+]+@[-\w]+\.", re.IGNORECASE)
_ICON = re.compile(r":material[/_]\w+:|:streamlit:|:[\w+-]+:")


def as_rendered(markdown: str) -> str:
    """The text CommonMark makes of ``markdown``: backslash escapes of punctuation resolved."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_has_no_markdown_syntax_left(value: str) -> None:
    shown = markdown_text(value)
    # Every ASCII punctuation mark is escaped: no link, image, HTML, emphasis or block.
    assert not re.search(r"[!-/:-@\[-`{-~]", re.sub(r"\\[!-/:-@\[-`{-~]", "", shown))


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_gives_no_autolink_or_icon_after_the_escapes(value: str) -> None:
    text = as_rendered(markdown_text(value))
    assert not _AUTOLINK.search(text)
    assert not _ICON.search(text)


@pytest.mark.parametrize("value", HOSTILE)
def test_it_still_reads_as_typed(value: str) -> None:
    visible = as_rendered(markdown_text(value)).replace("\u2060", "")
    assert visible == " ".join(value.split())


def test_plain_names_and_numbers_are_unchanged() -> None:
    assert markdown_text("Lovetoy Trading") == "Lovetoy Trading"
    assert markdown_text("ORD-2025-000123") == r"ORD\-2025\-000123"
    assert as_rendered(markdown_text("ORD-2025-000123")) == "ORD-2025-000123"


def test_line_breaks_and_control_characters_do_not_reach_the_page() -> None:
    assert markdown_text("one\n\ntwo\r\n\tthree\x00\x1b") == "one two three"
    assert markdown_text(None) == "None"
