"""Poll, claim and finish tasks: the vendor loop, against the local sandbox.

Run: ``python examples/poll_and_claim.py`` (uses the embedded sandbox on loopback). Against
Kaltura, build the client with ``ReachClient.from_env()`` instead.
"""

from __future__ import annotations

from kaltura_reach_vendor import AppToken, ReachClient, TaskCancelled, fair_order
from kaltura_reach_vendor.sandbox import Sandbox
from kaltura_reach_vendor.session import as_hash_type


def main() -> None:
    with Sandbox("demo") as sandbox:
        creds = sandbox.credentials
        url = sandbox.serve()
        token = AppToken(
            creds.app_token.id, creds.app_token.token, as_hash_type(creds.app_token.hash_type)
        )
        with ReachClient(
            vendor_partner_id=creds.vendor_partner_id,
            vendor_name="example",
            app_version="0.1",
            app_token=token,
            service_url=url,
        ) as client:
            for task in fair_order(client.iter_jobs()):
                if task.is_live or task.is_human:
                    continue  # live tasks are registered; human jobs go to people
                client.claim(task, external_task_id=f"example-{task.id}")
                try:
                    # ... produce the deliverable with task.access_key, upload it ...
                    client.fail(task, "this example produces nothing")
                except TaskCancelled:
                    print(f"task {task.id} was cancelled")
                print(f"task {task.id}: {task.status.name if task.status else '?'}")


if __name__ == "__main__":
    main()
