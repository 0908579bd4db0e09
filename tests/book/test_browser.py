"""The built book in a real browser: Debian's Chromium, headless, driven by Playwright.

The HTML is served on 127.0.0.1 and every request elsewhere is blocked, so a
page that needs the internet (MathJax from a CDN, say) fails here as it would
offline. Each page of _toc.yml is visited once; the checks below read what
that visit recorded. Screenshots go to _build/screenshots/.

The layout is measured on every page at a desktop and a phone width
(``LAYOUT_WIDTHS``): nothing in the article reaches under the right-hand
sidebar, no page scrolls sideways as a whole, every table sits in a scroll box
of its own, one search box shows, no cell is cut off and every hash is shown in
full, in monospace. Each measurement is also run once on a page whose layout
was broken on purpose, to show that it can fail.

Without Chromium the tests skip and say how to install it; under CI=true they fail.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections import Counter
from contextlib import contextmanager
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag

import pytest
import yaml

from analysis import paths
from compendium import chapters
from compendium.chromium import FLAGS, ChromiumNotFoundError, find_chromium

pytestmark = pytest.mark.slow
LOCAL_HOST = "127.0.0.1"
PAGE_TIMEOUT_MS = 60_000
SEARCH_WORD_MIN_LENGTH = 7
LAYOUT_WIDTHS = (1280, 390)  # CSS px: a laptop, a phone
LAYOUT_HEIGHT = 900
HTML_BUDGET_BYTES = 10_000_000  # the whole HTML folder, MathJax included when a page has maths


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"under CI=true the browser tests must run, but {reason}")
    pytest.skip(reason)


def _page_path(entry: str) -> str:
    return f"{Path(entry).with_suffix('')}.html"


# ---- serving ------------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


@contextmanager
def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 at a free port; yields the base URL."""
    server = ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _Anchors(HTMLParser):
    """Every id (and <a name>) of an HTML document."""

    def __init__(self):
        super().__init__()
        self.anchors: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == "id" or (tag == "a" and key == "name"):
                self.anchors.add(value)


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


# ---- fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Path:
    try:
        return find_chromium()
    except ChromiumNotFoundError as error:
        _unavailable(str(error))


@pytest.fixture(scope="module")
def browser(chromium):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed; install the project with pip install -e '.[test]'")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=list(FLAGS))
        yield launched
        launched.close()


def _new_page(browser, base: str, problems: list[str], width: int = LAYOUT_WIDTHS[0]):
    """A page that blocks every request off this machine and logs errors into ``problems``."""
    context = browser.new_context(viewport={"width": width, "height": LAYOUT_HEIGHT})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)

    def route(request_route):
        url = request_route.request.url
        if url.startswith(base) or url.startswith("data:") or url.startswith("blob:"):
            request_route.continue_()
        else:
            problems.append(f"request off this machine: {url}")
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed request: {request.url}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    return page


_WAIT_FOR_MATHJAX = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; return true; }
  return false;
}"""
_IMAGES = """async () => {
  const images = [...document.images];
  images.forEach(image => { image.loading = 'eager'; });
  await Promise.all(images.map(image => image.complete ? null
      : new Promise(done => { image.addEventListener('load', done); image.addEventListener('error', done); })));
  return images.map(image => ({src: image.currentSrc || image.src, width: image.naturalWidth}));
}"""
_MATH = """() => [...document.querySelectorAll('.math')].map(element => ({
  tex: element.textContent.slice(0, 80), rendered: element.querySelector('mjx-container') !== null}))"""
# What the layout rules measure, on the page as laid out. An element's visible right edge is its own,
# cut at every ancestor that clips or scrolls; an element is shown when it has a box and is visible.
_LAYOUT = """() => {
  const shown = element => { const box = element.getBoundingClientRect(), style = getComputedStyle(element);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none'; };
  const visibleRight = element => { let right = element.getBoundingClientRect().right;
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement)
      if (getComputedStyle(up).overflowX !== 'visible') right = Math.min(right, up.getBoundingClientRect().right);
    return right; };
  const describe = element => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')} `
    + `"${element.textContent.trim().replace(/\\s+/g, ' ').slice(0, 50)}"`;
  const article = document.querySelector('article.bd-article');
  const inArticle = article ? [...article.querySelectorAll('*')].filter(shown) : [];
  const sidebar = document.querySelector('.bd-sidebar-secondary');
  const sidebarLeft = sidebar && shown(sidebar) ? sidebar.getBoundingClientRect().left : null;
  const scrollBox = element => { for (let up = element.parentElement; up && up !== article; up = up.parentElement)
      if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) return up;
    return null; };
  const cells = article ? [...article.querySelectorAll('td, th')] : [];
  const text = article ? article.innerText : '';
  const hashes = article ? [...article.querySelectorAll('td, th, code, p, li')].filter(element =>
      element.children.length === 0 && /^\\s*([0-9a-f]{40}|[0-9a-f]{64})\\s*$/.test(element.textContent)) : [];
  return {
    sidebar_left: sidebarLeft,
    under_sidebar: sidebarLeft === null ? [] : inArticle
      .filter(element => visibleRight(element) > sidebarLeft + 0.5).map(describe).slice(0, 5),
    page_overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    tables: article ? article.querySelectorAll('table').length : 0,
    tables_without_scroll_box: article ? [...article.querySelectorAll('table')]
      .filter(table => scrollBox(table) === null).map(describe).slice(0, 5) : [],
    search_boxes: [...document.querySelectorAll('input[type=search], .search-button-field, button.search-button')]
      .filter(shown).length,
    clipped_cells: cells.filter(cell => { const style = getComputedStyle(cell);
        return (style.textOverflow === 'ellipsis' || style.overflowX === 'hidden')
          && cell.scrollWidth > cell.clientWidth + 1; })
      .map(describe).slice(0, 5),
    truncated_hashes: (text.match(/[0-9a-f]{10,}(\\.\\.\\.|\u2026)/g) || []).slice(0, 5),
    hashes: hashes.length,
    hashes_not_monospace: hashes.filter(element => !/mono/i.test(getComputedStyle(element).fontFamily)
        || getComputedStyle(element).userSelect === 'none').map(describe).slice(0, 5),
  };
}"""
# Breaks on purpose: the book's layout stylesheet taken away; a hash cut short and one in a proportional font.
_WITHOUT_LAYOUT_CSS = "() => document.querySelector('link[href*=\"layout.css\"]').remove()"
_WITH_BAD_HASHES = """() => { const article = document.querySelector('article.bd-article');
  const cut = document.createElement('p'); cut.textContent = 'sha256 6fe8fa8f1c02cd8ef21a51ce719629d8f9c3...';
  const plain = document.createElement('p'); plain.textContent = '6fe8fa8f1c02cd8ef2'.padEnd(64, 'b');
  plain.style.fontFamily = 'serif'; article.append(cut, plain); }"""


@pytest.fixture(scope="module")
def site(built_book):
    with serve(built_book) as base:
        yield base


@pytest.fixture(scope="module")
def visits(browser, site) -> dict[str, dict]:
    """Visit every page of the TOC once: what went wrong, its images, links, math and prose."""
    paths.SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    results = {}
    for entry in chapters.toc_entries():
        problems: list[str] = []
        page = _new_page(browser, site, problems)
        response = page.goto(f"{site}/{_page_path(entry)}", wait_until="load")
        status = response.status if response else None
        mathjax = page.evaluate(_WAIT_FOR_MATHJAX)
        images = page.evaluate(_IMAGES)
        page.wait_for_load_state("networkidle")
        screenshot = paths.SCREENSHOTS_DIR / f"{entry.replace('/', '__')}.png"
        page.screenshot(path=str(screenshot), full_page=True)
        results[entry] = {
            "status": status,
            "problems": problems,
            "images": images,
            "links": page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)"),
            "mathjax": mathjax,
            "math": page.evaluate(_MATH),
            "scripts": page.eval_on_selector_all("script[src]", "scripts => scripts.map(s => s.src)"),
            "prose": page.eval_on_selector_all("article p", "ps => ps.map(p => p.innerText).join(' ')"),
            "screenshot": screenshot,
        }
        page.context.close()
    return results


# ---- the checks ---------------------------------------------------------------------


def test_every_toc_page_loads_without_console_errors(visits):
    assert set(visits) == set(chapters.toc_entries())
    failures = {
        entry: (v["status"], v["problems"]) for entry, v in visits.items() if v["status"] != 200 or v["problems"]
    }
    assert not failures, failures


def test_every_image_loads(visits):
    broken = {entry: [i["src"][:120] for i in v["images"] if i["width"] <= 0] for entry, v in visits.items()}
    assert not {entry: srcs for entry, srcs in broken.items() if srcs}, broken
    # The book has figures: a page set without a single image would mean the check saw nothing.
    assert sum(len(v["images"]) for v in visits.values()) > 0


def test_every_internal_link_resolves_anchors_included(visits, site):
    targets: dict[str, set[str]] = {}
    for v in visits.values():
        for link in v["links"]:
            if link.startswith(site):
                url, fragment = urldefrag(link)
                targets.setdefault(url, set()).add(unquote(fragment))
    assert targets, "no internal links were found"
    broken = []
    for url, fragments in sorted(targets.items()):
        status, content_type, body = _get(url)
        if status != 200:
            broken.append(f"{url}: HTTP {status}")
            continue
        wanted = fragments - {""}
        if wanted and content_type == "text/html":
            parser = _Anchors()
            parser.feed(body.decode("utf-8", errors="replace"))
            broken += [f"{url}#{fragment}: no such anchor" for fragment in sorted(wanted - parser.anchors)]
        elif wanted:
            broken.append(f"{url}: anchors {sorted(wanted)} into a {content_type or 'non-HTML'} file")
    assert not broken, "\n".join(broken)


def test_math_in_the_book_renders(visits):
    unrendered = {entry: [m["tex"] for m in v["math"] if not m["rendered"]] for entry, v in visits.items()}
    assert not {e: m for e, m in unrendered.items() if m}, unrendered
    for entry, v in visits.items():
        if v["math"]:
            assert v["mathjax"], f"{entry} has math but MathJax did not start"


def test_math_renders_offline_with_the_books_configuration(browser, tmp_path):
    """A one-page book with the project's _config.yml: MathJax must come from this machine."""
    book = tmp_path / "book"
    book.mkdir()
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["bibtex_bibfiles"] = ["references.bib"]
    (book / "references.bib").write_text("", encoding="utf-8")
    (book / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\n", encoding="utf-8")
    (book / "index.md").write_text(
        "# Math\n\nInline $e^{i\\pi} + 1 = 0$ and displayed:\n\n$$\n\\hat\\beta = (X^\\top X)^{-1} X^\\top y\n$$\n",
        encoding="utf-8",
    )
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    built = subprocess.run(
        [str(jupyter_book), "build", str(book), "-W", "-n", "--keep-going"], capture_output=True, text=True
    )
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    html = book / "_build" / "html"
    with serve(html) as base:
        problems: list[str] = []
        page = _new_page(browser, base, problems)
        page.goto(f"{base}/index.html", wait_until="load")
        assert page.evaluate(_WAIT_FOR_MATHJAX), f"MathJax did not start; {problems}"
        math = page.evaluate(_MATH)
        scripts = page.eval_on_selector_all("script[src]", "s => s.map(e => e.src)")
        page.context.close()
    assert len(math) == 2 and all(m["rendered"] for m in math), math
    assert any(src.startswith(base) and "mathjax" in src.lower() for src in scripts), scripts
    assert not problems, problems


# ---- layout ----------------------------------------------------------------------------


def _measure(browser, site: str, entry: str, width: int, breakage: str | None = None) -> dict:
    problems: list[str] = []
    page = _new_page(browser, site, problems, width)
    page.goto(f"{site}/{_page_path(entry)}", wait_until="load")
    page.evaluate(_IMAGES)  # images change the layout as they arrive
    if breakage:
        page.evaluate(breakage)
    measured = page.evaluate(_LAYOUT)
    page.context.close()
    return measured


@pytest.fixture(scope="module")
def layouts(browser, site) -> dict[tuple[str, int], dict]:
    """Every page of the TOC at every width of LAYOUT_WIDTHS, measured."""
    return {
        (entry, width): _measure(browser, site, entry, width)
        for width in LAYOUT_WIDTHS
        for entry in chapters.toc_entries()
    }


def _failing(layouts, key: str) -> dict:
    return {f"{entry} at {width} px": measured[key] for (entry, width), measured in layouts.items() if measured[key]}


def test_nothing_reaches_under_the_sidebar(layouts):
    # The sidebar shows at the wide width only (on pages with sections); at the narrow one it folds away.
    wide = LAYOUT_WIDTHS[0]
    assert (
        sum(1 for entry in chapters.toc_entries() if layouts[entry, wide]["sidebar_left"])
        > len(chapters.toc_entries()) / 2
    )
    assert _failing(layouts, "under_sidebar") == {}


def test_no_page_scrolls_sideways(layouts):
    assert _failing(layouts, "page_overflow") == {}


def test_every_table_scrolls_in_a_box_of_its_own(layouts):
    assert sum(measured["tables"] for measured in layouts.values()) > 0
    assert _failing(layouts, "tables_without_scroll_box") == {}


def test_one_search_box_per_page(layouts):
    counts = {f"{entry} at {width} px": measured["search_boxes"] for (entry, width), measured in layouts.items()}
    assert set(counts.values()) == {1}, {page: count for page, count in counts.items() if count != 1}


def test_no_cell_is_cut_off_and_hashes_show_in_full_in_monospace(layouts):
    assert _failing(layouts, "clipped_cells") == {}
    assert _failing(layouts, "truncated_hashes") == {}
    assert _failing(layouts, "hashes_not_monospace") == {}
    # The data appendix lists the sha256 of every transcribed file; the colophon, the commit.
    assert layouts["book/appendix-data", LAYOUT_WIDTHS[0]]["hashes"] > 0
    assert layouts["book/colophon", LAYOUT_WIDTHS[0]]["hashes"] > 0


def test_the_layout_checks_catch_a_broken_layout(browser, site, layouts):
    """Without the book's layout stylesheet, the pages that need it break the rules the tests above check."""
    wide, narrow = LAYOUT_WIDTHS
    assert _measure(browser, site, "book/paper-tables", wide, _WITHOUT_LAYOUT_CSS)["under_sidebar"]
    assert _measure(browser, site, "book/paper-tables", narrow, _WITHOUT_LAYOUT_CSS)["page_overflow"] > 0
    assert _measure(browser, site, "book/paper-tables", wide, _WITHOUT_LAYOUT_CSS)["tables_without_scroll_box"]
    broken = _measure(browser, site, "book/appendix-data", wide, _WITH_BAD_HASHES)
    assert broken["truncated_hashes"] and broken["hashes_not_monospace"]


# ---- size and MathJax ------------------------------------------------------------------


def test_html_folder_is_within_its_budget(built_book):
    size = sum(file.stat().st_size for file in built_book.rglob("*") if file.is_file())
    assert size <= HTML_BUDGET_BYTES, f"{built_book} holds {size / 1e6:.1f} MB, over {HTML_BUDGET_BYTES / 1e6:.0f} MB"


def test_mathjax_only_where_there_is_maths(visits, built_book):
    loads = {entry: any("mathjax" in src.lower() for src in v["scripts"]) for entry, v in visits.items()}
    has_maths = {entry: bool(v["math"]) for entry, v in visits.items()}
    assert loads == has_maths
    assert (built_book / "_static" / "mathjax").is_dir() == any(has_maths.values())


def _distinctive_words(visits) -> dict[str, str]:
    """For each page, a long word of its prose that no other page's prose contains."""
    words = {
        entry: set(re.findall(rf"[a-z]{{{SEARCH_WORD_MIN_LENGTH},}}", v["prose"].lower()))
        for entry, v in visits.items()
    }
    counts = Counter(word for found in words.values() for word in found)
    chosen = {}
    for entry, found in words.items():
        unique = sorted((w for w in found if counts[w] == 1), key=lambda w: (-len(w), w))
        if unique:
            chosen[entry] = unique[0]
    return chosen


def test_search_finds_each_page_by_a_word_in_it(browser, site, visits):
    chosen = _distinctive_words(visits)
    numbered = [e for e in chapters.toc_entries() if e.startswith("chapters/")]
    assert chosen, "no page has a word of its own to search for"
    assert set(numbered) <= set(chosen), f"chapters without a distinctive word: {set(numbered) - set(chosen)}"
    missed = {}
    for entry, word in chosen.items():
        problems: list[str] = []
        page = _new_page(browser, site, problems)
        page.goto(f"{site}/search.html?q={word}", wait_until="load")
        page.wait_for_selector("#search-results .search-summary")
        found = page.eval_on_selector_all("#search-results ul.search li a", "a => a.map(x => x.href)")
        page.context.close()
        if not any(urldefrag(url)[0].endswith("/" + _page_path(entry)) for url in found):
            missed[entry] = (word, found[:5], problems)
    assert not missed, missed


def test_a_screenshot_of_each_page_is_saved(visits):
    for entry, v in visits.items():
        shot = v["screenshot"]
        assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", entry
