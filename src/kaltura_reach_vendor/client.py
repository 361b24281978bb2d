"""``ReachClient`` and ``AsyncReachClient``: the two drivers of one implementation.

Everything a call does (session handling, request building, retries, decoding) lives in
:class:`~kaltura_reach_vendor._engine.Engine` as sans-I/O workflows. The two client classes
share :class:`_ClientCore` for configuration and differ only in how they run a workflow:
``drive_sync`` with an ``httpx.Client`` or ``drive_async`` with an ``httpx.AsyncClient``.
Constructing a client does no network I/O.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx
from typing_extensions import Self

from . import _tasks
from ._effects import Workflow, drive_async, drive_sync
from ._engine import ClientConfig, Engine
from ._wire.call import ApiCall, FilePart
from .enums import EntryVendorTaskStatus
from .errors import ConfigurationError
from .models import EntryVendorTask, EntryVendorTaskListResponse
from .regions import Region, resolve_service_url
from .retry import RetryPolicy
from .session import DEFAULT_EXPIRY, AdminSecret, AppToken, Credentials

__all__ = ["DEFAULT_TIMEOUT", "AsyncReachClient", "ReachClient"]

T = TypeVar("T")
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)

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
        return app_token
    if admin_secret is not None:
        return AdminSecret(admin_secret)
    return None


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
        retry: RetryPolicy | None = None,
        session_expiry: int = DEFAULT_EXPIRY,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        http_client: H | None = None,
    ) -> None:
        if not vendor_name or not app_version:
            raise ConfigurationError("vendor_name and app_version are required (AUTH-3)")
        config = ClientConfig(
            service_url=resolve_service_url(
                region=region, service_url=service_url, allow_insecure_http=allow_insecure_http
            ),
            vendor_partner_id=int(vendor_partner_id),
            vendor_name=vendor_name,
            app_version=app_version,
            credentials=_credentials(app_token, admin_secret),
            retry=retry or RetryPolicy(),
            session_expiry=session_expiry,
            timeout=(
                timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
            ).as_dict(),
        )
        self._engine = Engine(config, clock=clock, rng=rng)
        #: An injected client belongs to the caller: the SDK never closes it.
        self._owns_http = http_client is None
        self._http: H = http_client if http_client is not None else self._new_http()

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
            kwargs["app_token"] = AppToken(token_id, token, get("app_token_hash_type") or "SHA1")
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
            f"{type(self).__name__}(service_url={self.service_url!r}, "
            f"vendor_partner_id={self.vendor_partner_id})"
        )

    # -- workflows (shared; the drivers below only run them) ----------------------------
    @staticmethod
    def _statuses(include_scheduled: bool) -> tuple[EntryVendorTaskStatus, ...]:
        """POLL-3: PENDING, plus SCHEDULED when asked."""
        pending = EntryVendorTaskStatus.PENDING
        return (pending, EntryVendorTaskStatus.SCHEDULED) if include_scheduled else (pending,)

    def _wf_get_jobs(
        self, page_size: int, page_index: int, include_scheduled: bool
    ) -> Workflow[EntryVendorTaskListResponse]:
        call = _tasks.get_jobs_call(page_size, page_index, self._statuses(include_scheduled))
        result = yield from self._engine.call(call)
        return _tasks.parse_list(result, "getJobs")

    def _job_pager(self, page_size: int, include_scheduled: bool) -> _tasks.JobPager:
        return _tasks.JobPager("getJobs", self._statuses(include_scheduled), page_size)

    def _in_flight_pager(self) -> _tasks.JobPager:
        """POLL-8: PROCESSING and SCHEDULED tasks via ``list`` (vendor KS)."""
        statuses = (EntryVendorTaskStatus.PROCESSING, EntryVendorTaskStatus.SCHEDULED)
        return _tasks.JobPager("list", statuses)

    def _wf_call(
        self,
        service: str,
        action: str,
        params: Mapping[str, Any] | None,
        ks: str | None,
        task_id: int | str | None,
        files: Mapping[str, FilePart] | None,
        write: bool | None,
    ) -> Workflow[Any]:
        extra: dict[str, Any] = {"ks": ks, "task_id": task_id, "files": files or {}}
        if write is not None:
            extra["write"] = write
        call = ApiCall(service, action, params or {}, **extra)
        return self._engine.call(call)


class ReachClient(_ClientCore[httpx.Client]):
    """The blocking client. Use as a context manager, or call :meth:`close`."""

    def _new_http(self) -> httpx.Client:
        return httpx.Client()

    def _run(self, workflow: Workflow[T]) -> T:
        return drive_sync(workflow, self._http)

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
    ) -> Any:
        """Call any api_v3 action; returns the decoded JSON result or raises its error.

        Without ``ks`` the vendor session is used; give a task's access key as ``ks`` (and
        the task's id as ``task_id``, for the client tag) for calls on customer content.
        """
        return self._run(self._wf_call(service, action, params, ks, task_id, files, write))

    def multirequest(self, calls: Sequence[ApiCall]) -> list[Any]:
        """Send several calls in one request; a failed item is an ``ApiError`` in the list."""
        return self._run(self._engine.multirequest(calls))

    def vendor_ks(self) -> str:
        """The vendor session (started now if needed; cached and renewed automatically)."""
        return self._run(self._engine.vendor_ks())

    # -- tasks (POLL, LIFE, KEY, LIVE-3/4; see docs/lifecycle.md) -------------------------
    def get_jobs(
        self, page_size: int = 500, page_index: int = 1, *, include_scheduled: bool = False
    ) -> EntryVendorTaskListResponse:
        """One page of pending tasks (POLL-1 to POLL-4)."""
        return self._run(self._wf_get_jobs(page_size, page_index, include_scheduled))

    def iter_jobs(
        self, page_size: int = 500, *, include_scheduled: bool = False
    ) -> Iterator[EntryVendorTask]:
        """Every pending task across pages, each exactly once (POLL-4)."""
        pager = self._job_pager(page_size, include_scheduled)
        while (call := pager.next_call()) is not None:
            yield from pager.feed(self._run(self._engine.call(call)))

    def list_in_flight(self) -> list[EntryVendorTask]:
        """PROCESSING and SCHEDULED tasks, to pick work up again after a restart (POLL-8)."""
        return self._run(_tasks.collect(self._engine, self._in_flight_pager()))

    def get_task(self, task: EntryVendorTask) -> EntryVendorTask:
        """Re-read ``task`` with its access key and the reach_vendor profile (POLL-2)."""
        return self._run(_tasks.get_task(self._engine, task))

    def claim(self, task: EntryVendorTask, external_task_id: str | None = None) -> EntryVendorTask:
        """PENDING → PROCESSING before any work on a VOD task (LIFE-2, LIFE-7)."""
        return self._run(_tasks.claim(self._engine, task, external_task_id))

    def fail(self, task: EntryVendorTask, reason: str) -> EntryVendorTask:
        """→ ERROR with a short, non-empty description (LIFE-4)."""
        return self._run(_tasks.fail(self._engine, task, reason))

    def complete(
        self,
        task: EntryVendorTask,
        output_object_id: str,
        accuracy: int,
        units_used: int | None = None,
    ) -> EntryVendorTask:
        """PROCESSING → READY with the delivered object's id (LIFE-5, LIFE-6, LIFE-10)."""
        return self._run(
            _tasks.complete(self._engine, task, output_object_id, accuracy, units_used)
        )

    def extend_access_key(self, task: EntryVendorTask) -> EntryVendorTask:
        """A fresh access key for a PROCESSING or SCHEDULED task (KEY-2 to KEY-4)."""
        return self._run(_tasks.extend_access_key(self._engine, task))

    def is_cancelled(self, task: EntryVendorTask) -> bool:
        """True when the customer cancelled the task or it is gone (LIFE-8)."""
        return self._run(_tasks.is_cancelled(self._engine, task))

    def check_scheduled(self, task: EntryVendorTask) -> bool:
        """LIVE-3: True while a SCHEDULED live task is still ordered; False if cancelled."""
        return self._run(_tasks.check_scheduled(self._engine, task))

    def start_live(self, task: EntryVendorTask) -> EntryVendorTask:
        """SCHEDULED → PROCESSING when the live event starts (LIVE-4)."""
        return self._run(_tasks.start_live(self._engine, task))

    def finish_live(self, task: EntryVendorTask, accuracy: int | None = None) -> EntryVendorTask:
        """PROCESSING → READY after the live event ended (LIVE-4)."""
        return self._run(_tasks.finish_live(self._engine, task, accuracy))

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

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

    async def _run(self, workflow: Workflow[T]) -> T:
        return await drive_async(workflow, self._http)

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
    ) -> Any:
        """Call any api_v3 action (see :meth:`ReachClient.call`)."""
        return await self._run(self._wf_call(service, action, params, ks, task_id, files, write))

    async def multirequest(self, calls: Sequence[ApiCall]) -> list[Any]:
        """Send several calls in one request (see :meth:`ReachClient.multirequest`)."""
        return await self._run(self._engine.multirequest(calls))

    async def vendor_ks(self) -> str:
        """The vendor session (see :meth:`ReachClient.vendor_ks`)."""
        return await self._run(self._engine.vendor_ks())

    # -- tasks (the same workflows as ReachClient; see docs/lifecycle.md) -----------------
    async def get_jobs(
        self, page_size: int = 500, page_index: int = 1, *, include_scheduled: bool = False
    ) -> EntryVendorTaskListResponse:
        """One page of pending tasks (POLL-1 to POLL-4)."""
        return await self._run(self._wf_get_jobs(page_size, page_index, include_scheduled))

    async def iter_jobs(
        self, page_size: int = 500, *, include_scheduled: bool = False
    ) -> AsyncIterator[EntryVendorTask]:
        """Every pending task across pages, each exactly once (POLL-4)."""
        pager = self._job_pager(page_size, include_scheduled)
        while (call := pager.next_call()) is not None:
            for task in pager.feed(await self._run(self._engine.call(call))):
                yield task

    async def list_in_flight(self) -> list[EntryVendorTask]:
        """PROCESSING and SCHEDULED tasks, to pick work up again after a restart (POLL-8)."""
        return await self._run(_tasks.collect(self._engine, self._in_flight_pager()))

    async def get_task(self, task: EntryVendorTask) -> EntryVendorTask:
        """Re-read ``task`` with its access key and the reach_vendor profile (POLL-2)."""
        return await self._run(_tasks.get_task(self._engine, task))

    async def claim(
        self, task: EntryVendorTask, external_task_id: str | None = None
    ) -> EntryVendorTask:
        """PENDING → PROCESSING before any work on a VOD task (LIFE-2, LIFE-7)."""
        return await self._run(_tasks.claim(self._engine, task, external_task_id))

    async def fail(self, task: EntryVendorTask, reason: str) -> EntryVendorTask:
        """→ ERROR with a short, non-empty description (LIFE-4)."""
        return await self._run(_tasks.fail(self._engine, task, reason))

    async def complete(
        self,
        task: EntryVendorTask,
        output_object_id: str,
        accuracy: int,
        units_used: int | None = None,
    ) -> EntryVendorTask:
        """PROCESSING → READY with the delivered object's id (LIFE-5, LIFE-6, LIFE-10)."""
        return await self._run(
            _tasks.complete(self._engine, task, output_object_id, accuracy, units_used)
        )

    async def extend_access_key(self, task: EntryVendorTask) -> EntryVendorTask:
        """A fresh access key for a PROCESSING or SCHEDULED task (KEY-2 to KEY-4)."""
        return await self._run(_tasks.extend_access_key(self._engine, task))

    async def is_cancelled(self, task: EntryVendorTask) -> bool:
        """True when the customer cancelled the task or it is gone (LIFE-8)."""
        return await self._run(_tasks.is_cancelled(self._engine, task))

    async def check_scheduled(self, task: EntryVendorTask) -> bool:
        """LIVE-3: True while a SCHEDULED live task is still ordered; False if cancelled."""
        return await self._run(_tasks.check_scheduled(self._engine, task))

    async def start_live(self, task: EntryVendorTask) -> EntryVendorTask:
        """SCHEDULED → PROCESSING when the live event starts (LIVE-4)."""
        return await self._run(_tasks.start_live(self._engine, task))

    async def finish_live(
        self, task: EntryVendorTask, accuracy: int | None = None
    ) -> EntryVendorTask:
        """PROCESSING → READY after the live event ended (LIVE-4)."""
        return await self._run(_tasks.finish_live(self._engine, task, accuracy))

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncReachClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
