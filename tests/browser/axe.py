"""``assert_accessible(page)``: axe-core's WCAG 2.0/2.1 A and AA rules, and no sideways scrolling
at 320 px.

axe-core comes from npm (``npm ci --prefix tests/browser``, pinned in ``package-lock.json``) and
is injected with ``page.evaluate``, which the page's Content-Security-Policy does not govern.
"""

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

from tests.services import unavailable

AXE_SCRIPT = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NARROW = 320


@cache
def axe_source() -> str:
    """The axe-core script; skip (fail in CI) when npm has not installed it."""
    if not AXE_SCRIPT.is_file():
        unavailable(f"needs axe-core: run `npm ci --prefix tests/browser` (no {AXE_SCRIPT})")
    return AXE_SCRIPT.read_text()


def describe(violations: list[dict]) -> str:
    """axe-core's findings as a readable list: rule, impact, help, and each offending element."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(node['target'])}: {node['html'][:200]}")
            lines.extend(f"      {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)


# At the given width: how far the page overflows, and the innermost elements sticking out (not
# counting those a scrolling box contains, unless they are positioned out of it).
OVERFLOW_SCRIPT = """width => {
  const scrolls = e => getComputedStyle(e).overflowX !== 'visible';
  const escapes = e => ['absolute', 'fixed'].includes(getComputedStyle(e).position);
  const contained = e => !escapes(e) && [...ancestors(e)].some(scrolls);
  function* ancestors(e) { for (let a = e.parentElement; a; a = a.parentElement) yield a; }
  const out = [...document.body.querySelectorAll('*')]
    .filter(e => e.getBoundingClientRect().right > width + 1 && !contained(e));
  const innermost = out.filter(e => !out.some(other => other !== e && e.contains(other)));
  return {
    overflow: document.documentElement.scrollWidth - width,
    culprits: innermost.slice(0, 5).map(e => e.outerHTML.slice(0, 160)),
  };
}"""


def horizontal_overflow(page: Page, width: int) -> dict:
    """Narrow the window to ``width`` and measure ``OVERFLOW_SCRIPT``; then restore the window."""
    size = page.viewport_size
    page.set_viewport_size({"width": width, "height": size["height"]})
    try:
        return page.evaluate(OVERFLOW_SCRIPT, width)
    finally:
        page.set_viewport_size(size)


def assert_accessible(page: Page) -> None:
    """Zero axe-core violations of WCAG 2.0/2.1 A and AA, and no horizontal scroll at 320 px."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    assert not result["violations"], f"axe-core on {page.url}:\n{describe(result['violations'])}"
    narrow = horizontal_overflow(page, NARROW)
    assert narrow["overflow"] <= 0, (
        f"{page.url} scrolls sideways by {narrow['overflow']}px at {NARROW}px width; sticking out:\n"
        + "\n".join(narrow["culprits"])
    )
