"""Live captions: register a caption websocket on a live event and serve captions on it.

Run: ``python examples/live_captions.py`` (live captions) or ``python examples/live_captions.py
--translation`` (live translation), against the sandbox without ``KALTURA_*`` variables and your
account with them. ``--wait SECONDS`` keeps the endpoint open for Kaltura's puller (default 2).

The script registers the feature (the task's media and caption endpoints) and streams a few
stand-in captions once the puller connects. The task is finished on the event's schedule, which
``worker.py`` does for you (LIVE-4); here it stays registered.

Rules relied on (docs/rules.md): LIVE-1 (live features), LIVE-2 (registering the caption
websocket with its token), LIVE-6 (caption timestamps from the chunk mapping).
"""

from __future__ import annotations

import argparse
import time

from _account import account

from kaltura_reach_vendor import ReachClient
from kaltura_reach_vendor.demo_handlers import stand_in_transcript, toy_translate
from kaltura_reach_vendor.enums import VendorServiceFeature as F
from kaltura_reach_vendor.live import (
    CaptionFeed,
    LiveCaptionStream,
    new_caption_token,
    serve_captions_in_thread,
)


def main(client: ReachClient, feature: F, wait: float) -> None:
    for task in client.iter_jobs():
        if task.effective_service_feature != feature:
            continue
        token = new_caption_token()  # a secret: never printed
        feed = CaptionFeed()
        with serve_captions_in_thread(feed, token=token) as endpoint:
            registration = client.register_live_feature(
                task,
                media_url="rtmp://127.0.0.1:1935/live",  # your ingest (a stand-in here)
                media_key=f"example-{task.id}",
                caption_url=endpoint.url,
                caption_token=token,
                external_task_id=f"live-{task.id}",
            )
            print(
                f"{feature.name.lower()} task {task.id}: registered "
                f"{registration.feature_name}, event {registration.schedule.start_date:.0f}"
                f"-{registration.schedule.end_date:.0f}"
            )
            lines = stand_in_transcript()
            if feature == F.LIVE_TRANSLATION and task.target_language is not None:
                lines = toy_translate(lines, "English", str(task.target_language.value))
            deadline = time.monotonic() + wait
            while endpoint.connections == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            if endpoint.connections == 0:
                print("no puller connected yet: the event has not started")
                return
            stream = LiveCaptionStream(registration.schedule.end_date)
            stream.chunk_received(0.0, pts=90.0)
            for cue in lines.cues:
                feed.put(stream.caption(cue.text, cue.start_ms / 1000, cue.end_ms / 1000))
            feed.put(stream.end_of_stream())
            while feed.sent <= len(lines.cues) and time.monotonic() < deadline + 10:
                time.sleep(0.05)  # until the end of stream has gone out
            print(f"streamed {len(lines.cues)} captions")
        return
    print(f"no {feature.name.lower()} task pending")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--translation", action="store_true", help="live translation")
    parser.add_argument("--wait", type=float, default=2.0, help="seconds to wait for the puller")
    args = parser.parse_args()
    with account() as reach:
        main(reach, F.LIVE_TRANSLATION if args.translation else F.LIVE_CAPTION, args.wait)
