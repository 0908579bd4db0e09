"""The architecture, enforced: which package may import what, no import cycles, short modules.

The rules (see ARCHITECTURE.md):

- ``analysis`` (the research) imports no book or run tooling and never ``compendium``;
- no import cycle among the project's modules;
- no module is over ``MAX_MODULE_LINES`` lines;
- a test module imports no other test module; shared code lives in ``tests/helpers/``.

Every import counts, wherever it sits: at the top, inside a function, under ``if``, or as
``importlib.import_module("literal")``. An import that only runs later still ties the two
modules together. Each rule is also checked on a small hand-made package that breaks it,
so that a checker that sees nothing cannot pass.
"""

from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from analysis import paths

PROJECT_PACKAGES = ("analysis", "compendium")
# Book, notebook and command-line tooling: compendium/ may use them, the research may not.
# sphinxcontrib and myst_parser belong to the same book stack as sphinx and myst_nb.
TOOLING_ONLY = frozenset(
    {
        "sphinx",
        "sphinxcontrib",
        "docutils",
        "pybtex",
        "playwright",
        "papermill",
        "nbformat",
        "nbclient",
        "jupyter_cache",
        "myst_nb",
        "myst_parser",
        "jupyter_book",
        "click",
        "compendium",
    }
)
MAX_MODULE_LINES = 600
# "No module is over 600 lines" (issue 14) covers all of the project's Python, tests included.
SIZE_CHECKED_DIRS = ("analysis", "compendium", "tests", "benchmarks")
TESTS_DIR = "tests"
HELPERS_DIR = "helpers"
SKIPPED_DIRS = frozenset({".venv", "_build", ".git", "__pycache__", ".ipynb_checkpoints", "runs", "results"})


@dataclass(frozen=True)
class Import:
    """One imported name, as an absolute dotted name, and where the import is written.

    ``from x import y`` gives ``target="x.y"`` and ``fallback="x"``: it depends on the module
    ``x.y`` when there is one, otherwise on ``x``, whose code defines ``y``.
    """

    importer: str
    target: str
    fallback: str | None
    file: Path
    line: int

    def where(self, root: Path) -> str:
        return f"{self.file.relative_to(root)}:{self.line}"


# ---- reading the imports ---------------------------------------------------------------


def python_files(root: Path, top: str) -> list[Path]:
    return sorted(
        file for file in (root / top).rglob("*.py") if not SKIPPED_DIRS.intersection(file.relative_to(root).parts)
    )


def module_name(file: Path, root: Path) -> str:
    parts = file.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute_module(node: ast.ImportFrom, file: Path, root: Path) -> str:
    """The module of ``from <module> import ...``, with a relative one resolved against ``file``'s package."""
    if node.level == 0:
        return node.module
    package = module_name(file, root).split(".")
    if file.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _is_import_module_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "import_module"
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def imports_in(file: Path, root: Path) -> list[Import]:
    """Every import written anywhere in ``file``, in line order."""
    importer = module_name(file, root)
    found = []
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), filename=str(file))):
        if isinstance(node, ast.Import):
            found += [Import(importer, alias.name, None, file, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute_module(node, file, root)
            found += [
                Import(importer, module, None, file, node.lineno)
                if alias.name == "*"
                else Import(importer, f"{module}.{alias.name}", module, file, node.lineno)
                for alias in node.names
            ]
        elif _is_import_module_call(node):
            found.append(Import(importer, node.args[0].value, None, file, node.lineno))
    return sorted(found, key=lambda item: item.line)


# ---- the rules -------------------------------------------------------------------------


def tooling_imports(root: Path, package: str = "analysis") -> list[str]:
    """Each import of a tooling-only library, or of ``compendium``, anywhere in ``package``."""
    return [
        f"{item.where(root)} imports {item.target}"
        for file in python_files(root, package)
        for item in imports_in(file, root)
        if item.target.split(".")[0] in TOOLING_ONLY
    ]


def module_graph(root: Path, packages: tuple[str, ...] = PROJECT_PACKAGES) -> dict[str, dict[str, Import]]:
    """importer -> imported project module -> the first import that ties them.

    A package's ``__init__`` that runs only because one of its submodules is imported is no edge:
    every package whose ``__init__`` imports its own submodules would otherwise look cyclic.
    """
    files = [file for package in packages for file in python_files(root, package)]
    modules = {module_name(file, root) for file in files}
    graph: dict[str, dict[str, Import]] = {name: {} for name in modules}
    for file in files:
        for item in imports_in(file, root):
            target = item.target if item.target in modules else item.fallback
            if target in modules and target != item.importer:
                graph[item.importer].setdefault(target, item)
    return graph


def _reachable(graph: dict[str, dict[str, Import]], start: str) -> set[str]:
    """Modules reachable from ``start`` through at least one import."""
    seen: set[str] = set()
    pending = list(graph[start])
    while pending:
        module = pending.pop()
        if module not in seen:
            seen.add(module)
            pending.extend(graph[module])
    return seen


def import_cycles(graph: dict[str, dict[str, Import]]) -> list[list[str]]:
    """The strongly connected components of the graph that hold a cycle, each sorted (self-imports are no edge)."""
    reach = {module: _reachable(graph, module) for module in graph}
    components = {
        frozenset(other for other in reach[module] if module in reach[other])
        for module in graph
        if module in reach[module]
    }
    return sorted(sorted(component) for component in components)


def describe_cycle(graph: dict[str, dict[str, Import]], component: list[str], root: Path) -> str:
    """The component's modules and its shortest cycle through the first of them, import by import.

    Every cycle through a module stays inside its component, so a plain breadth-first search finds it.
    """
    start = component[0]
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        for target in sorted(graph[module]):
            if target == start:
                path = [module]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                path.reverse()
                steps = [f"{b} ({graph[a][b].where(root)})" for a, b in zip(path, [*path[1:], start])]
                return f"cycle among {', '.join(component)}: {start} -> " + " -> ".join(steps)
            if target not in previous:
                previous[target] = module
                queue.append(target)
    raise AssertionError(f"{component} is not a strongly connected component")


def long_modules(root: Path, tops: tuple[str, ...] = SIZE_CHECKED_DIRS, limit: int = MAX_MODULE_LINES) -> list[str]:
    counts = {
        file: len(file.read_text(encoding="utf-8").splitlines())
        for top in tops
        if (root / top).is_dir()
        for file in python_files(root, top)
    }
    return [f"{file.relative_to(root)}: {count} lines" for file, count in counts.items() if count > limit]


def imports_of_test_modules(root: Path) -> list[str]:
    """Imports, in tests/, of a test module (anything under tests/ but tests/helpers/).

    Test modules can be reached by three names: ``tests.<path>``, a path from tests/ (which is on
    ``pythonpath``), or a bare module name (pytest's default import mode puts each test's folder on
    ``sys.path``).
    """
    tests = root / TESTS_DIR
    test_files = [file for file in python_files(root, TESTS_DIR) if file.relative_to(tests).parts[0] != HELPERS_DIR]
    reachable_names = {file.stem for file in test_files} | {
        entry.stem
        for entry in tests.iterdir()
        if entry.name not in SKIPPED_DIRS | {HELPERS_DIR} and (entry.is_dir() or entry.suffix == ".py")
    }

    def is_test_module(target: str) -> bool:
        first, _, rest = target.partition(".")
        return rest.split(".")[0] != HELPERS_DIR if first == TESTS_DIR else first in reachable_names

    return [
        f"{item.where(root)} imports {item.target}"
        for file in python_files(root, TESTS_DIR)
        for item in imports_in(file, root)
        if is_test_module(item.target)
    ]


# ---- each rule catches a hand-made package that breaks it -------------------------------


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_tooling_imports_are_found_wherever_they_are_written(tmp_path):
    root = _write(
        tmp_path,
        {
            "analysis/__init__.py": "from . import clean\n",
            "analysis/clean.py": "import pandas\nfrom .deep import late\n",
            "analysis/deep/__init__.py": "",
            "analysis/deep/late.py": (
                "import numpy\n\n\ndef render():\n    import nbformat\n    from docutils import nodes\n"
            ),
            "analysis/dynamic.py": "import importlib\n\nif True:\n    importlib.import_module('myst_nb.ext')\n",
            "analysis/upward.py": "from compendium import page\n",
            "compendium/page.py": "import click\nimport nbformat\n",  # tooling may use its own libraries
        },
    )
    assert tooling_imports(root) == [
        "analysis/deep/late.py:5 imports nbformat",
        "analysis/deep/late.py:6 imports docutils.nodes",
        "analysis/dynamic.py:4 imports myst_nb.ext",
        "analysis/upward.py:1 imports compendium.page",
    ]


def test_cycles_are_found_through_every_import_form(tmp_path):
    root = _write(
        tmp_path,
        {
            "analysis/__init__.py": "",
            # a -> b by "from package import module", b -> c relatively, c -> a inside a function
            "analysis/a.py": "from analysis import b\n",
            "analysis/b.py": "from .sub.c import helper\n",
            "analysis/sub/__init__.py": "",
            "analysis/sub/c.py": "import os\n\n\ndef helper():\n    import analysis.a\n",
            # a name defined by a package's __init__ ties the importer to that __init__
            "analysis/names/__init__.py": "from analysis.names.impl import VALUE\nOTHER = 1\n",
            "analysis/names/impl.py": "from analysis.names import OTHER\nVALUE = 2\n",
            "compendium/__init__.py": "",
            "compendium/build.py": "from compendium import results_index\n",
            "compendium/results_index.py": "from ..compendium.build import fingerprint\n",
        },
    )
    graph = module_graph(root)
    cycles = import_cycles(graph)
    assert cycles == [
        ["analysis.a", "analysis.b", "analysis.sub.c"],
        ["analysis.names", "analysis.names.impl"],
        ["compendium.build", "compendium.results_index"],
    ]
    assert describe_cycle(graph, cycles[0], root) == (
        "cycle among analysis.a, analysis.b, analysis.sub.c: analysis.a -> analysis.b (analysis/a.py:1)"
        " -> analysis.sub.c (analysis/b.py:1) -> analysis.a (analysis/sub/c.py:5)"
    )


def test_a_package_importing_its_submodules_which_import_each_other_has_no_cycle(tmp_path):
    root = _write(
        tmp_path,
        {
            "analysis/__init__.py": "from analysis import paths\nfrom . import audit\n",
            "analysis/paths.py": "import os\n",
            "analysis/audit/__init__.py": "from .checks import run\nfrom .ledger import read\n",
            "analysis/audit/ledger.py": "from .. import paths\n",
            "analysis/audit/checks.py": "from analysis.audit import ledger\nfrom analysis.audit.ledger import read\n",
            "compendium/__init__.py": "",
            "compendium/cli.py": "from analysis import audit\nfrom compendium import build\n",
            "compendium/build.py": "import analysis.paths\n",
        },
    )
    graph = module_graph(root)
    assert graph["analysis.audit.checks"].keys() == {"analysis.audit.ledger"}
    assert graph["compendium.cli"].keys() == {"analysis.audit", "compendium.build"}
    assert import_cycles(graph) == []


def test_a_module_of_601_lines_is_too_long(tmp_path):
    root = _write(
        tmp_path,
        {
            "analysis/at_limit.py": "x = 1\n" * 600,
            "compendium/over.py": "x = 1\n" * 601,
            "tests/test_over.py": "x = 1\n" * 700,
            "analysis/.ipynb_checkpoints/copy.py": "x = 1\n" * 700,  # not the project's code
        },
    )
    assert long_modules(root) == ["compendium/over.py: 601 lines", "tests/test_over.py: 700 lines"]


def test_test_modules_may_import_only_helpers(tmp_path):
    root = _write(
        tmp_path,
        {
            "tests/conftest.py": "import pytest\n",
            "tests/helpers/__init__.py": "",
            "tests/helpers/toy.py": "import pytest\nfrom research.test_c import y\n",
            "tests/book/test_a.py": (
                "from helpers.toy import x\nfrom tests.helpers import toy\nfrom analysis import paths\n"
            ),
            "tests/book/test_b.py": "def test_b():\n    from test_a import thing\n",
            "tests/research/test_c.py": "from book.test_a import x\nimport conftest\nfrom tests.book import test_b\n",
        },
    )
    assert imports_of_test_modules(root) == [
        "tests/book/test_b.py:2 imports test_a.thing",
        "tests/helpers/toy.py:2 imports research.test_c.y",
        "tests/research/test_c.py:1 imports book.test_a.x",
        "tests/research/test_c.py:2 imports conftest",
        "tests/research/test_c.py:3 imports tests.book.test_b",
    ]


# ---- the rules, on the project -----------------------------------------------------------


def test_the_checker_reads_the_project():
    graph = module_graph(paths.ROOT)
    assert {"analysis.paths", "analysis.audit", "compendium.page"} <= graph.keys()
    assert {"analysis.figures", "compendium.parameters"} <= graph["compendium.page"].keys()


def test_analysis_imports_no_book_or_run_tooling():
    found = tooling_imports(paths.ROOT)
    assert not found, (
        "analysis/ is the research package: it may import neither compendium nor "
        f"{', '.join(sorted(TOOLING_ONLY - {'compendium'}))}. Move the code that needs them "
        "to compendium/, which may import analysis:\n" + "\n".join(found)
    )


def test_no_import_cycles():
    graph = module_graph(paths.ROOT)
    cycles = [describe_cycle(graph, component, paths.ROOT) for component in import_cycles(graph)]
    assert not cycles, (
        "import cycles (imports inside functions count too); break each one by moving the "
        "shared code into a module both can import:\n" + "\n".join(cycles)
    )


def test_no_module_is_over_the_limit():
    found = long_modules(paths.ROOT)
    listing = "\n".join(found)
    assert not found, f"modules over {MAX_MODULE_LINES} lines; split each one by what its parts do:\n{listing}"


def test_test_modules_import_no_other_test_module():
    found = imports_of_test_modules(paths.ROOT)
    assert not found, (
        "a test module imports another test module; move what they share to tests/helpers/:\n" + "\n".join(found)
    )
