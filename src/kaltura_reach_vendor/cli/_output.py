"""What the command line prints: one-line errors, rich tables, progress on a terminal only.

``rich`` is imported here, lazily, and only by the command line: ``import
kaltura_reach_vendor`` never loads it.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .._secrets import mask
from ..display import iso, when

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["CliError", "console", "fail", "iso", "progress", "table", "when"]

#: Width of tables written to a file or a pipe (rich would use 80 columns and squeeze them).
PIPE_WIDTH = 200


class CliError(Exception):
    """An error the command line reports as one line on stderr, with its exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def fail(message: str) -> None:
    """Print ``error: <message>`` (masked, on one line) to stderr."""
    text = " ".join(mask(message).split())
    print(f"kaltura-reach-vendor: error: {text}", file=sys.stderr)


def is_terminal() -> bool:
    """True when stdout is a terminal (progress shows there; a pipe stays quiet)."""
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())


def console() -> Console:
    """A rich console on the current ``sys.stdout`` (wide and plain when it is a pipe)."""
    from rich.console import Console

    if is_terminal():
        return Console(file=sys.stdout, highlight=False)
    return Console(
        file=sys.stdout, width=PIPE_WIDTH, no_color=True, highlight=False, soft_wrap=False
    )


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print a table; ``None`` cells show as a dash."""
    from rich.table import Table
    from rich.text import Text  # plain text: "[...]" in customer data is not markup

    out = console()
    if title:  # a line of its own: a table title would wrap at the table's width
        out.print(title, markup=False, soft_wrap=True)
    grid = Table(header_style="bold")
    for name in columns:
        grid.add_column(name, overflow="fold")
    for row in rows:
        grid.add_row(*(Text("-" if cell is None else str(cell)) for cell in row))
    out.print(grid)


def pairs(title: str | None, rows: Sequence[tuple[str, object]]) -> None:
    """Print ``name  value`` lines as a two-column table without a header."""
    from rich.table import Table
    from rich.text import Text  # plain text: "[...]" in customer data is not markup

    out = console()
    if title:
        out.print(title, markup=False, soft_wrap=True)
    grid = Table(show_header=False, box=None, padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for name, value in rows:
        grid.add_row(Text(name), Text("-" if value is None else str(value)))
    out.print(grid)


@contextlib.contextmanager
def progress(description: str, total: int | None = None) -> Iterator[Callable[..., None]]:
    """A transient progress bar (or spinner without ``total``) on a terminal.

    Yields ``update(advance=1, total=None, description=None)``; a no-op when stdout is not a
    terminal, so piped output stays clean.
    """
    if not is_terminal():
        yield lambda *args, **kwargs: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console(),
        transient=True,
    )
    with bar:
        task = bar.add_task(description, total=total)

        def update(
            advance: float = 1, total: int | None = None, description: str | None = None
        ) -> None:
            changes: dict[str, Any] = {"advance": advance}
            if total is not None:
                changes["total"] = total
            if description is not None:
                changes["description"] = description
            bar.update(task, **changes)

        yield update
