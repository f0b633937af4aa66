"""Pause, Step and Reset for a `fit` running in another thread.

The page's buttons run in the server's threads; training runs in its own. The
buttons only set flags here; the training thread looks at them between batches
(see `StreamingCallback`) and waits, goes on, or stops there, so the model is
never touched halfway through a step. Work that needs the model to hold still
(saving it for a download) is queued and run by the training thread at one of
those points.

Example:
    >>> controls = TrainingControls()
    >>> controls.request_pause()
    >>> controls.pause_due(epochs_done=0)
    True
    >>> controls.resume()
    >>> controls.pause_due(epochs_done=0)
    False
"""

import collections
import threading
import time


class TrainingCancelled(Exception):
    """Raised inside `fit` (from the callback) when the page pressed Reset: training ends there."""


class TrainingControls:
    """Thread-safe flags (pause now, pause after an epoch, cancel) and a queue of model tasks."""

    def __init__(self):
        self._condition = threading.Condition()
        self._pause_now = False
        self._pause_after_epoch = None  # Step: pause once this many epochs are done
        self._cancelled = False
        self._tasks = collections.deque()

    # ---------------------------------------------------------- the buttons
    def request_pause(self):
        with self._condition:
            self._pause_now = True
            self._condition.notify_all()  # a thread slowed down for the eye stops sleeping

    def request_step(self, epochs_done):
        """Train to the end of the next epoch, then pause."""
        with self._condition:
            self._pause_now = False
            self._pause_after_epoch = epochs_done + 1
            self._condition.notify_all()

    def resume(self):
        with self._condition:
            self._pause_now = False
            self._pause_after_epoch = None
            self._condition.notify_all()

    def cancel(self):
        with self._condition:
            self._cancelled = True
            self._condition.notify_all()

    @property
    def cancelled(self):
        return self._cancelled

    # ------------------------------------------------- the training thread
    def pause_due(self, epochs_done, at_epoch_end=False):
        """Whether training should pause now, with `epochs_done` epochs completed."""
        with self._condition:
            return self._pause_due(epochs_done, at_epoch_end)

    def _pause_due(self, epochs_done, at_epoch_end):
        if self._pause_now:
            return True
        return at_epoch_end and self._pause_after_epoch is not None and epochs_done >= self._pause_after_epoch

    def check(self):
        """Raises `TrainingCancelled` once Reset was pressed."""
        if self._cancelled:
            raise TrainingCancelled()

    def wait_while_paused(self, epochs_done, at_epoch_end=False, on_pause=None):
        """Blocks while a pause is due, running queued tasks meanwhile; calls `on_pause()` once
        when the pause starts. Returns whether it paused; raises `TrainingCancelled` on Reset."""
        paused = False
        with self._condition:
            while not self._cancelled and self._pause_due(epochs_done, at_epoch_end):
                if not paused:
                    # A Step that ends here becomes an ordinary pause until the next button.
                    paused, self._pause_now, self._pause_after_epoch = True, True, None
                    if on_pause is not None:
                        # A button pressed while the lock was released must be seen: look again.
                        self._call_unlocked(on_pause)
                        continue
                if self._tasks:
                    self._call_unlocked(self.run_tasks)
                    continue
                self._condition.wait()
        self.check()
        return paused

    def sleep(self, seconds):
        """Waits `seconds` (training slowed down for the eye), running queued tasks meanwhile;
        wakes early on Reset (raising `TrainingCancelled`) or when a pause is requested."""
        deadline = time.monotonic() + seconds
        with self._condition:
            while not self._cancelled and not self._pause_now:
                if self._tasks:
                    self._call_unlocked(self.run_tasks)
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._condition.wait(remaining)
        self.check()

    def _call_unlocked(self, function):
        self._condition.release()
        try:
            function()
        finally:
            self._condition.acquire()

    # ---------------------------------------------------------- the tasks
    def submit(self, function):
        """Queues `function` for the training thread; returns a `Task` to wait on."""
        task = Task(function)
        with self._condition:
            self._tasks.append(task)
            self._condition.notify_all()
        return task

    def run_tasks(self):
        """Runs every queued task (in the calling thread: the training thread)."""
        while True:
            with self._condition:
                if not self._tasks:
                    return
                task = self._tasks.popleft()
            task.run()


class Task:
    """A function to run in another thread, and its result or error once it ran."""

    def __init__(self, function):
        self._function = function
        self._done = threading.Event()
        self._result = self._error = None

    def run(self):
        try:
            self._result = self._function()
        except Exception as error:  # handed to the waiting thread, which reports it
            self._error = error
        self._done.set()

    def result(self, timeout=None):
        if not self._done.wait(timeout):
            raise TimeoutError("The training thread did not get to the task in time.")
        if self._error is not None:
            raise self._error
        return self._result
