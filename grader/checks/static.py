"""Reading a submission's code without running it: which names its imports bind, which calls it makes.

A call is known by the dotted name it resolves to through the file's imports: after
``from sklearn import svm``, ``svm.SVC(C=10)`` is a call to ``sklearn.svm.SVC``; after
``from skimage.feature import hog``, ``hog(image)`` is ``skimage.feature.hog``. Code that does not
parse (a notebook cell with IPython magics, say) is read line by line where it can be.

Example:
    >>> from grader.submission.code import CodeCell
    >>> cells = [CodeCell("p3.ipynb", 2, "from sklearn import svm\\nfrom skimage.feature import hog"),
    ...          CodeCell("p3.ipynb", 5, "clf = svm.SVC(C=10)\\nx = hog(img)\\nn = int(input('n? '))")]
    >>> [(c.name, c.cell, c.line) for c in calls(cells)]
    [('sklearn.svm.SVC', 5, 1), ('skimage.feature.hog', 5, 2), ('int', 5, 3), ('input', 5, 3)]
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class Call:
    name: str  # the dotted name it resolves to
    file: str
    cell: int
    line: int
    code: str  # the stripped source line


def _tree(code: str) -> ast.AST | None:
    lines = [line if not line.lstrip().startswith(("%", "!")) else "" for line in code.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def calls(cells) -> list[Call]:
    """Every call in ``cells`` (in order), resolved through the imports of its file seen so far."""
    found: list[Call] = []
    aliases: dict[str, dict[str, str]] = {}
    for cell in cells:
        tree = _tree(cell.code)
        if tree is None:
            continue
        names = aliases.setdefault(cell.file, {})
        lines = cell.code.splitlines()
        nodes = sorted((n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom, ast.Call))),
                       key=lambda n: (n.lineno, n.col_offset))
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    names[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else \
                        alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Call):
                dotted = _dotted(node.func)
                if dotted is None:
                    continue
                head, _, rest = dotted.partition(".")
                resolved = names.get(head, head) + (f".{rest}" if rest else "")
                line = lines[node.lineno - 1].strip() if 0 < node.lineno <= len(lines) else ""
                found.append(Call(resolved, cell.file, cell.cell, node.lineno, line[:200]))
    return found


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def matches(name: str, wanted: str) -> bool:
    """Whether a call to ``name`` is a use of ``wanted`` (the function itself, or anything in that module).

    >>> matches("sklearn.svm.SVC", "sklearn.svm"), matches("sklearn.svmlight", "sklearn.svm")
    (True, False)
    """
    return name == wanted or name.startswith(wanted + ".")
