"""Command line: ``kaltura-reach-vendor <command>`` (docs/cli.md).

Subcommands are registered in :data:`COMMANDS` (name → (help, add_arguments, run)), so new
ones are one entry each. A command returns its exit code; a failure it expects raises
:class:`CliError`, and every SDK error (:class:`~kaltura_reach_vendor.errors.ReachError`) is
reported as one line on stderr, never as a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable

from .. import __version__
from ..errors import ConfigurationError, ReachError
from ._account import COMMANDS as _ACCOUNT
from ._local import COMMANDS as _LOCAL
from ._output import CliError, fail
from ._work import COMMANDS as _WORK

__all__ = ["COMMANDS", "CliError", "build_parser", "main"]

AddArguments = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace], int]

COMMANDS: dict[str, tuple[str, AddArguments, Run]] = {**_LOCAL, **_ACCOUNT, **_WORK}

#: Exit codes (docs/cli.md).
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="kaltura-reach-vendor",
        description="Kaltura REACH vendor SDK: demo, sandbox, account checks and the worker.",
    )
    parser.add_argument(
        "--version", action="version", version=f"kaltura-reach-vendor {__version__}"
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, add_arguments, _run) in COMMANDS.items():
        add_arguments(subparsers.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kaltura-reach-vendor`` console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    _help, _add, run = COMMANDS[args.command]
    try:
        return run(args)
    except CliError as error:
        fail(str(error))
        return error.code
    except ReachError as error:  # messages are masked by the SDK (AUTH-9)
        fail(_describe(error))
        return EXIT_USAGE if isinstance(error, ConfigurationError) else EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `... | head`: the reader left; say nothing more
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED


def _describe(error: ReachError) -> str:
    """The SDK error in one line, with a hint for the usual causes."""
    from ..errors import (
        AccessDeniedError,
        ApiError,
        InsecureTransportError,
        InvalidSessionError,
        ReachConnectionError,
        ReachTimeoutError,
    )

    text = str(error) or type(error).__name__
    if isinstance(error, InsecureTransportError):
        return f"{text} (on the command line: --allow-insecure-http)"
    if isinstance(error, ConfigurationError):
        return text
    if isinstance(error, (ReachConnectionError, ReachTimeoutError)):
        return f"cannot reach the service: {text} (check --service-url / --region)"
    if isinstance(error, (InvalidSessionError, AccessDeniedError)):
        return f"the credentials were refused: {text}"
    if isinstance(error, ApiError) and error.code and "APP_TOKEN" in error.code:
        return f"the credentials were refused: {text}"
    if isinstance(error, ApiError) and error.code == "START_SESSION_ERROR":
        return f"the credentials were refused: {text}"
    if isinstance(error, ApiError):
        return text  # "CODE: message" already names what happened
    return f"{type(error).__name__}: {text}"
