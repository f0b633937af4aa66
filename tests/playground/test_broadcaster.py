"""nanokeras/playground/broadcaster.py: every page gets the latest messages, frames at a bounded rate."""

import threading
import time

import pytest

from nanokeras.playground.broadcaster import Broadcaster


def _collect(subscription, seconds, until=None):
    """`[(time, kind, text), ...]` received within `seconds` (or as soon as the text `until` arrives)."""
    received, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline and not (until is not None and received and received[-1][2] == until):
        messages = subscription.next_messages(timeout=deadline - time.monotonic())
        if messages is None:
            break
        received += [(time.monotonic(), kind, text) for kind, text in messages]
    return received


def test_frames_reach_a_page_at_most_max_fps_and_the_last_one_always_arrives():
    broadcaster = Broadcaster(max_fps=20)
    subscription = broadcaster.subscribe()

    def publish():
        for i in range(400):  # 400 frames in about 0.4 s
            broadcaster.publish("frame", str(i))
            time.sleep(0.001)

    thread = threading.Thread(target=publish)
    thread.start()
    # Until the last frame arrives: on a busy machine the 400 sleeps can take well over a second.
    received = _collect(subscription, 20.0, until="399")
    thread.join()
    times = [t for t, kind, _ in received]
    assert 3 <= len(received) <= (times[-1] - times[0]) / 0.05 + 2  # 20 a second at most
    # Measured on arrival, so a late wake-up can shorten one gap; the rate above is what the page sees.
    assert all(b - a >= 0.03 for a, b in zip(times, times[1:]))
    assert received[-1][2] == "399"  # the newest, never a stale one
    texts = [int(text) for _, _, text in received]
    assert texts == sorted(texts)


def test_setup_messages_are_not_held_back_by_the_frame_rate():
    broadcaster = Broadcaster(max_fps=2)
    subscription = broadcaster.subscribe()
    broadcaster.publish("frame", "a")
    assert subscription.next_messages(timeout=1) == [("frame", "a")]
    broadcaster.publish("frame", "b")
    broadcaster.publish("setup", "s")
    start = time.monotonic()
    assert subscription.next_messages(timeout=1) == [("setup", "s")]
    assert time.monotonic() - start < 0.1
    assert subscription.next_messages(timeout=1) == [("frame", "b")]
    assert time.monotonic() - start >= 0.45


def test_a_new_page_gets_the_current_state_first_setup_then_frame():
    broadcaster = Broadcaster()
    broadcaster.publish("frame", "f1")
    broadcaster.publish("setup", "s1")
    broadcaster.publish("frame", "f2")
    assert broadcaster.subscribe().next_messages(timeout=1) == [("setup", "s1"), ("frame", "f2")]
    assert broadcaster.latest("setup") == "s1" and broadcaster.latest("frame") == "f2"


def test_pages_are_independent_and_closing_ends_them():
    broadcaster = Broadcaster()
    pages = [broadcaster.subscribe() for _ in range(3)]
    assert broadcaster.subscriber_count == 3
    broadcaster.publish("frame", "x")
    assert [page.next_messages(timeout=1) for page in pages] == [[("frame", "x")]] * 3
    pages[0].close()
    assert broadcaster.subscriber_count == 2
    waiting = []
    thread = threading.Thread(target=lambda: waiting.append(pages[1].next_messages(timeout=10)))
    thread.start()
    time.sleep(0.05)
    broadcaster.close()
    thread.join(timeout=2)
    assert waiting == [None] and pages[2].next_messages(timeout=1) is None


def test_nothing_new_times_out_empty_and_bad_arguments_are_refused():
    broadcaster = Broadcaster()
    start = time.monotonic()
    assert broadcaster.subscribe().next_messages(timeout=0.05) == []
    assert time.monotonic() - start >= 0.05
    with pytest.raises(ValueError, match="kind"):
        broadcaster.publish("frames", "x")
    with pytest.raises(ValueError, match="max_fps"):
        Broadcaster(max_fps=0)
