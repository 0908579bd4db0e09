"""A Sphinx extension that makes the built HTML work offline, fit the screen and the page, and stay small.

- **Layout and print styles.** ``static/layout.css`` keeps wide tables, code and
  images inside the article, each scrolling in its own box, so that nothing
  reaches under the right-hand sidebar or makes a narrow page scroll sideways;
  ``static/print.css`` lays the book out for paper (see ``compendium.pdf``).
- **Hashes in full.** A table cell that holds only a git or sha256 hash is shown
  as code: monospace, wrapped rather than cut, and selected whole by one click.
- **MathJax only where there is maths, from a package.** Sphinx adds MathJax only
  to pages with maths, from ``mathjax_path``; the default is a CDN, which fails
  offline. The PyPI package django-static-mathjax ships MathJax 3's browser build
  (it needs no Django). When some page has maths, the files the TeX-to-CommonHTML
  entry point loads are copied into ``_static/mathjax/``; when none has, none are
  (the whole build is 24 MB, more than twice the rest of the book). MathJax is
  never committed.
- **No developer files.** The themes ship source maps (``*.map``) for their
  minified scripts and styles, and message catalogues (``locales/``) that Sphinx
  reads at build time; no reader's browser ever asks for them, so they are removed.
- **Author-year bibliography.** Registers ``compendium.bibliography``'s style,
  whose labels are the citations as the text prints them, sorted by author.
- **No script twice.** sphinx-thebe 0.3.1 registers its inline configuration
  script twice under Sphinx 7.4 (as filename None and as ""); the second copy
  re-declares a ``const`` and every page logs a JavaScript error. Scripts that
  render the same tag are kept once.
"""

from __future__ import annotations

import re
import shutil
from importlib import resources
from pathlib import Path

from analysis.errors import DataUnavailableError
from compendium import bibliography

STATIC_DIR = Path(__file__).resolve().parent / "static"
LAYOUT_CSS = "layout.css"
PRINT_CSS = "print.css"

MATHJAX_PACKAGE = "mathjax"  # the import name of django-static-mathjax
MATHJAX_BUILD = "static/mathjax/es5"
MATHJAX_TARGET = "mathjax"  # below the build's _static/
MATHJAX_ENTRY_POINT = "tex-mml-chtml.js"
# What the entry point loads by itself: the CommonHTML fonts and the TeX packages it autoloads
# (\color, \cancel, ...). The accessibility explorer (a11y/, sre/: 4.3 MB) loads only when a reader
# switches it on in MathJax's menu, and is left out.
MATHJAX_RUNTIME = (MATHJAX_ENTRY_POINT, "output/chtml/fonts/woff-v2", "input/tex/extensions")

DEVELOPER_ONLY = ("**/*.map", "locales")  # below the build's _static/

HASH_CELL = re.compile(r"(<td\b[^>]*>)\s*([0-9a-f]{40}|[0-9a-f]{64})\s*(</td>)")


def mathjax_dir() -> Path:
    """The installed MathJax browser build (the folder holding tex-mml-chtml.js)."""
    try:
        folder = Path(str(resources.files(MATHJAX_PACKAGE) / MATHJAX_BUILD))
    except ModuleNotFoundError as error:
        raise DataUnavailableError(
            "MathJax is not installed, so math cannot render offline; install the project with its "
            "book extra: pip install -e '.[book]' (package django-static-mathjax)."
        ) from error
    missing = [part for part in MATHJAX_RUNTIME if not (folder / part).exists()]
    if missing:
        raise DataUnavailableError(f"{folder}: {', '.join(missing)} missing; reinstall django-static-mathjax.")
    return folder


def copy_mathjax(static_dir: Path) -> Path:
    """Copy what MathJax's entry point loads into ``static_dir/mathjax``, replacing what is there."""
    source, target = mathjax_dir(), Path(static_dir) / MATHJAX_TARGET
    shutil.rmtree(target, ignore_errors=True)
    for part in MATHJAX_RUNTIME:
        (target / part).parent.mkdir(parents=True, exist_ok=True)
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part)
        else:
            shutil.copy2(source / part, target / part)
    return target


def remove_developer_files(static_dir: Path) -> list[Path]:
    """Delete the themes' source maps and build-time catalogues from ``static_dir``; returns what went."""
    removed = sorted({path for pattern in DEVELOPER_ONLY for path in Path(static_dir).glob(pattern)})
    for path in removed:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return removed


def hashes_as_code(html: str) -> str:
    """Every table cell that holds only a 40- or 64-digit hex hash, with the hash as ``<code class="hash">``."""
    return HASH_CELL.sub(r'\1<code class="hash">\2</code>\3', html)


def _script_key(script) -> tuple:
    # An inline script registered before and after the builder starts is stored once with the
    # filename None and once with "": different objects, the same <script> tag.
    if isinstance(script, str):
        return (script,)
    return (script.filename or "", script.priority, tuple(sorted(script.attributes.items())))


def unique_scripts(scripts: list) -> list:
    """The scripts in their order, each distinct <script> once."""
    unique: dict[tuple, object] = {}
    for script in scripts:
        unique.setdefault(_script_key(script), script)
    return list(unique.values())


def _add_static_dir(app, config) -> None:
    config.html_static_path.append(str(STATIC_DIR))


def _after_build(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static_dir = Path(app.outdir) / "_static"
    if app.env.get_domain("math").has_equations():
        copy_mathjax(static_dir)
    else:
        shutil.rmtree(static_dir / MATHJAX_TARGET, ignore_errors=True)  # left by a build that had maths
    remove_developer_files(static_dir)


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if "script_files" in context:
        context["script_files"] = unique_scripts(context["script_files"])
    if "body" in context:
        context["body"] = hashes_as_code(context["body"])


def setup(app):
    bibliography.register()
    app.connect("config-inited", _add_static_dir)
    app.add_css_file(LAYOUT_CSS)
    app.add_css_file(PRINT_CSS, media="print")
    app.connect("build-finished", _after_build)
    app.connect("html-page-context", _page_context, priority=900)  # after the themes add theirs
    return {"parallel_read_safe": True, "parallel_write_safe": True}
