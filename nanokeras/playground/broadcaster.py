"""Sends the latest messages to every open page, never faster than a frame rate.

Only the newest message of each kind matters (a page that falls behind skips to
the present instead of replaying the past), so the broadcaster keeps one message
per kind, each with a version number, and every subscriber sends what is newer
than what it sent last. Frames go out at most `max_fps` times a second per page.

Example:
    >>> broadcaster = Broadcaster(max_fps=20)
    >>> broadcaster.publish("frame", '{"epoch": 1}')
    >>> subscription = broadcaster.subscribe()
    >>> subscription.next_messages(timeout=1.0)
    [('frame', '{"epoch": 1}')]
    >>> subscription.next_messages(timeout=0.01)  # nothing new: empty (time for a keep-alive)
    []
    >>> subscription.close()
"""

import threading
import time

# The order a page must receive kinds in: a frame refers to the set-up before it.
KINDS = ("setup", "frame")


class Broadcaster:
    """The latest message of each kind, and the pages waiting for newer ones.

    Args:
        max_fps: the most frames a page receives per second.
    """

    def __init__(self, max_fps=20.0):
        if not max_fps > 0:
            raise ValueError(f"`max_fps` must be a positive number of frames per second, got {max_fps!r}.")
        self.min_interval = 1.0 / max_fps
        self._condition = threading.Condition()
        self._latest = {}  # kind -> (version, text)
        self._version = 0
        self._subscribers = set()
        self.closed = False

    def publish(self, kind, text):
        """Makes `text` the newest message of `kind` (one of `KINDS`) and wakes every page."""
        if kind not in KINDS:
            raise ValueError(f"Unknown message kind {kind!r}; expected one of {KINDS}.")
        with self._condition:
            self._version += 1
            self._latest[kind] = (self._version, text)
            self._condition.notify_all()

    def latest(self, kind):
        """The newest message of `kind`, or None."""
        with self._condition:
            entry = self._latest.get(kind)
        return entry[1] if entry else None

    @property
    def subscriber_count(self):
        with self._condition:
            return len(self._subscribers)

    def subscribe(self):
        subscription = Subscription(self)
        with self._condition:
            self._subscribers.add(subscription)
        return subscription

    def close(self):
        """Ends every subscription (their `next_messages` return None)."""
        with self._condition:
            self.closed = True
            self._condition.notify_all()


class Subscription:
    """One page's place in the stream: which versions it has been sent, and when its last frame went."""

    def __init__(self, broadcaster):
        self._broadcaster = broadcaster
        self._sent = {kind: 0 for kind in KINDS}
        self._next_frame_time = float("-inf")

    def next_messages(self, timeout):
        """`[(kind, text), ...]` newer than what this page has, waiting up to `timeout` seconds.

        Returns `[]` when nothing came in time, and None once the broadcaster is closed.
        A frame waits until `min_interval` has passed since this page's previous frame.
        """
        broadcaster = self._broadcaster
        clock = time.monotonic
        deadline = clock() + timeout
        with broadcaster._condition:
            while True:
                if broadcaster.closed:
                    return None
                now = clock()
                ready, frame_waiting = [], False
                for kind in KINDS:
                    version, text = broadcaster._latest.get(kind, (0, None))
                    if version <= self._sent[kind]:
                        continue
                    if kind == "frame" and now < self._next_frame_time:
                        frame_waiting = True
                        continue
                    ready.append((kind, version, text))
                if ready:
                    for kind, version, _ in ready:
                        self._sent[kind] = version
                        if kind == "frame":
                            self._next_frame_time = now + broadcaster.min_interval
                    return [(kind, text) for kind, _, text in ready]
                if now >= deadline:
                    return []
                wake = min(deadline, self._next_frame_time) if frame_waiting else deadline
                broadcaster._condition.wait(max(wake - now, 0.0))

    def close(self):
        with self._broadcaster._condition:
            self._broadcaster._subscribers.discard(self)
