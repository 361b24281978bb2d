"""The two front doors: a loopback ``ThreadingHTTPServer`` and an in-process httpx transport."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from ._app import App, Request


def make_transport(app: App) -> httpx.MockTransport:
    """An httpx transport (sync and async) that calls the app with no socket."""

    def handler(request: httpx.Request) -> httpx.Response:
        raw = request.url.raw_path.decode("ascii", errors="replace")
        path, _, query = raw.partition("?")
        headers = {k.lower(): v for k, v in request.headers.items()}
        body = request.read()
        response = app.handle(Request(request.method, path, query, headers, body))
        if response.delay:
            time.sleep(response.delay)
        if response.drop:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        return httpx.Response(response.status, headers=response.headers, content=response.body)

    return httpx.MockTransport(handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the sandbox has its own request log."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path, _, query = self.path.partition("?")
        headers = {k.lower(): v for k, v in self.headers.items()}
        response = self.server.app.handle(Request(self.command, path, query, headers, body))
        if response.delay:
            time.sleep(response.delay)
        if response.drop:
            self.close_connection = True
            return
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = _serve
    do_POST = _serve
    do_HEAD = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024
    """The listen backlog. The standard library's default (5) resets connections as soon as a
    handful of clients connect at once; production front ends do not (the kernel still caps
    it at ``net.core.somaxconn``). One thread serves each connection, keep-alive included."""

    def __init__(self, address: tuple[str, int], app: App) -> None:
        self.app = app
        super().__init__(address, _Handler)


class HttpFrontDoor:
    """A running loopback HTTP server in a background thread."""

    def __init__(self, app: App, host: str, port: int) -> None:
        self._server = _Server((host, port), app)
        bound_host, bound_port = self._server.server_address[:2]
        self.url = f"http://{bound_host!s}:{bound_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="reach-sandbox-http", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
