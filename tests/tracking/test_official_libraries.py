"""Segment's own tracking libraries, pointed at the emulator's host, work unchanged."""

from __future__ import annotations

import json
import os
import subprocess

from segment.analytics import Client

from tests.support.node_packages import node_modules
from tests.tracking.helpers import Feed


def test_segment_analytics_python_sends_through_the_emulator(feed: Feed) -> None:
    errors: list[Exception] = []
    client = Client(
        feed.write_key,
        host=feed.emulator.url,
        gzip=True,
        on_error=lambda error, _items: errors.append(error),
        max_retries=1,
    )
    client.identify("py-user", {"email": "py@example.com", "plan": "pro"})
    for index in range(30):
        client.track("py-user", "Flex - Engagement Initiated", {"index": index})
    client.page(anonymous_id="py-anon", name="Pricing")
    client.flush()
    client.shutdown()
    assert errors == []
    messages = feed.admin("GET", f"/sources/{feed.source_id}/messages")["messages"]
    assert len(messages) == 32
    assert {m["context"]["library"]["name"] for m in messages} == {"analytics-python"}
    profile = feed.profile_of("user_id", "py-user")
    assert {"type": "email", "id": "py@example.com"} in profile["externalIds"]
    assert profile["traits"]["plan"] == "pro"


NODE_SCRIPT = """
const { Analytics } = require('@segment/analytics-node');
const [writeKey, host] = process.argv.slice(1);
const analytics = new Analytics({ writeKey, host, maxEventsInBatch: 5, flushInterval: 100 });
const errors = [];
analytics.on('error', (err) => errors.push(String(err && err.reason || err)));
analytics.identify({ userId: 'node-user', traits: { email: 'node@example.com' } });
for (let i = 0; i < 12; i++) {
  analytics.track({ userId: 'node-user', event: 'Flex - Engagement Completed', properties: { i } });
}
analytics.closeAndFlush({ timeout: 20000 }).then(() => {
  console.log(JSON.stringify({ errors }));
});
"""


def test_segment_analytics_node_sends_through_the_emulator(feed: Feed) -> None:
    modules = node_modules("@segment/analytics-node")
    result = subprocess.run(
        ["node", "-e", NODE_SCRIPT, feed.write_key, feed.emulator.url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "NODE_PATH": str(modules)},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"errors": []}
    messages = feed.admin("GET", f"/sources/{feed.source_id}/messages")["messages"]
    assert len(messages) == 13
    assert {m["context"]["library"]["name"] for m in messages} == {"@segment/analytics-node"}
    profile = feed.profile_of("user_id", "node-user")
    assert {"type": "email", "id": "node@example.com"} in profile["externalIds"]


def test_retries_after_lost_answers_store_each_message_once(feed: Feed) -> None:
    # The emulator takes the batch, then the answer is lost: the library sends it again and
    # messageId de-duplication keeps one copy, as Segment's does.
    feed.emulator.set_faults(
        [{"kind": "lost_response", "path": "^/v1/batch$", "probability": 0.5, "max_count": 4}],
        seed=7,
    )
    errors: list[Exception] = []
    client = Client(
        feed.write_key,
        host=feed.emulator.url,
        upload_size=20,
        max_retries=6,
        on_error=lambda error, _items: errors.append(error),
    )
    for index in range(100):
        client.track("retry-user", "Retried", {"index": index})
    client.flush()
    client.shutdown()
    assert errors == []
    assert feed.emulator.fault_counts().get("lost_response", 0) > 0
    messages = feed.admin("GET", f"/sources/{feed.source_id}/messages")["messages"]
    assert sorted(m["properties"]["index"] for m in messages) == list(range(100))
