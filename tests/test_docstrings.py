"""Every public module, class, function and method of sim/, optimize/ and webapp/ has a docstring.

Read from the source (ast), so nothing is imported and the walk takes milliseconds.
Public: a module, a class or a function at a module's top level, or a method of such a
class (a ``@property`` included), whose name does not start with ``_``; dunder methods
are skipped, and so are functions nested in functions (helpers, not API).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("sim", "optimize", "webapp")
NOT_YET_CHECKED: tuple[str, ...] = ()  # modules exempt while another branch changes them

DEFINITIONS = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def is_public(name: str) -> bool:
    return not name.startswith("_")


def has_docstring(node: ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return bool((ast.get_docstring(node) or "").strip())


def undocumented(source: str, where: str) -> list[str]:
    """``<where>:<line> <name>`` for the module and each public class, function and method
    in ``source`` that has no docstring (or an empty one)."""
    tree = ast.parse(source)
    missing = [] if has_docstring(tree) else [f"{where}: module docstring"]

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if not isinstance(node, DEFINITIONS) or not is_public(node.name):
                continue
            if not has_docstring(node):
                missing.append(f"{where}:{node.lineno} {prefix}{node.name}")
            if isinstance(node, ast.ClassDef):
                visit(node.body, f"{prefix}{node.name}.")

    visit(tree.body, "")
    return missing


def source_files() -> list[Path]:
    """The modules checked: every .py file of the packages, less NOT_YET_CHECKED."""
    return [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
            if path.relative_to(ROOT).as_posix() not in NOT_YET_CHECKED]


def test_every_public_object_has_a_docstring() -> None:
    missing = [line for path in source_files()
               for line in undocumented(path.read_text(encoding="utf-8"),
                                        path.relative_to(ROOT).as_posix())]
    assert not missing, ("public objects without a docstring (say what it is in the "
                         "domain, its units, what it returns):\n" + "\n".join(missing))


def test_the_walk_finds_each_kind_of_undocumented_object_and_skips_private_ones() -> None:
    source = '''
class Pool:
    def join(self): ...
    @property
    def busy(self): ...
    def __len__(self): ...
    def _dispatch(self): ...
    class Ticket: ...
def journey(): ...
async def arrive(): ...
def _helper(): ...
class _Hidden:
    def shown(self): ...
'''
    assert undocumented(source, "m.py") == [
        "m.py: module docstring", "m.py:2 Pool", "m.py:3 Pool.join", "m.py:5 Pool.busy",
        "m.py:8 Pool.Ticket", "m.py:9 journey", "m.py:10 arrive"]


def test_a_documented_module_passes_and_an_empty_docstring_does_not() -> None:
    source = '''"""A module."""
def simulate():
    """Run it."""
class Plan:
    ""
'''
    assert undocumented(source, "m.py") == ["m.py:4 Plan"]
