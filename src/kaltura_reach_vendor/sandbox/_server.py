"""The two front doors: a loopback ``ThreadingHTTPServer`` and an in-process httpx transport."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from ._app import App, Request, Response


class _BodyStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body produced chunk by chunk (and cut short when a fault asks for it)."""

    def __init__(self, response: Response, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        cut = self._response.cut_after
        total = self._response.content_length
        sent = 0
        for chunk in self._response.iter_body():
            if cut is not None and sent + len(chunk) > cut:
                if cut > sent:
                    yield chunk[: cut - sent]
                raise httpx.RemoteProtocolError(
                    "peer closed connection without sending complete message body: "
                    f"received {cut} bytes, expected {total}",
                    request=self._request,
                )
            sent += len(chunk)
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


class InProcessTransport(httpx.MockTransport):
    """An httpx transport (sync and async) that calls the app with no socket.

    Media files are streamed (``httpx`` reads them chunk by chunk); delays sleep the thread in
    a sync client and ``await asyncio.sleep`` in an async one, so concurrent async requests
    overlap their latency as they would over a network.
    """

    def __init__(self, app: App) -> None:
        self._app = app
        super().__init__(self._sync_handler)

    def _call(self, request: httpx.Request) -> Response:
        raw = request.url.raw_path.decode("ascii", errors="replace")
        path, _, query = raw.partition("?")
        headers = {k.lower(): v for k, v in request.headers.items()}
        return self._app.handle(Request(request.method, path, query, headers, request.content))

    @staticmethod
    def _to_httpx(response: Response, request: httpx.Request) -> httpx.Response:
        if response.drop:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        if response.chunks is None and response.cut_after is None:
            return httpx.Response(response.status, headers=response.headers, content=response.body)
        headers = {**response.headers, "Content-Length": str(response.content_length)}
        if request.method == "HEAD":
            return httpx.Response(response.status, headers=headers)
        return httpx.Response(
            response.status, headers=headers, stream=_BodyStream(response, request)
        )

    def _sync_handler(self, request: httpx.Request) -> httpx.Response:
        response = self._call(request)
        if response.delay:
            time.sleep(response.delay)
        return self._to_httpx(response, request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Answer without blocking the event loop during an injected delay."""
        await request.aread()
        response = self._call(request)
        if response.delay:
            await asyncio.sleep(response.delay)
        return self._to_httpx(response, request)


def make_transport(app: App) -> httpx.MockTransport:
    """An httpx transport (sync and async) that calls the app with no socket."""
    return InProcessTransport(app)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the sandbox has its own request log."""

    def setup(self) -> None:
        """Disable Nagle: headers and body are separate writes, and with delayed ACKs on the
        client each keep-alive answer would otherwise wait ~40 ms for the last segment."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

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
        self.send_header("Content-Length", str(response.content_length))
        self.end_headers()
        if self.command == "HEAD":
            return
        cut = response.cut_after
        sent = 0
        try:
            # Chunk by chunk: a large generated flavor is never one bytes object.
            for chunk in response.iter_body():
                if cut is not None and sent + len(chunk) > cut:
                    self.wfile.write(chunk[: cut - sent])
                    self.wfile.flush()
                    self.close_connection = True  # the socket closes mid-body
                    return
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away mid-body

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
