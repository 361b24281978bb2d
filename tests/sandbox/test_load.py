"""Load over loopback: many clients connecting at once are all served (issue 10, point 11).

With the standard library's listen backlog (5), about twenty clients connecting together got
``Connection reset by peer``. Bounded: 100 clients, two calls each, on 127.0.0.1 only, with
timeouts on every wait.
"""

from __future__ import annotations

import threading

import httpx

from kaltura_reach_vendor.sandbox import Sandbox

CLIENTS = 100
TIMEOUT = 30.0


def test_hundred_concurrent_keep_alive_clients_are_served() -> None:
    with Sandbox("demo", seed=11) as sandbox:
        url = sandbox.serve("127.0.0.1", 0)
        assert url.startswith("http://127.0.0.1:")
        start = threading.Barrier(CLIENTS, timeout=TIMEOUT)
        held = threading.Barrier(CLIENTS, timeout=TIMEOUT)
        results: list[tuple[str, ...]] = []
        errors: list[str] = []
        lock = threading.Lock()

        def client(index: int) -> None:
            limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
            try:
                with httpx.Client(base_url=url, timeout=TIMEOUT, limits=limits) as http:
                    start.wait()  # every client opens its connection at the same moment
                    first = http.post(
                        "/api_v3/service/session/action/startWidgetSession",
                        data={"widgetId": "_1001", "format": "1", "clientTag": f"load-{index}"},
                    )
                    held.wait()  # all connections are open and idle (keep-alive) together
                    second = http.post(
                        "/api_v3/service/reach_vendorcatalogitem/action/get",
                        data={"ks": first.json()["ks"], "id": "30001", "format": "1"},
                    )
                    with lock:
                        results.append(
                            (
                                str(first.status_code),
                                str(second.status_code),
                                first.headers.get("connection", "keep-alive"),
                                str(second.json().get("code") or second.json().get("objectType")),
                            )
                        )
            except Exception as exc:  # every failure is reported below
                with lock:
                    errors.append(f"{index}: {type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=2 * TIMEOUT)
        assert not any(thread.is_alive() for thread in threads), "clients did not finish in time"
        assert errors == []
        assert len(results) == CLIENTS
        assert {r[:3] for r in results} == {("200", "200", "keep-alive")}
        # a widget KS may not read catalog items: each second call got a real server answer
        assert {r[3] for r in results} <= {"SERVICE_FORBIDDEN", "KalturaVendorCatalogItem"}
        tags = {r.client_tag for r in sandbox.request_log}
        assert {f"load-{i}" for i in range(CLIENTS)} <= tags
