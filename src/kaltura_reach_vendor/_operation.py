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
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine, Generator
from typing import TYPE_CHECKING, Any, Concatenate, Generic, TypeVar, overload

from typing_extensions import ParamSpec

if TYPE_CHECKING:
    from ._engine import Engine
    from .client import AsyncReachClient, ReachClient

__all__ = ["Operation"]

P = ParamSpec("P")
R = TypeVar("R")


class Operation(Generic[P, R]):
    """A descriptor: ``client.<name>(*args)`` runs ``flow(client._engine, *args)``."""

    def __init__(self, flow: Callable[Concatenate[Engine, P], Generator[Any, Any, R]]) -> None:
        self._flow = flow
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
    def __get__(self, client: Any, owner: type[Any]) -> Any:
        if client is None:
            return self
        flow = self._flow

        @functools.wraps(flow)
        def bound(*args: P.args, **kwargs: P.kwargs) -> Any:
            return client._run(flow(client._engine, *args, **kwargs))

        return bound
