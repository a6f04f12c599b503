"""The one renderer for user text: Markdown → HTML → bleach allowlist.

User text is stored as written and rendered once, on write, through ``render_markdown``.
Remote (federated) HTML goes through ``sanitize_html``, the same allowlist.
"""

import threading
from functools import partial

import bleach
import markdown
from bleach.linkifier import DEFAULT_CALLBACKS

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "hr", "li",
        "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "abbr": ["title"], "th": ["align"], "td": ["align"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]


def _set_rel(attrs, new=False):
    """Mark every link in user content as user-generated and not endorsed."""
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    filters=[partial(bleach.linkifier.LinkifyFilter, callbacks=[*DEFAULT_CALLBACKS, _set_rel])],
)


def sanitize_html(html: str) -> str:
    """Reduce any HTML to the allowlist; links get ``rel="nofollow ugc noopener"``."""
    return _cleaner.clean(html)


_local = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's Markdown converter, reset: building one costs more than converting a post."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(
            extensions=MARKDOWN_EXTENSIONS, output_format="html"
        )
    return converter.reset()


def render_markdown(text: str) -> str:
    """Render user Markdown to safe HTML. Headings start at h2 (the page owns h1)."""
    html = _converter().convert(text or "")
    html = _shift_headings(html)
    return sanitize_html(html)


def _shift_headings(html: str) -> str:
    # A user's "# Title" must not compete with the page's own h1; h1..h3 become h2..h4.
    for level in (3, 2, 1):
        html = html.replace(f"<h{level}", f"<h{level + 1}").replace(f"</h{level}>", f"</h{level + 1}>")
    return html
