"""Command line: ``kaltura-reach-vendor <command>``.

Subcommands are registered in :data:`COMMANDS` (name → (help, add_arguments, run)), so new
ones are one entry each.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable

AddArguments = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace], int]


def _sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    parser.add_argument("--scenario", default="demo", help="demo (default), empty or media")
    parser.add_argument("--seed", type=int, default=0, help="seed for ids and faults")
    parser.add_argument(
        "--credentials-json", metavar="FILE", help="write the credentials JSON here"
    )


def _run_sandbox(args: argparse.Namespace) -> int:
    from .sandbox import SCENARIOS, Sandbox

    if args.scenario not in SCENARIOS:
        print(
            f"unknown scenario {args.scenario!r}; choose from {sorted(SCENARIOS)}", file=sys.stderr
        )
        return 2
    sandbox = Sandbox(args.scenario, seed=args.seed)
    url = sandbox.serve(args.host, args.port)
    sandbox.start_live_puller()  # pulls registered caption URLs at their scheduled start
    credentials = sandbox.credentials
    if args.credentials_json:
        credentials.write(args.credentials_json)
    print(f"REACH sandbox ({args.scenario}) serving at {url}")
    print(f"service URL: {url}")
    print(json.dumps(credentials.to_json(), indent=2))
    print("Press Ctrl-C to stop.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("stopping")
    finally:
        sandbox.close()
    return 0


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=0, help="seed for the sandbox")


def _run_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(seed=args.seed)


COMMANDS: dict[str, tuple[str, AddArguments, Run]] = {
    "demo": ("run the demo: the SDK against the embedded sandbox", _demo_arguments, _run_demo),
    "sandbox": ("run the local REACH sandbox on loopback", _sandbox_arguments, _run_sandbox),
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(prog="kaltura-reach-vendor")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, add_arguments, _run) in COMMANDS.items():
        add_arguments(subparsers.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kaltura-reach-vendor`` console script."""
    args = build_parser().parse_args(argv)
    _help, _add, run = COMMANDS[args.command]
    return run(args)
