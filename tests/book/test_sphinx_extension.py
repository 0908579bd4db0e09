"""The Sphinx extension: MathJax copied from its package, and each script tag once."""

from __future__ import annotations

import json

from sphinx.builders.html._assets import _JavaScript

from compendium import sphinx_extension


def test_mathjax_comes_from_the_installed_package_and_is_copied(tmp_path):
    source = sphinx_extension.mathjax_dir()
    package = json.loads((source.parent / "package.json").read_text(encoding="utf-8"))
    assert package["name"] == "mathjax-full" and package["version"].startswith("3.")  # MathJax 3 source and build
    target = sphinx_extension.copy_mathjax(tmp_path / "_static")
    assert target == tmp_path / "_static" / "mathjax"
    assert (target / "tex-mml-chtml.js").read_bytes() == (source / "tex-mml-chtml.js").read_bytes()
    # The CommonHTML output loads its fonts relative to the script: they must come along.
    assert list((target / "output" / "chtml" / "fonts").rglob("*.woff"))
    (target / "tex-mml-chtml.js").write_text("broken")
    sphinx_extension.copy_mathjax(tmp_path / "_static")
    assert (target / "tex-mml-chtml.js").read_bytes() == (source / "tex-mml-chtml.js").read_bytes()


def test_scripts_that_render_the_same_tag_are_kept_once():
    config = "const THEBE_JS_URL = 'x'"
    scripts = [_JavaScript("_static/doctools.js", priority=200), _JavaScript(None, body=config),
               _JavaScript(None, body="var a = 1"), _JavaScript("", body=config),
               _JavaScript("_static/doctools.js", priority=200), _JavaScript("_static/doctools.js", priority=800)]
    kept = sphinx_extension.unique_scripts(scripts)
    assert [(s.filename, s.priority, s.attributes.get("body")) for s in kept] == [
        ("_static/doctools.js", 200, None), (None, 500, config), (None, 500, "var a = 1"),
        ("_static/doctools.js", 800, None),
    ]
