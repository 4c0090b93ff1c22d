"""The package layout keeps its promises: the trust boundary, and no import cycles.

Read from the source with ``ast`` (nothing is imported), so these run in milliseconds.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest


PACKAGE = Path(__file__).resolve().parent.parent / "grader"
INSIDE = PACKAGE / "inside"
# What code inside the sandbox may import besides the standard library and itself: the student's
# frameworks and what running a notebook needs.
INSIDE_ALLOWED = {"keras", "tensorflow", "numpy", "torch", "nbformat", "nbclient", "IPython"}



def _modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, module: str) -> set[str]:
    """Every module ``path`` imports, at any level of the file (function-local imports too), except
    under ``if TYPE_CHECKING:`` (annotations only, never run)."""
    names = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for block in ast.walk(tree):
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test):
            block.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names.add(prefix)
            names.update(f"{prefix}.{alias.name}" for alias in node.names)
    return names


def test_code_inside_the_sandbox_imports_nothing_from_the_trusted_side():
    for module, path in _modules(INSIDE).items():
        for name in _imports(path, module):
            top = name.split(".")[0]
            assert top != "grader", f"{path}: imports {name}; in-sandbox code must not import the grader"
            allowed = top in sys.stdlib_module_names or top in INSIDE_ALLOWED or top == "grader_inside"
            assert allowed, f"{path}: imports {name}; in-sandbox code may use the standard library and the framework"


@pytest.mark.slow  # over 0.3 s: out of the unit tier
def test_no_trusted_module_imports_the_code_that_runs_inside():
    for module, path in _modules(PACKAGE).items():
        if module.startswith("grader.inside"):
            continue
        for name in _imports(path, module):
            assert not name.startswith(("grader.inside", "grader_inside")), \
                f"{path}: imports {name}; the trusted side only copies grader/inside into the sandbox"


def test_the_trusted_side_has_no_import_cycles():
    modules = {m: p for m, p in _modules(PACKAGE).items() if not m.startswith("grader.inside")}
    graph = {m: {n for n in _imports(p, m) if n in modules and n != m} for m, p in modules.items()}
    # ``from grader.x import name`` also names grader.x.name; only modules are nodes.
    visiting, done, path, cycles = set(), set(), [], []

    def visit(node):
        visiting.add(node)
        path.append(node)
        for child in sorted(graph[node]):
            if child in visiting:
                cycles.append(" -> ".join(path[path.index(child):] + [child]))
            elif child not in done:
                visit(child)
        visiting.discard(node)
        done.add(node)
        path.pop()

    for node in sorted(graph):
        if node not in done:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)
