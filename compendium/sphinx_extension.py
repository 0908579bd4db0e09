"""A Sphinx extension that makes the built HTML work offline and load without browser errors.

- **MathJax from a package.** Sphinx loads MathJax from a CDN by default,
  which fails offline. The PyPI package django-static-mathjax ships MathJax 3's
  browser build (it needs no Django); after an HTML build this copies it into
  ``_static/mathjax/``, and ``mathjax_path: mathjax/tex-mml-chtml.js`` in
  _config.yml points the pages at it. MathJax itself is never committed.
- **No script twice.** sphinx-thebe 0.3.1 registers its inline configuration
  script twice under Sphinx 7.4 (as filename None and as ""); the second copy
  re-declares a ``const`` and every page logs a JavaScript error. Scripts that
  render the same tag are kept once.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from analysis.errors import DataUnavailableError

MATHJAX_PACKAGE = "mathjax"  # the import name of django-static-mathjax
MATHJAX_BUILD = "static/mathjax/es5"
MATHJAX_TARGET = "mathjax"  # below the build's _static/
MATHJAX_ENTRY_POINT = "tex-mml-chtml.js"


def mathjax_dir() -> Path:
    """The installed MathJax browser build (the folder holding tex-mml-chtml.js)."""
    try:
        folder = Path(str(resources.files(MATHJAX_PACKAGE) / MATHJAX_BUILD))
    except ModuleNotFoundError as error:
        raise DataUnavailableError(
            "MathJax is not installed, so math cannot render offline; install the project with its "
            "book extra: pip install -e '.[book]' (package django-static-mathjax)."
        ) from error
    if not (folder / MATHJAX_ENTRY_POINT).is_file():
        raise DataUnavailableError(f"{folder}: {MATHJAX_ENTRY_POINT} is missing; reinstall django-static-mathjax.")
    return folder


def copy_mathjax(static_dir: Path) -> Path:
    """Copy MathJax (about 24 MB) into ``static_dir/mathjax``, replacing what is there."""
    source, target = mathjax_dir(), Path(static_dir) / MATHJAX_TARGET
    shutil.copytree(source, target, dirs_exist_ok=True)
    return target


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


def _after_build(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        copy_mathjax(Path(app.outdir) / "_static")


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if "script_files" in context:
        context["script_files"] = unique_scripts(context["script_files"])


def setup(app):
    app.connect("build-finished", _after_build)
    app.connect("html-page-context", _page_context, priority=900)  # after the themes add theirs
    return {"parallel_read_safe": True, "parallel_write_safe": True}
