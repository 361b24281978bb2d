"""Commands that need no account: ``demo``, ``sandbox`` and ``validate-captions``."""

from __future__ import annotations

import argparse
import dataclasses
import ipaddress
import json
import signal
import threading
from pathlib import Path
from typing import Any

from ..errors import CaptionParseError
from ._output import CliError, console, table

__all__ = ["COMMANDS", "advertised_url"]


# -- demo -----------------------------------------------------------------------------------
def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=0, help="seed for the sandbox")


def run_demo(args: argparse.Namespace) -> int:
    from ..demo import run_demo

    return run_demo(seed=args.seed)


# -- sandbox --------------------------------------------------------------------------------
def _sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: any free port)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="bind address (default 127.0.0.1; 0.0.0.0 listens on every interface)",
    )
    parser.add_argument("--scenario", default="demo", help="demo (default), empty or media")
    parser.add_argument("--seed", type=int, default=0, help="seed for ids and faults")
    parser.add_argument(
        "--credentials-json", metavar="FILE", help="write the credentials JSON here"
    )


def advertised_url(host: str, port: int) -> tuple[str, bool]:
    """The service URL to give clients of a server bound to ``host``, and whether it is
    loopback (which the SDK accepts over plain HTTP, AUTH-1).

    A wildcard bind (``0.0.0.0``, ``::``) is not an address anyone can call: the URL names
    the loopback address of the same family instead."""
    bare = host.strip("[]")
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        loopback = bare in {"localhost", "localhost.localdomain"} or bare.endswith(".localhost")
        return f"http://{bare}:{port}", loopback
    if address.is_unspecified:
        address = ipaddress.ip_address("::1" if address.version == 6 else "127.0.0.1")
    shown = f"[{address}]" if address.version == 6 else str(address)
    return f"http://{shown}:{port}", address.is_loopback


def _wait_for_stop() -> None:
    """Block until Ctrl-C (SIGINT) or SIGTERM."""
    stop = threading.Event()
    previous: Any = None
    in_main = threading.current_thread() is threading.main_thread()
    if in_main:
        previous = signal.signal(signal.SIGTERM, lambda _sig, _frame: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def run_sandbox(args: argparse.Namespace) -> int:
    from ..sandbox import SCENARIOS, Sandbox

    if args.scenario not in SCENARIOS:
        raise CliError(f"unknown scenario {args.scenario!r}; choose from {sorted(SCENARIOS)}", 2)
    if not 0 <= args.port <= 65535:
        raise CliError(f"--port must be between 0 and 65535, got {args.port}", 2)
    sandbox = Sandbox(args.scenario, seed=args.seed)
    try:
        try:
            bound = sandbox.serve(args.host, args.port)
        except OSError as error:
            where = f"{args.host}:{args.port}"
            raise CliError(
                f"cannot serve the sandbox on {where}: {error.strerror or error}"
            ) from None
        port = int(bound.rsplit(":", 1)[1])
        url, loopback = advertised_url(args.host, port)
        credentials = dataclasses.replace(sandbox.credentials, service_url=url)
        if args.credentials_json:
            try:
                credentials.write(args.credentials_json)
            except OSError as error:
                why = error.strerror or type(error).__name__
                raise CliError(
                    f"cannot write the credentials to {args.credentials_json}: {why}"
                ) from None
        sandbox.start_live_puller()  # pulls registered caption URLs at their scheduled start
        print(f"REACH sandbox ({args.scenario}) listening on {args.host}:{port}")
        print(f"service URL: {url}")
        if not loopback or url != bound:
            print(
                "From another machine use http://<this machine's address>:"
                f"{port} with allow_insecure_http=True (--allow-insecure-http): the SDK "
                "refuses plain HTTP to hosts other than loopback (AUTH-1)."
            )
        print("Sandbox credentials (public test values, never real ones):")
        print(json.dumps(credentials.to_json(), indent=2))
        print("Press Ctrl-C to stop.", flush=True)
        _wait_for_stop()
        print("stopping")
    finally:
        sandbox.close()
    return 0


# -- validate-captions ----------------------------------------------------------------------
def _captions_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="an SRT, WebVTT or DFXP/TTML file")
    parser.add_argument(
        "--max-line-chars",
        type=int,
        metavar="N",
        help="the profile's maxCharactersPerCaptionLine (default: no limit)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run_validate_captions(args: argparse.Namespace) -> int:
    from ..captions import detect_format, parse_captions, validate_captions

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CliError(f"cannot read {args.file}: {error.strerror or error}", 2) from None
    try:
        document = parse_captions(data)
        fmt = detect_format(data.decode("utf-8-sig", "replace")).name
    except CaptionParseError as error:
        raise CliError(f"{args.file}: {error}", 2) from None
    report = validate_captions(document, max_line_chars=args.max_line_chars or None)
    problems = [
        {
            "cue": p.cue,
            "line": p.line,
            "kind": p.kind.value,
            "blocking": p.blocking,
            "message": p.message,
        }
        for p in report.problems
    ]
    code = 1 if report.blocking else 0
    if args.json:
        out = {"file": args.file, "format": fmt, "cues": len(document), "ok": report.ok}
        print(json.dumps({**out, "problems": problems}, indent=2, ensure_ascii=False))
        return code
    head = f"{args.file}: {fmt}, {len(document)} cue" + ("" if len(document) == 1 else "s")
    if not problems:
        console().print(f"{head}: no problem, ready to deliver (CAP-6)", markup=False)
        return code
    rows = [
        [p["cue"], p["line"], p["kind"], "yes" if p["blocking"] else "no", p["message"]]
        for p in problems
    ]
    blocking = len(report.blocking)
    verdict = "refused for delivery" if blocking else "deliverable"
    counted = f"{len(problems)} problem" + ("" if len(problems) == 1 else "s")
    title = f"{head}: {counted}, {blocking} blocking: {verdict} (CAP-6)"
    table(title, ["cue", "line", "problem", "blocking", "detail"], rows)
    return code


COMMANDS = {
    "demo": ("run the demo: the SDK against the embedded sandbox", _demo_arguments, run_demo),
    "sandbox": ("run the local REACH sandbox", _sandbox_arguments, run_sandbox),
    "validate-captions": (
        "check a caption file before delivery (CAP-6)",
        _captions_arguments,
        run_validate_captions,
    ),
}
