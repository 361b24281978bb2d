"""Handlers the ``work`` tests name with ``--handlers tests.cli.handlers:...``."""

from __future__ import annotations

from typing import Any

from kaltura_reach_vendor import Chapter
from kaltura_reach_vendor.enums import VendorServiceFeature as F

SRT = "1\n00:00:01,000 --> 00:00:02,500\nHello there.\n"


def captions(job: Any) -> Any:
    return job.client.deliver_captions(job.task, SRT, accuracy=95)


def chapters(job: Any) -> Any:
    return job.client.deliver_chapters(job.task, [Chapter(0, "Intro")], accuracy=90)


def broken(job: Any) -> Any:
    raise RuntimeError("the engine is out of coffee")


HANDLERS: dict[Any, Any] = {F.CAPTIONS: captions, F.CHAPTERING: chapters}
#: Keys as the vendor may write them in a config: names and numbers.
BY_NAME: dict[Any, Any] = {"captions": captions, "5": chapters}
FAILING: dict[Any, Any] = {F.CHAPTERING: broken}
NOT_A_MAPPING = [captions]
NOT_CALLABLE = {F.CAPTIONS: "captions"}
UNKNOWN_FEATURE = {"teleportation": captions}


def make_handlers() -> dict[Any, Any]:
    """A factory: ``--handlers tests.cli.handlers:make_handlers``."""
    return dict(HANDLERS)


def exploding_factory() -> dict[Any, Any]:
    raise ValueError("no config file")
