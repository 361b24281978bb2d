"""``ReachClient`` and ``AsyncReachClient``: the two drivers of one implementation.

Everything a call does (session handling, request building, retries, decoding) lives in
:class:`~kaltura_reach_vendor._engine.Engine` as sans-I/O workflows. The two client classes
share :class:`_ClientCore` for configuration and differ only in how they run a workflow:
``drive_sync`` with an ``httpx.Client`` or ``drive_async`` with an ``httpx.AsyncClient``.
Constructing a client does no network I/O.

Each operation is declared once, in :class:`_ClientCore`, as
``name = Operation(workflow_function)`` (:mod:`._operation`): both clients get it with the
workflow function's exact signature, returning the result (``ReachClient``) or an awaitable
of it (``AsyncReachClient``). Only what cannot be expressed that way is written per client:
``call`` and ``task_call`` (overloaded on ``into=``), ``iter_jobs`` (an iterator or an async
iterator) and closing.
"""

from __future__ import annotations

import functools
import os
import random
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

import httpx

from ._effects import Workflow, drive_async, drive_sync
from ._engine import ClientConfig, Engine
from ._operation import LazyModule, Operation
from ._secrets import mask_url
from ._wire.call import ApiCall, FilePart, JsonValue
from .errors import ApiError, ConfigurationError, StateError
from .regions import Region, resolve_service_url
from .retry import RetryPolicy
from .session import DEFAULT_EXPIRY, AdminSecret, AppToken, Credentials, as_hash_type

if TYPE_CHECKING:
    from typing_extensions import Self

    from . import (
        _downloads,
        _media_flows,
        _polling,
        _source_captions,
        _tasks,
        _uploads,
        deliveries,
    )
    from ._entry_moderation import (
        AsyncCategories,
        AsyncModeration,
        SyncCategories,
        SyncModeration,
    )
    from .media import DeliveryFormat, Flavor, SecretUrl, Source
    from .models import EntryVendorTask, KalturaObject
else:
    # The workflow modules are imported when one of their operations first runs, so that
    # constructing a sync client loads no models, captions, deliveries or asyncio
    # (tests/test_import_cost.py pins it).
    _downloads = LazyModule(f"{__package__}._downloads")
    _media_flows = LazyModule(f"{__package__}._media_flows")
    _polling = LazyModule(f"{__package__}._polling")
    _source_captions = LazyModule(f"{__package__}._source_captions")
    _tasks = LazyModule(f"{__package__}._tasks")
    _uploads = LazyModule(f"{__package__}._uploads")
    deliveries = LazyModule(f"{__package__}.deliveries")

__all__ = ["DEFAULT_MAX_RESPONSE_BYTES", "DEFAULT_TIMEOUT", "AsyncReachClient", "ReachClient"]

T = TypeVar("T")
M = TypeVar("M", bound="KalturaObject")
#: One multirequest item: its decoded result, or the error it failed with.
MultiResult = JsonValue | ApiError
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
#: Largest API response read by default (media downloads are streamed, not limited by this).
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024

#: Environment variables read by ``from_env`` (documented in docs/client.md).
ENV = {
    "partner_id": "KALTURA_VENDOR_PARTNER_ID",
    "vendor_name": "KALTURA_VENDOR_NAME",
    "app_version": "KALTURA_APP_VERSION",
    "app_token_id": "KALTURA_APP_TOKEN_ID",
    "app_token": "KALTURA_APP_TOKEN",
    "app_token_hash_type": "KALTURA_APP_TOKEN_HASH_TYPE",
    "admin_secret": "KALTURA_ADMIN_SECRET",
    "region": "KALTURA_REGION",
    "service_url": "KALTURA_SERVICE_URL",
}


def _credentials(app_token: AppToken | None, admin_secret: str | None) -> Credentials | None:
    if app_token is not None and admin_secret is not None:
        raise ConfigurationError("give app_token= or admin_secret=, not both")
    if app_token is not None:
        if not isinstance(app_token, AppToken):
            raise ConfigurationError(
                f"app_token must be an AppToken(id, token, hash_type), "
                f"not {type(app_token).__name__}"
            )
        return app_token
    if admin_secret is not None:
        return AdminSecret(admin_secret)  # refuses a blank or non-string secret
    return None


def _partner_id(value: object) -> int:
    """The vendor partner id: a positive int (a string of digits is accepted)."""
    given = value
    if isinstance(value, str) and value.strip().isdigit() and len(value) < 20:
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63:
        return value
    short = (isinstance(given, str) and len(given) <= 20) or isinstance(given, (int, bool))
    shown = repr(given) if short and (not isinstance(given, int) or given.bit_length() < 64) else ""
    raise ConfigurationError(
        "vendor_partner_id must be a positive integer (the vendor partner's id), "
        f"got {shown or type(given).__name__}"
    )


def _positive(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigurationError(f"{name} must be a positive integer or None, got {value!r}")
    return value


def _deadline(
    deadline: float | str | None, timeout: float | httpx.Timeout, timeouts: httpx.Timeout
) -> float | None:
    """The total time one HTTP exchange may take. ``"auto"``: a number ``timeout`` is also
    the total deadline; an ``httpx.Timeout`` gives connect + read (None parts ignored)."""
    if deadline == "auto":
        if not isinstance(timeout, httpx.Timeout):
            return float(timeout) if timeout is not None else None
        parts = [t for t in (timeouts.connect, timeouts.read) if t is not None]
        return sum(parts) if parts else None
    if deadline is None:
        return None
    if isinstance(deadline, bool) or not isinstance(deadline, (int, float)) or deadline <= 0:
        raise ConfigurationError(f"deadline must be a positive number of seconds, got {deadline!r}")
    return float(deadline)


H = TypeVar("H", httpx.Client, httpx.AsyncClient)


class _ClientCore(Generic[H]):
    """Configuration shared by the sync and async clients (``H``: their httpx client)."""

    def __init__(
        self,
        *,
        vendor_partner_id: int,
        vendor_name: str,
        app_version: str,
        app_token: AppToken | None = None,
        admin_secret: str | None = None,
        region: Region | str | None = None,
        service_url: str | None = None,
        allow_insecure_http: bool = False,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        deadline: float | Literal["auto"] | None = "auto",
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        retry: RetryPolicy | None = None,
        session_expiry: int = DEFAULT_EXPIRY,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        http_client: H | None = None,
    ) -> None:
        if not vendor_name or not app_version:
            raise ConfigurationError("vendor_name and app_version are required (AUTH-3)")
        timeouts = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        config = ClientConfig(
            service_url=resolve_service_url(
                region=region, service_url=service_url, allow_insecure_http=allow_insecure_http
            ),
            vendor_partner_id=_partner_id(vendor_partner_id),
            vendor_name=vendor_name,
            app_version=app_version,
            credentials=_credentials(app_token, admin_secret),
            retry=retry or RetryPolicy(),
            session_expiry=session_expiry,
            timeout=timeouts.as_dict(),
            deadline=_deadline(deadline, timeout, timeouts),
            max_response_bytes=_positive("max_response_bytes", max_response_bytes),
        )
        self._engine = Engine(config, clock=clock, rng=rng)
        #: An injected client belongs to the caller: the SDK never closes it.
        self._owns_http = http_client is None
        self._http_client: H | None = http_client
        self._http_lock = threading.Lock()
        self._closed = False

    @property
    def _http(self) -> H:
        """The httpx client, made on first use (making one loads certificates: ~30 ms)."""
        http = self._http_client
        if http is None:
            with self._http_lock:
                if self._http_client is None:
                    if self._closed:
                        raise StateError(f"this {type(self).__name__} is closed")
                    self._http_client = self._new_http()
                http = self._http_client
        return http

    def _new_http(self) -> H:
        raise NotImplementedError

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Self:
        """A client configured from the ``KALTURA_*`` environment variables (docs/client.md);
        keyword arguments win over the environment."""
        return cls(**{**cls._env_kwargs(environ), **overrides})

    @classmethod
    def _env_kwargs(cls, environ: Mapping[str, str] | None) -> dict[str, Any]:
        env = os.environ if environ is None else environ

        def get(key: str) -> str | None:
            value = env.get(ENV[key], "").strip()
            return value or None

        partner = get("partner_id")
        if partner is None or not partner.isdigit():
            raise ConfigurationError(f"{ENV['partner_id']} must be set to the vendor partner id")
        kwargs: dict[str, Any] = {
            "vendor_partner_id": int(partner),
            "vendor_name": get("vendor_name") or "",
            "app_version": get("app_version") or "",
            "admin_secret": get("admin_secret"),
            "region": get("region"),
            "service_url": get("service_url"),
        }
        token = get("app_token")
        if token is not None:
            token_id = get("app_token_id")
            if token_id is None:
                raise ConfigurationError(f"{ENV['app_token']} needs {ENV['app_token_id']}")
            hash_type = as_hash_type(get("app_token_hash_type"))
            kwargs["app_token"] = AppToken(token_id, token, hash_type)
        return kwargs

    # -- what every client can say about itself -------------------------------------------
    @property
    def service_url(self) -> str:
        return self._engine.config.service_url

    @property
    def vendor_partner_id(self) -> int:
        return self._engine.config.vendor_partner_id

    def client_tag(self, task_id: int | str | None = None) -> str:
        """The clientTag sent with non-task calls, or with calls about ``task_id`` (AUTH-3)."""
        return self._engine.client_tag(task_id)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(service_url={mask_url(self.service_url)!r}, "
            f"vendor_partner_id={self.vendor_partner_id})"
        )

    # -- operations: declared once, bound to both clients (see _operation.py) -------------
    vendor_ks = Operation(Engine.vendor_ks)
    multirequest = Operation(Engine.multirequest)
    task_multirequest = Operation(_tasks.task_multirequest)
    get_jobs = Operation(_polling.get_jobs)
    list_in_flight = Operation(_polling.list_in_flight)
    get_task = Operation(_tasks.get_task)
    claim = Operation(_tasks.claim)
    fail = Operation(_tasks.fail)
    complete = Operation(_tasks.complete)
    extend_access_key = Operation(_tasks.extend_access_key)
    is_cancelled = Operation(_tasks.is_cancelled)
    check_scheduled = Operation(_tasks.check_scheduled)
    start_live = Operation(_tasks.start_live)
    finish_live = Operation(_tasks.finish_live)
    register_live_feature = Operation(deliveries.register_live_feature)
    playback_context = Operation(_media_flows.playback_context)
    download_media = Operation(_downloads.download_media)
    source_captions = Operation(_source_captions.source_captions)
    upload = Operation(_uploads.upload)
    deliver_captions = Operation(deliveries.deliver_captions)
    deliver_translation = Operation(deliveries.deliver_translation)
    deliver_extended_audio_description = Operation(deliveries.deliver_extended_audio_description)
    deliver_chapters = Operation(deliveries.deliver_chapters)
    deliver_moderation = Operation(deliveries.deliver_moderation)
    deliver_dubbing = Operation(deliveries.deliver_dubbing)
    deliver_audio_description = Operation(deliveries.deliver_audio_description)
    deliver_sign_language = Operation(deliveries.deliver_sign_language)

    def media_url(
        self,
        task: EntryVendorTask,
        flavor: Flavor | str,
        *,
        format: DeliveryFormat | Source | None = None,
    ) -> SecretUrl:
        """MEDIA-4: the playManifest URL of ``flavor`` alone, carrying the task's access key
        (``format``: ``"applehttp"``, the default, ``"url"``, or the plan's ``Source``).

        Makes no request, so it is a plain method on both clients (not awaited on
        :class:`AsyncReachClient`). The result is a ``str`` whose ``repr`` masks the key.
        """
        return _media_flows.media_url(self._engine, task, flavor, format=format)

    # -- the low-level calls (overloaded on ``into=``, so written per client below) --------
    def _wf_call(
        self,
        service: str,
        action: str,
        params: Mapping[str, Any] | None,
        ks: str | None,
        task_id: int | str | None,
        files: Mapping[str, FilePart] | None,
        write: bool | None,
        into: type[M] | None,
    ) -> Workflow[JsonValue | M]:
        extra: dict[str, Any] = {"ks": ks, "task_id": task_id, "files": files or {}}
        if write is not None:
            extra["write"] = write
        call = ApiCall(service, action, params or {}, **extra)
        result: JsonValue = yield from self._engine.call(call)
        return _tasks.parse_as(result, into, call.name) if into is not None else result

    def _wf_task_call(
        self,
        task: EntryVendorTask,
        service: str,
        action: str,
        params: Mapping[str, Any] | None,
        files: Mapping[str, FilePart] | None,
        into: type[M] | None,
    ) -> Workflow[JsonValue | M]:
        flow = _tasks.task_call(self._engine, task, service, action, params or {}, files=files)
        result: JsonValue = yield from flow
        name = f"{service}.{action}"
        return _tasks.parse_as(result, into, name) if into is not None else result

    def _job_pager(self, page_size: int, include_scheduled: bool) -> _polling.JobPager:
        return _polling.JobPager("getJobs", _polling.pending_statuses(include_scheduled), page_size)

    def _release_claims(self) -> None:
        from ._claims import CLAIMS  # loaded already if this client claimed anything

        CLAIMS.release_all(self._engine)


class ReachClient(_ClientCore[httpx.Client]):
    """The blocking client. Use as a context manager, or call :meth:`close`.

    Besides the methods below it has every operation of the shared base (``get_jobs``,
    ``claim``, ``complete``, ``task_multirequest`` ...; docs/lifecycle.md), returning
    their results directly.
    """

    def _new_http(self) -> httpx.Client:
        return httpx.Client()

    @functools.cached_property
    def moderation(self) -> SyncModeration:
        """Entry moderation with the customer partner's KS (``ks=``, MOD-6): ``flag``,
        ``list_flags``, ``approve``, ``reject``, ``queue``, ``bulk_approve``, ``bulk_reject``."""
        from ._entry_moderation import SyncModeration

        return SyncModeration(self)

    @functools.cached_property
    def categories(self) -> SyncCategories:
        """Category moderation with the customer partner's KS: ``activate``, ``reject``."""
        from ._entry_moderation import SyncCategories

        return SyncCategories(self)

    def _run(self, workflow: Workflow[T]) -> T:
        return drive_sync(workflow, self._http)

    @overload
    def call(
        self,
        service: str,
        action: str,
        params: Mapping[str, Any] | None = None,
        *,
        ks: str | None = None,
        task_id: int | str | None = None,
        files: Mapping[str, FilePart] | None = None,
        write: bool | None = None,
        into: None = None,
    ) -> JsonValue: ...
    @overload
    def call(
        self,
        service: str,
        action: str,
        params: Mapping[str, Any] | None = None,
        *,
        ks: str | None = None,
        task_id: int | str | None = None,
        files: Mapping[str, FilePart] | None = None,
        write: bool | None = None,
        into: type[M],
    ) -> M: ...
    def call(
        self,
        service: str,
        action: str,
        params: Mapping[str, Any] | None = None,
        *,
        ks: str | None = None,
        task_id: int | str | None = None,
        files: Mapping[str, FilePart] | None = None,
        write: bool | None = None,
        into: type[M] | None = None,
    ) -> JsonValue | M:
        """Call any api_v3 action with the vendor session (or the ``ks`` given, as it is).

        Returns the decoded JSON result, or with ``into=CaptionAsset`` that model. For calls
        about a task, prefer :meth:`task_call`: it uses the task's access key and heals it
        when it expired (KEY-2).
        """
        return self._run(self._wf_call(service, action, params, ks, task_id, files, write, into))

    @overload
    def task_call(
        self,
        task: EntryVendorTask,
        service: str,
        action: str,
        params: Mapping[str, Any] | None = None,
        *,
        files: Mapping[str, FilePart] | None = None,
        into: None = None,
    ) -> JsonValue: ...
    @overload
    def task_call(
        self,
        task: EntryVendorTask,
        service: str,
        action: str,
        params: Mapping[str, Any] | None = None,
        *,
        files: Mapping[str, FilePart] | None = None,
        into: type[M],
    ) -> M: ...
    def task_call(
        self,
        task: EntryVendorTask,
        service: str,
        action: str,
        params: Mapping[str, Any] | None = None,
        *,
        files: Mapping[str, FilePart] | None = None,
        into: type[M] | None = None,
    ) -> JsonValue | M:
        """Call an action on the task's content with its access key (AUTH-7), the task named
        in the client tag (AUTH-3). An expired key is extended and the call retried once
        (KEY-2); ``ENTRY_VENDOR_TASK_NOT_FOUND`` raises :class:`TaskCancelled` (LIFE-8).
        Returns the decoded JSON, or with ``into=`` that model."""
        return self._run(self._wf_task_call(task, service, action, params, files, into))

    def iter_jobs(
        self, page_size: int = 500, *, include_scheduled: bool = False
    ) -> Iterator[EntryVendorTask]:
        """Every pending task across pages, each exactly once, oldest first (POLL-4)."""
        pager = self._job_pager(page_size, include_scheduled)
        while (call := pager.next_call()) is not None:
            yield from pager.feed(self._run(self._engine.call(call)))

    def close(self) -> None:
        """Release this client's task claims and close its HTTP client (if the SDK made it)."""
        self._release_claims()
        self._closed = True
        if self._owns_http and self._http_client is not None:
            self._http_client.close()

    def __enter__(self) -> ReachClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncReachClient(_ClientCore[httpx.AsyncClient]):
    """The asyncio client: the same methods as :class:`ReachClient`, awaitable."""

    def _new_http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient()

    @functools.cached_property
    def moderation(self) -> AsyncModeration:
        """Entry moderation with the customer partner's KS (see :attr:`ReachClient.moderation`)."""
        from ._entry_moderation import AsyncModeration

        return AsyncModeration(self)

    @functools.cached_property
    def categories(self) -> AsyncCategories:
        """Category moderation with the customer partner's KS: ``activate``, ``reject``."""
        from ._entry_moderation import AsyncCategories

        return AsyncCategories(self)

    async def _run(self, workflow: Workflow[T]) -> T:
        return await drive_async(workflow, self._http)

    @overload
    async def call(
        self,
        service: str,
        action: str,
        params: Mapping[str, Any] | None = None,
        *,
        ks: str | None = None,
        task_id: int | str | None = None,
        files: Mapping[str, FilePart] | None = None,
        write: bool | None = None,
        into: None = None,
    ) -> JsonValue: ...
    @overload
    async def call(
        self,
        service: str,
        action: str,
        params: Mapping[str, Any] | None = None,
        *,
        ks: str | None = None,
        task_id: int | str | None = None,
        files: Mapping[str, FilePart] | None = None,
        write: bool | None = None,
        into: type[M],
    ) -> M: ...
    async def call(
        self,
        service: str,
        action: str,
        params: Mapping[str, Any] | None = None,
        *,
        ks: str | None = None,
        task_id: int | str | None = None,
        files: Mapping[str, FilePart] | None = None,
        write: bool | None = None,
        into: type[M] | None = None,
    ) -> JsonValue | M:
        """Call any api_v3 action (see :meth:`ReachClient.call`)."""
        flow = self._wf_call(service, action, params, ks, task_id, files, write, into)
        return await self._run(flow)

    @overload
    async def task_call(
        self,
        task: EntryVendorTask,
        service: str,
        action: str,
        params: Mapping[str, Any] | None = None,
        *,
        files: Mapping[str, FilePart] | None = None,
        into: None = None,
    ) -> JsonValue: ...
    @overload
    async def task_call(
        self,
        task: EntryVendorTask,
        service: str,
        action: str,
        params: Mapping[str, Any] | None = None,
        *,
        files: Mapping[str, FilePart] | None = None,
        into: type[M],
    ) -> M: ...
    async def task_call(
        self,
        task: EntryVendorTask,
        service: str,
        action: str,
        params: Mapping[str, Any] | None = None,
        *,
        files: Mapping[str, FilePart] | None = None,
        into: type[M] | None = None,
    ) -> JsonValue | M:
        """Call with the task's access key (see :meth:`ReachClient.task_call`)."""
        return await self._run(self._wf_task_call(task, service, action, params, files, into))

    async def iter_jobs(
        self, page_size: int = 500, *, include_scheduled: bool = False
    ) -> AsyncIterator[EntryVendorTask]:
        """Every pending task across pages, each exactly once, oldest first (POLL-4)."""
        pager = self._job_pager(page_size, include_scheduled)
        while (call := pager.next_call()) is not None:
            for task in pager.feed(await self._run(self._engine.call(call))):
                yield task

    async def aclose(self) -> None:
        """Release this client's task claims and close its HTTP client (if the SDK made it)."""
        self._release_claims()
        self._closed = True
        if self._owns_http and self._http_client is not None:
            await self._http_client.aclose()

    async def __aenter__(self) -> AsyncReachClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
