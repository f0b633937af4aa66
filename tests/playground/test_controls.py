"""nanokeras/playground/controls.py: Pause, Step and Reset reach the training thread between batches."""

import threading
import time

import pytest

from nanokeras.playground.controls import TrainingCancelled, TrainingControls


def _in_thread(function):
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except Exception as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_a_pause_blocks_the_training_thread_until_resumed():
    controls = TrainingControls()
    controls.request_pause()
    paused = []
    thread, outcome = _in_thread(lambda: controls.wait_while_paused(3, on_pause=lambda: paused.append(1)))
    time.sleep(0.1)
    assert thread.is_alive() and paused == [1]
    controls.resume()
    thread.join(timeout=2)
    assert outcome == {"value": True}
    assert controls.wait_while_paused(3) is False  # nothing due: returns at once


def test_step_pauses_at_the_end_of_the_next_epoch_only():
    controls = TrainingControls()
    controls.request_step(epochs_done=2)
    assert not controls.pause_due(2, at_epoch_end=True)
    assert not controls.pause_due(3, at_epoch_end=False)  # mid-epoch: keep going
    assert controls.pause_due(3, at_epoch_end=True)
    thread, outcome = _in_thread(lambda: controls.wait_while_paused(3, at_epoch_end=True))
    time.sleep(0.05)
    assert thread.is_alive()
    controls.request_step(epochs_done=3)  # the next Step releases it for one more epoch
    thread.join(timeout=2)
    assert outcome == {"value": True}
    assert controls.pause_due(4, at_epoch_end=True) and not controls.pause_due(4)


def test_reset_wakes_a_paused_or_sleeping_thread_with_cancelled():
    controls = TrainingControls()
    controls.request_pause()
    thread, outcome = _in_thread(lambda: controls.wait_while_paused(0))
    sleeper = TrainingControls()
    sleeper_thread, sleeper_outcome = _in_thread(lambda: sleeper.sleep(30))
    time.sleep(0.05)
    controls.cancel()
    sleeper.cancel()
    thread.join(timeout=2)
    sleeper_thread.join(timeout=2)
    assert isinstance(outcome["error"], TrainingCancelled)
    assert isinstance(sleeper_outcome["error"], TrainingCancelled)
    with pytest.raises(TrainingCancelled):
        controls.check()


def test_tasks_run_in_the_training_thread_while_paused():
    controls = TrainingControls()
    controls.request_pause()
    thread, _ = _in_thread(lambda: controls.wait_while_paused(0))
    time.sleep(0.05)
    task = controls.submit(lambda: threading.current_thread())
    assert task.result(timeout=2) is thread
    failing = controls.submit(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        failing.result(timeout=2)
    controls.resume()
    thread.join(timeout=2)


def test_sleep_runs_tasks_and_stops_early_for_a_pause():
    controls = TrainingControls()
    thread, outcome = _in_thread(lambda: controls.sleep(5))
    task = controls.submit(lambda: "saved")
    assert task.result(timeout=2) == "saved"
    start = time.monotonic()
    controls.request_pause()
    thread.join(timeout=2)
    assert not thread.is_alive() and time.monotonic() - start < 1 and outcome == {"value": None}


def test_a_task_nobody_runs_times_out():
    with pytest.raises(TimeoutError):
        TrainingControls().submit(lambda: 1).result(timeout=0.05)


def test_a_button_pressed_while_the_pause_is_being_announced_is_not_lost():
    # Reset or Train pressed while on_pause runs (the lock released): the thread must not sleep through it.
    controls = TrainingControls()
    controls.request_pause()
    thread, outcome = _in_thread(lambda: controls.wait_while_paused(0, on_pause=controls.cancel))
    thread.join(timeout=2)
    assert not thread.is_alive() and isinstance(outcome["error"], TrainingCancelled)
    controls = TrainingControls()
    controls.request_pause()
    thread, outcome = _in_thread(lambda: controls.wait_while_paused(0, on_pause=controls.resume))
    thread.join(timeout=2)
    assert not thread.is_alive() and outcome == {"value": True}
