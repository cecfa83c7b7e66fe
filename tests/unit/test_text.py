"""HTML from status pages to the text a reader would see, and text made safe for a terminal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from traywatch.core.text import plain_text, without_controls


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("a < b and c > d", "a < b and c > d"),
        ("x<5 and 3 > 2", "x<5 and 3 > 2"),
        ("<script>alert('x')</script>Fixed.", "Fixed."),
        ("<style>p { color: red }</style><p>Fixed.</p>", "Fixed."),
        ("<iframe src='https://evil.test'>fallback</iframe>Fixed.", "Fixed."),
        ("<noscript>no</noscript><template><p>t</p></template>ok", "ok"),
        ("<script>never closed", ""),
        ("&amp;lt;b&amp;gt; is decoded once", "&lt;b&gt; is decoded once"),
        ("&lt;script&gt; stays text", "<script> stays text"),
        ("caf&eacute; &#8212; &#x2713;", "café — ✓"),
        ("line one\nline two\n\n\nline three", "line one\nline two\nline three"),
        ("<p>One</p><p>Two<br>Three</p>", "One\nTwo\nThree"),
        ("Affected:<ul><li>Apps</li><li>API</li></ul>Next", "Affected:\n• Apps\n• API\nNext"),
        (
            "See <a href='https://s.test/i/1'>the incident</a>.",
            "See the incident (https://s.test/i/1).",
        ),
        ("<a href='https://s.test/'>https://s.test/</a>", "https://s.test/"),
        ("<a href='https://s.test/'></a>", "https://s.test/"),
        ("<a href='javascript:alert(1)'>click</a>", "click"),
        ("<a href=' JavaScript:alert(1)'>click</a>", "click"),
        ("<a href='data:text/html,x'>data</a>", "data"),
        ("<img src='https://evil.test/p.png' alt='pixel'>text", "text"),
        ("<b>Bold</b>, <em>emphasis</em> and <i>italics</i>", "Bold, emphasis and italics"),
        ("<![weird[ x ]]> after", "after"),
        ("<!-- a comment --> visible", "visible"),
        (None, ""),
        (42, ""),
    ],
)
def test_plain_text(html: object, text: str) -> None:
    assert plain_text(html) == text


@given(st.text())
def test_plain_text_takes_anything(value: str) -> None:
    text = plain_text(value)
    assert text == text.strip()
    assert "\n\n" not in text


@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<a href='javascript:x'>",
                "<a href=https://a.test>",
                "</a>",
                "<ul><li>",
                "</li>",
                "<br/>",
                "&amp;",
                "&lt;",
                "<![x[",
                "<!--",
                "-->",
                "a < b",
                "<div ",
                ">",
                "text",
                "\n",
            ]
        )
        | st.text(max_size=5)
    ).map("".join),
    st.text(min_size=1, max_size=10).filter(lambda s: "<" not in s and "&" not in s),
)
def test_script_and_style_text_never_shows(prefix: str, secret: str) -> None:
    for element in ("script", "style", "iframe"):
        text = plain_text(f"<{element}>{secret}</{element}>{prefix}")
        if secret.strip() and secret.strip() not in plain_text(prefix):
            assert secret.strip() not in text


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("\x1b]0;pwned\x07title", "]0;pwnedtitle"),
        ("\x1b]8;;https://evil.test\x1b\\link\x1b]8;;\x1b\\", "]8;;https://evil.test\\link]8;;\\"),
        ("\x1b[2Jclear", "[2Jclear"),
        ("\x9b31mred", "31mred"),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
        ("carriage\rreturn", "carriagereturn"),
        ("del\x7f", "del"),
    ],
)
def test_without_controls(raw: str, safe: str) -> None:
    assert without_controls(raw) == safe


@given(st.text())
def test_no_control_character_survives(value: str) -> None:
    assert not [c for c in without_controls(value) if ord(c) < 0x20 and c not in "\t\n"]
    assert not [c for c in without_controls(value) if 0x7F <= ord(c) <= 0x9F]
