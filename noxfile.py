"""Developer sessions: ``nox -s tests lint typecheck docs``; ``nox -s mutation`` on demand."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck", "docs"]


@nox.session
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "src", "tests", "examples", "benchmarks")
    session.run("ruff", "format", "--check", "src", "tests", "examples", "benchmarks")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run("mypy", "--strict", "src")
    session.run("mypy", "--strict", "tests/typing")


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site (mkdocs-material, mkdocstrings), built strictly: a warning fails."""
    session.install(".[docs]")
    site = session.create_tmp()
    session.run("mkdocs", "build", "--strict", "--site-dir", f"{site}/site")


@nox.session
def mutation(session: nox.Session) -> None:
    """Mutation testing of the rule modules and the engine (slow; not part of CI).

    Configured in ``[tool.mutmut]`` of pyproject.toml. ``nox -s mutation`` tries every mutant;
    ``nox -s mutation -- "kaltura_reach_vendor.regions*"`` only those whose name matches.
    Survivors are listed at the end; ``.nox/mutation/bin/mutmut show <name>`` prints one.
    """
    session.install("-e", ".[test]")
    session.install("mutmut>=3.8,<4")
    session.run("mutmut", "run", *session.posargs)
    results = session.run("mutmut", "results", silent=True) or ""
    # ``results`` also lists every mutant a name filter left out ("not checked"): skip those
    checked = [line for line in str(results).splitlines() if "not checked" not in line]
    session.log("\n".join(checked) or "no surviving mutants")
