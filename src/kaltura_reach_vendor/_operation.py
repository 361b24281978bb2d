"""Client operations declared once and bound to both clients, with their types intact.

A workflow function takes the client's engine first and returns a sans-I/O workflow::

    def claim(engine: Engine, task: EntryVendorTask, external_task_id: str | None = None)
        -> Workflow[EntryVendorTask]: ...

``claim = Operation(_tasks.claim)`` in the shared client base then gives
``ReachClient.claim(task, external_task_id=None) -> EntryVendorTask`` and
``AsyncReachClient.claim(task, external_task_id=None) -> Awaitable[EntryVendorTask]``: the
parameters come from the workflow function (``ParamSpec``), the result type from its
workflow, and the client's ``_run`` drives it (blocking or asyncio). Type checkers see the
exact signature on each client; ``help()`` shows the workflow function's docstring.

**Operation groups** bind a set of operations under a name (``client.moderation.flag``).
Declare the operations once in a mixin, and derive one class per client from it and
:class:`SyncGroup` or :class:`AsyncGroup`::

    class _ModerationOps:
        flag = Operation(flag_entry)

    class SyncModeration(_ModerationOps, SyncGroup): ...
    class AsyncModeration(_ModerationOps, AsyncGroup): ...

A group holds its client and runs workflows with the client's engine and driver, so
``SyncModeration(client).flag(...)`` returns the result and ``AsyncModeration(client).flag``
an awaitable of it, with the workflow function's exact parameters on both. Each client
exposes its group as a cached property.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Coroutine, Generator
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

if TYPE_CHECKING:
    from ._engine import Engine
    from .client import AsyncReachClient, ReachClient

__all__ = ["AsyncGroup", "LazyModule", "Operation", "OperationGroup", "SyncGroup"]

P = ParamSpec("P")
R = TypeVar("R")


class OperationGroup:
    """Operations bound under a name to one client (see the module docstring)."""

    __slots__ = ("_client",)

    def __init__(self, client: ReachClient | AsyncReachClient) -> None:
        self._client = client

    @property
    def _engine(self) -> Engine:
        return self._client._engine

    def _run(self, workflow: Generator[Any, Any, Any]) -> Any:
        return self._client._run(workflow)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class SyncGroup(OperationGroup):
    """A group of a :class:`~kaltura_reach_vendor.ReachClient`: operations return results."""

    __slots__ = ()

    def __init__(self, client: ReachClient) -> None:
        super().__init__(client)


class AsyncGroup(OperationGroup):
    """A group of an :class:`~kaltura_reach_vendor.AsyncReachClient`: operations return
    awaitables."""

    __slots__ = ()

    def __init__(self, client: AsyncReachClient) -> None:
        super().__init__(client)


class _LazyFunction:
    """A function named by its module and name, imported when first called or inspected."""

    __slots__ = ("_function", "_module", "_name")

    def __init__(self, module: str, name: str) -> None:
        self._module = module
        self._name = name
        self._function: Callable[..., Any] | None = None

    def resolve(self) -> Callable[..., Any]:
        if self._function is None:
            self._function = getattr(importlib.import_module(self._module), self._name)
        return self._function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)


class LazyModule:
    """Stands, at run time, for a module of workflow functions that is imported only when
    one of them first runs (``client.py`` imports the real modules for type checkers)::

        if TYPE_CHECKING:
            from . import deliveries
        else:
            deliveries = LazyModule("kaltura_reach_vendor.deliveries")

    ``deliveries.deliver_captions`` is then a stand-in that imports the module when called,
    so declaring ``Operation(deliveries.deliver_captions)`` imports nothing."""

    def __init__(self, module: str) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _LazyFunction(self._module, name)


def _resolve(flow: Any) -> Any:
    return flow.resolve() if isinstance(flow, _LazyFunction) else flow


class Operation(Generic[P, R]):
    """A descriptor: ``client.<name>(*args)`` runs ``flow(client._engine, *args)`` (the
    client: a ``ReachClient``, an ``AsyncReachClient`` or an operation group of one)."""

    def __new__(cls, flow: Callable[Concatenate[Engine, P], Generator[Any, Any, R]]) -> Any:
        if cls is Operation and isinstance(flow, _LazyFunction):
            return super().__new__(_LazyOperation)
        return super().__new__(cls)

    def __init__(self, flow: Callable[Concatenate[Engine, P], Generator[Any, Any, R]]) -> None:
        self._flow = flow
        if not isinstance(flow, _LazyFunction):
            self.__doc__ = flow.__doc__
            self.__wrapped__ = flow

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.__name__ = name

    @overload
    def __get__(self, client: None, owner: type[Any]) -> Operation[P, R]: ...
    @overload
    def __get__(
        self, client: AsyncReachClient, owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, R]]: ...
    @overload
    def __get__(self, client: ReachClient, owner: type[Any]) -> Callable[P, R]: ...
    @overload
    def __get__(
        self, client: AsyncGroup, owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, R]]: ...
    @overload
    def __get__(self, client: SyncGroup, owner: type[Any]) -> Callable[P, R]: ...
    def __get__(self, client: Any, owner: type[Any]) -> Any:
        if client is None:
            return self
        flow = _resolve(self._flow)

        @functools.wraps(flow)
        def bound(*args: P.args, **kwargs: P.kwargs) -> Any:
            return client._run(flow(client._engine, *args, **kwargs))

        return bound


class _LazyOperation(Operation[P, R]):
    """An operation whose workflow function is imported on first use (see :class:`LazyModule`);
    its docstring and ``__wrapped__`` import it when asked for (``help()``, ``inspect``)."""

    @property
    def __doc__(self) -> str | None:  # type: ignore[override]
        return _resolve(self._flow).__doc__  # type: ignore[no-any-return]

    @property
    def __wrapped__(self) -> Any:  # type: ignore[override]
        return _resolve(self._flow)
