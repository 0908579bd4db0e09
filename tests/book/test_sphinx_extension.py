"""The Sphinx extension: MathJax copied from its package, developer files removed, hashes as code, scripts once."""

from __future__ import annotations

import json

from sphinx.builders.html._assets import _JavaScript

from compendium import sphinx_extension


def test_mathjax_comes_from_the_installed_package_and_only_what_it_loads_is_copied(tmp_path):
    source = sphinx_extension.mathjax_dir()
    package = json.loads((source.parent / "package.json").read_text(encoding="utf-8"))
    assert package["name"] == "mathjax-full" and package["version"].startswith("3.")  # MathJax 3 source and build
    target = sphinx_extension.copy_mathjax(tmp_path / "_static")
    assert target == tmp_path / "_static" / "mathjax"
    assert (target / "tex-mml-chtml.js").read_bytes() == (source / "tex-mml-chtml.js").read_bytes()
    # The CommonHTML output loads its fonts relative to the script, and TeX autoloads its packages.
    assert list((target / "output" / "chtml" / "fonts").rglob("*.woff"))
    assert (target / "input" / "tex" / "extensions" / "color.js").is_file()
    # The other entry points and the speech engine stay behind.
    assert not (target / "tex-svg.js").exists() and not (target / "sre").exists()
    copied = sum(file.stat().st_size for file in target.rglob("*") if file.is_file())
    whole = sum(file.stat().st_size for file in source.rglob("*") if file.is_file())
    assert copied < whole / 5
    (target / "tex-mml-chtml.js").write_text("broken")
    (target / "stale.js").write_text("left by an older build")
    sphinx_extension.copy_mathjax(tmp_path / "_static")
    assert (target / "tex-mml-chtml.js").read_bytes() == (source / "tex-mml-chtml.js").read_bytes()
    assert not (target / "stale.js").exists()


def test_developer_files_are_removed_and_nothing_else(tmp_path):
    static = tmp_path / "_static"
    for name in (
        "scripts/bootstrap.js",
        "scripts/bootstrap.js.map",
        "styles/theme.css",
        "styles/theme.css.map",
        "locales/de/LC_MESSAGES/booktheme.mo",
        "layout.css",
    ):
        (static / name).parent.mkdir(parents=True, exist_ok=True)
        (static / name).write_text("x")
    removed = sphinx_extension.remove_developer_files(static)
    assert sorted(path.relative_to(static).as_posix() for path in removed) == [
        "locales",
        "scripts/bootstrap.js.map",
        "styles/theme.css.map",
    ]
    left = sorted(path.relative_to(static).as_posix() for path in static.rglob("*") if path.is_file())
    assert left == ["layout.css", "scripts/bootstrap.js", "styles/theme.css"]


def test_cells_holding_a_hash_show_it_as_code():
    sha256, commit = "ab" * 32, "0123456789abcdef0123456789abcdef01234567"
    html = (
        f'<tr><td class="x">{sha256}</td><td>\n{commit} </td><td>not {commit}</td>'
        f"<td>{sha256[:50]}</td><td>{sha256.upper()}</td></tr>"
    )
    assert sphinx_extension.hashes_as_code(html) == (
        f'<tr><td class="x"><code class="hash">{sha256}</code></td><td><code class="hash">{commit}</code></td>'
        f"<td>not {commit}</td><td>{sha256[:50]}</td><td>{sha256.upper()}</td></tr>"
    )


def test_the_stylesheets_ship_with_the_package():
    for name in (sphinx_extension.LAYOUT_CSS, sphinx_extension.PRINT_CSS):
        assert (sphinx_extension.STATIC_DIR / name).is_file()


def test_scripts_that_render_the_same_tag_are_kept_once():
    config = "const THEBE_JS_URL = 'x'"
    scripts = [
        _JavaScript("_static/doctools.js", priority=200),
        _JavaScript(None, body=config),
        _JavaScript(None, body="var a = 1"),
        _JavaScript("", body=config),
        _JavaScript("_static/doctools.js", priority=200),
        _JavaScript("_static/doctools.js", priority=800),
    ]
    kept = sphinx_extension.unique_scripts(scripts)
    assert [(s.filename, s.priority, s.attributes.get("body")) for s in kept] == [
        ("_static/doctools.js", 200, None),
        (None, 500, config),
        (None, 500, "var a = 1"),
        ("_static/doctools.js", 800, None),
    ]
