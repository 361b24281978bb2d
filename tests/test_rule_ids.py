"""Every rule id the project cites is defined in docs/rules.md, which ships with it.

Rule ids (``CAP-6``, ``KEY-2``) appear in code comments, docstrings, error messages, the docs
and ``pytest.mark.rule(...)`` markers. A reader meeting one must find what it means inside the
project. Tokens of the same shape that are not rules (``UTF-8``, ``SHA-1``, ``MPEG-4``) are
ignored: only ids whose group prefix is a group of docs/rules.md, or one a ``rule`` marker
uses, are checked.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "docs" / "rules.md"

#: The shape of a rule id anywhere in the text.
RULE_ID = re.compile(r"\b([A-Z]{2,5})-(\d{1,2})\b")
#: How docs/rules.md defines a rule: a heading of its own (``### CAP-6``), the link anchor.
DEFINITION = re.compile(r"^### ([A-Z]{2,5}-\d{1,2})[ \t]*$", re.MULTILINE)
#: Paths of the specification the project was written from, which does not ship.
UNSHIPPED = re.compile(r"shared/|RULES\.md|seeds/")


def _defined() -> list[str]:
    return DEFINITION.findall(RULES.read_text(encoding="utf-8"))


def _cited_files() -> Iterator[Path]:
    """The files a user or a maintainer reads: sources, docs, README, examples."""
    yield ROOT / "README.md"
    for folder, pattern in (("src", "*.py"), ("docs", "*.md"), ("examples", "*.py")):
        if (ROOT / folder).is_dir():
            yield from sorted((ROOT / folder).rglob(pattern))


def _marker_ids(path: Path) -> Iterator[tuple[int, str]]:
    """``(line, id)`` for each argument of ``pytest.mark.rule(...)`` in a test file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        func = node.func
        if func.attr != "rule" or not (
            isinstance(func.value, ast.Attribute) and func.value.attr == "mark"
        ):
            continue
        for arg in node.args:
            text = arg.value if isinstance(arg, ast.Constant) else ast.unparse(arg)
            yield node.lineno, str(text)


def _markers() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for line, rule_id in _marker_ids(path):
            found.append((str(path.relative_to(ROOT)), line, rule_id))
    return found


def _report(title: str, problems: list[str]) -> str:
    return f"{title} ({len(problems)}):\n  " + "\n  ".join(problems)


def test_rules_page_defines_each_rule_once() -> None:
    defined = _defined()
    assert len(defined) > 50, "docs/rules.md should define every rule under a '### ID' heading"
    twice = sorted({rule_id for rule_id in defined if defined.count(rule_id) > 1})
    assert not twice, _report("rules defined more than once in docs/rules.md", twice)


def test_every_rule_marker_names_a_defined_rule() -> None:
    defined = set(_defined())
    undefined = [
        f"{path}:{line}: rule({rule_id!r})"
        for path, line, rule_id in _markers()
        if rule_id not in defined
    ]
    assert not undefined, _report("rule markers naming no rule of docs/rules.md", undefined)


def test_every_rule_id_cited_in_the_project_is_defined() -> None:
    defined = set(_defined())
    groups = {rule_id.split("-")[0] for rule_id in defined}
    groups |= {m.group(1) for _, _, rule_id in _markers() if (m := RULE_ID.fullmatch(rule_id))}
    undefined = []
    for path in _cited_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in RULE_ID.finditer(line):
                if match.group(1) in groups and match.group(0) not in defined:
                    where = path.relative_to(ROOT)
                    undefined.append(f"{where}:{number}: {match.group(0)}")
    assert not undefined, _report("rule ids cited but not defined in docs/rules.md", undefined)


def test_the_checker_tells_rule_ids_from_other_tokens() -> None:
    """The scan finds real citations and leaves look-alikes alone (guards the regexes)."""
    text = "UTF-8 and SHA-1 are not rules; CAP-6, KEY-2/3 and LIVE-5..7 are; CAP-60x is not"
    assert [m.group(0) for m in RULE_ID.finditer(text)] == [
        "UTF-8",
        "SHA-1",
        "CAP-6",
        "KEY-2",
        "LIVE-5",
    ]
    assert DEFINITION.findall("### CAP-6\n### CAP-7 title\n#### KEY-1\n") == ["CAP-6"]


def test_docs_and_sources_point_only_at_files_that_ship() -> None:
    """Users get the package, README and docs: no pointer to the unshipped specification."""
    pointers = []
    for path in _cited_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if UNSHIPPED.search(line):
                pointers.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not pointers, _report("pointers to files that do not ship", pointers)
