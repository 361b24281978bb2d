"""Logging: httpx and httpcore records masked, silence without configuration, a strict
``KALTURA_REACH_LOG``, log arguments built only when emitted (AUTH-9)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import kaltura_reach_vendor
from kaltura_reach_vendor import ConfigurationError, _log, _secrets
from kaltura_reach_vendor._log import MaskingFilter, configure_from_env, get_logger
from kaltura_reach_vendor._secrets import MASK, forget_secret, masked, register_secret

MEDIA_KEY = "media-access-key-0123456789abcdef"  # nothing a pattern knows outside /ks/
OTHER_KEY = "another-registered-key-fedcba987"
SRC = str(Path(kaltura_reach_vendor.__file__).resolve().parents[1])


@pytest.fixture
def keys() -> Iterator[None]:
    register_secret(MEDIA_KEY)
    register_secret(OTHER_KEY)
    yield
    forget_secret(MEDIA_KEY)
    forget_secret(OTHER_KEY)


@pytest.mark.rule("AUTH-9")
@pytest.mark.usefixtures("keys")
def test_auth_9_httpx_request_log_is_masked(caplog: pytest.LogCaptureFixture) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, text="ok"))
    with caplog.at_level(logging.INFO, logger="httpx"), httpx.Client(transport=transport) as http:
        http.get(f"https://cdn.example.com/p/1001/ks/{MEDIA_KEY}/a.mp4")
        http.get(f"https://cdn.example.com/download/{OTHER_KEY}/a.mp4?x=1")
    records = [r for r in caplog.records if r.name == "httpx"]
    assert [r.levelno for r in records] == [logging.INFO, logging.INFO]
    messages = [r.getMessage() for r in records]
    assert messages == [
        f'HTTP Request: GET https://cdn.example.com/p/1001/ks/{MASK}/a.mp4 "HTTP/1.1 200 OK"',
        f'HTTP Request: GET https://cdn.example.com/download/{MASK}/a.mp4?x=1 "HTTP/1.1 200 OK"',
    ]
    assert MEDIA_KEY not in caplog.text and OTHER_KEY not in caplog.text


@pytest.mark.rule("AUTH-9")
@pytest.mark.usefixtures("keys")
def test_auth_9_httpcore_records_masked_and_exceptions_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="httpcore"):
        logging.getLogger("httpcore.http11").debug("receive_response_headers %s", OTHER_KEY)
        try:
            raise ValueError(f"bad key {MEDIA_KEY}")
        except ValueError:
            logging.getLogger("httpx").exception("request to %s failed", OTHER_KEY)
    first, second = caplog.records
    assert first.getMessage() == f"receive_response_headers {MASK}"
    assert second.getMessage() == f"request to {MASK} failed"
    assert second.exc_info is not None  # other libraries' records keep their exception
    assert second.exc_text is not None and MEDIA_KEY not in second.exc_text
    assert MEDIA_KEY not in caplog.text and OTHER_KEY not in caplog.text


def test_install_filters_is_idempotent() -> None:
    _log.install_filters()
    _log.install_filters()
    for name in _log.THIRD_PARTY_LOGGERS:
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, MaskingFilter) for f in filters) == 1, name
    handlers = logging.getLogger(_log.ROOT).handlers
    assert sum(isinstance(h, logging.NullHandler) for h in handlers) == 1


_RETRY_SCRIPT = textwrap.dedent(
    """
    import httpx
    from kaltura_reach_vendor import ReachClient, RetryPolicy

    answers = [httpx.Response(503, text="busy"), httpx.Response(200, json={"id": 1})]
    seen = []

    def handler(request):
        seen.append(request)
        return answers.pop(0)

    if UNHANDLED:
        import logging
        logging.getLogger("kaltura_reach_vendor").handlers.clear()
    client = ReachClient(
        vendor_partner_id=1,
        vendor_name="v",
        app_version="1",
        service_url="https://reach.test",
        retry=RetryPolicy(max_attempts=2, backoff=0.0, jitter=0.0),
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    client.call("reach_entryVendorTask", "get", {"id": 1}, ks="djJ8MTAwMXxrZXktYnl0ZXM=")
    print(len(seen))
    """
)


def _run(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "KALTURA_REACH_LOG"}
    environ.update(env, PYTHONPATH=SRC)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environ, timeout=120
    )


def test_retry_warning_does_not_reach_stderr_without_logging_configured() -> None:
    quiet = _run("UNHANDLED = False\n" + _RETRY_SCRIPT)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout.strip() == "2"  # the retry happened, and with it a WARNING record
    assert quiet.stderr == ""
    # Control: without the NullHandler, logging's last resort prints the warning.
    loud = _run("UNHANDLED = True\n" + _RETRY_SCRIPT)
    assert loud.returncode == 0 and "retrying" in loud.stderr


def test_unknown_log_level_in_environment_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KALTURA_REACH_LOG", "verbose")
    with pytest.raises(ConfigurationError) as raised:
        configure_from_env()
    assert "KALTURA_REACH_LOG='verbose'" in str(raised.value)
    assert "debug, info, warning, error" in str(raised.value)
    monkeypatch.setenv("KALTURA_REACH_LOG", "  ")
    root = logging.getLogger(_log.ROOT)
    before = list(root.handlers)
    configure_from_env()  # blank: nothing to do
    assert root.handlers == before


def test_unknown_log_level_fails_the_import() -> None:
    result = _run("import kaltura_reach_vendor", KALTURA_REACH_LOG="loud")
    assert result.returncode != 0
    assert "ConfigurationError" in result.stderr and "KALTURA_REACH_LOG='loud'" in result.stderr
    assert _run("import kaltura_reach_vendor", KALTURA_REACH_LOG="WARNING").returncode == 0


def test_masked_log_argument_is_built_only_when_emitted(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[object] = []
    real = _secrets.mask_value

    def counting(value: object) -> object:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(_secrets, "mask_value", counting)
    log = get_logger("test_lazy")
    params = {"secret": "abc123xyz", "id": 7}
    with caplog.at_level(logging.WARNING, logger=_log.ROOT):
        log.debug("params=%s", masked(params))
    assert calls == []  # DEBUG off: not walked at all
    with caplog.at_level(logging.DEBUG, logger=_log.ROOT):
        log.debug("params=%s", masked(params))
    assert calls and calls[0] is params
    assert caplog.records[-1].getMessage() == f"params={{'secret': '{MASK}', 'id': 7}}"
