"""Which modules of the ``analysis`` package a piece of code depends on, read from its import statements.

The data-aware build fingerprints a notebook with the source of every module it
imports, and the columnar cache keys a parsed file with the source of the
modules that parse it; both follow the imports transitively, here.
"""

from __future__ import annotations

import ast
from pathlib import Path

from analysis import paths

PACKAGE = "analysis"


def _imported_modules(source: str, package: str = PACKAGE) -> set[str]:
    """Dotted names of the package's modules that a piece of code imports."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics; the import lines still count
        tree = ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names if alias.name.split(".")[0] == package}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == package:
            names.add(node.module)
            # "from analysis import paper" imports the module analysis.paper
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _module_file(name: str, package_dir: Path) -> Path | None:
    parts = name.split(".")[1:]
    if not parts:
        return package_dir / "__init__.py"
    relative = Path(*parts)
    for candidate in (package_dir / relative.with_suffix(".py"), package_dir / relative / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None  # a name imported from a module, not a module


def module_closure(source: str, package_dir: Path = paths.PACKAGE_DIR) -> list[Path]:
    """Files of the package modules that ``source`` imports, directly or through other modules."""
    seen: dict[str, Path] = {}
    pending = list(_imported_modules(source))
    if pending:
        pending.append(PACKAGE)  # the package's __init__ runs on any import
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        file = _module_file(name, package_dir)
        if file is None:
            continue
        seen[name] = file
        pending.extend(_imported_modules(file.read_text(encoding="utf-8")))
    return sorted(seen.values())
