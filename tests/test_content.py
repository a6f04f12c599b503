"""The one renderer: Markdown in, only allowlisted HTML out."""

import pytest

from stadtnetz.content import render_markdown, sanitize_html


def test_markdown_is_rendered_with_headings_below_the_page_title():
    html = render_markdown("# Ausgangslage\n\nDie **Innenstadt** hat *Leerstand*.")
    assert html.startswith("<h2>Ausgangslage</h2>")
    assert "<strong>Innenstadt</strong>" in html
    assert "<em>Leerstand</em>" in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[klick](javascript:alert(1))",
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<iframe src="https://example.org"></iframe>',
        '<p style="position:fixed">x</p>',
    ],
)
def test_dangerous_markup_never_survives(attack):
    html = render_markdown(attack)
    for forbidden in ("<script", "onerror", "javascript:", "data:", "<iframe", "style=", "<img"):
        assert forbidden not in html


def test_links_are_marked_as_user_content():
    html = render_markdown("Mehr unter [Stadtretter](https://die-stadtretter.de) und https://leerstand.de")
    assert html.count('rel="nofollow ugc noopener"') == 2
    assert 'href="https://die-stadtretter.de"' in html
    assert 'href="https://leerstand.de"' in html


def test_remote_html_goes_through_the_same_allowlist():
    html = sanitize_html('<p>Hallo <a href="https://a.example" rel="me">A</a><script>x()</script></p>')
    assert html == '<p>Hallo <a href="https://a.example" rel="nofollow ugc noopener">A</a>x()</p>'


def test_tables_and_code_from_markdown_extra_are_kept():
    html = render_markdown("| Kennzahl | Wert |\n|---|---|\n| Leerstand | 12 % |\n\n`code`")
    assert "<table>" in html and "<th>Kennzahl</th>" in html and "<code>code</code>" in html


def test_empty_text_renders_to_nothing():
    assert render_markdown("") == ""
