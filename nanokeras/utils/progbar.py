"""`Progbar`: the progress line Keras prints during `fit`, `evaluate` and `predict`.

    70/70 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - acc: 0.9143 - loss: 0.3514

On a terminal the line is redrawn in place (at most every `interval` seconds);
otherwise only the final line of each run is printed, so logs stay readable.
"""

import math
import sys
import time

import numpy as np

from nanokeras.utils import io_utils

_BOLD, _GREEN, _GREY, _RESET = "\x1b[1m", "\x1b[32m", "\x1b[37m", "\x1b[0m"


def _is_terminal():
    stream = sys.stdout
    return bool(getattr(stream, "isatty", None) and stream.isatty()) or "ipykernel" in sys.modules


def format_time_per_unit(seconds, unit_name):
    """`' 2ms/step'`, `' 239us/step'` or `' 1s/step'`, as Keras writes durations."""
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f" {seconds * 1000:.0f}ms/{unit_name}"
    return f" {seconds * 1e6:.0f}us/{unit_name}"


class Progbar:
    """Displays a progress bar.

    Args:
        target: the total number of steps, or None if unknown.
        width: the bar's width in characters.
        verbose: 0 (silent), 1 (bar), 2 (one line at the end).
        interval: minimum seconds between two redraws.
        stateful_metrics: names whose values are shown as given; other values
            are averaged over the steps seen so far.
        stateless_metrics: instead of `stateful_metrics`, the only names to average.
        unit_name: the unit in the time-per-unit figure (`step`).

    Example:
        >>> bar = Progbar(3, verbose=2)
        >>> for i in range(3):
        ...     bar.update(i + 1, [("loss", 0.5)])  # doctest: +ELLIPSIS
        3/3 - 0s - ...
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None,
                 stateless_metrics=None, unit_name="step", dynamic_display=None):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError("Progbar: give `stateful_metrics` or `stateless_metrics`, not both.")
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        self.stateless_metrics = None if stateless_metrics is None else set(stateless_metrics)
        self._dynamic_display = _is_terminal() if dynamic_display is None else dynamic_display
        self._values = {}
        self._values_order = []
        self._seen_so_far = 0
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step = None
        self._prev_total_width = 0

    def wants_update(self, current, finalize=False):
        """True when `update(current)` would draw: lets callers skip computing values."""
        if self.verbose == 1:
            return finalize or (self._dynamic_display and time.time() - self._last_update >= self.interval)
        return self.verbose == 2 and finalize

    def update(self, current, values=None, finalize=None):
        """Records progress up to step `current`, with `values` as (name, value) pairs or a dict."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        now = time.time()
        if current == 1 and self._time_after_first_step is None:
            self._time_after_first_step = now
        if values:
            self._record(current, values.items() if hasattr(values, "items") else values, finalize)
        self._seen_so_far = current
        if self.verbose == 1:
            if not finalize and (not self._dynamic_display or now - self._last_update < self.interval):
                return
            self._draw_bar(current, now, finalize)
        elif self.verbose == 2 and finalize:
            self._draw_line(current, now)
        self._last_update = now

    def add(self, n, values=None):
        self.update(self._seen_so_far + n, values)

    def _record(self, current, values, finalize):
        for name, value in values:
            if name not in self._values:
                self._values_order.append(name)
            # An array result (F1Score(average=None)'s per-class scores) shows as its mean, as in Keras.
            value = float(np.mean(value))
            if self.stateless_metrics is not None:
                averaged = name in self.stateless_metrics
            else:
                averaged = name not in self.stateful_metrics
            if not averaged or finalize:
                self._values[name] = [value, 1]
            else:
                steps = max(current - self._seen_so_far, 1)
                total = self._values.setdefault(name, [0.0, 0])
                total[0] += value * steps
                total[1] += steps

    def _average(self, name):
        total, count = self._values[name]
        return total / max(1, count)

    def _step_duration(self, current, now):
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            return (now - self._time_after_first_step) / (current - 1)
        return (now - self._start) / current

    def _draw_bar(self, current, now, finalize):
        styled = self._dynamic_display
        bold, green, grey, reset = (_BOLD, _GREEN, _GREY, _RESET) if styled else ("", "", "", "")
        if self.target:
            digits = int(math.log10(self.target)) + 1
            count = f"{current:{digits}d}/{self.target}"
            done = int(self.width * current / self.target)
            bar = f"{bold}{count}{reset} "
            if done > 0:
                bar += f"{green}{'━' * done}{reset}"
            bar += f"{grey}{'━' * (self.width - done)}{reset}"
            visible = len(count) + 1 + self.width
        else:
            bar = f"{current:7d}/Unknown"
            visible = len(bar)
        step = self._step_duration(current, now)
        if self.target and not finalize:
            eta = step * (self.target - current)
            if eta > 3600:
                eta_text = f"{int(eta // 3600)}:{int(eta % 3600 // 60):02d}:{int(eta % 60):02d}"
            elif eta > 60:
                eta_text = f"{int(eta // 60)}:{int(eta % 60):02d}"
            else:
                eta_text = f"{int(eta)}s"
        else:
            eta_text = f"{now - self._start:.0f}s"
        info = f" {bold}{eta_text}{reset}" + format_time_per_unit(step, self.unit_name)
        visible_info = 1 + len(eta_text) + len(format_time_per_unit(step, self.unit_name))
        for name in self._values_order:
            average = self._average(name)
            text = f" - {name}: {average:.4f}" if abs(average) > 1e-3 else f" - {name}: {average:.4e}"
            info += text
            visible_info += len(text)
        width = visible + visible_info
        if styled:
            message = "\r" + bar + info + " " * max(self._prev_total_width - width, 0)
            if finalize:
                message += "\n"
        elif finalize:
            message = bar + info + "\n"
        else:
            return
        io_utils.print_msg(message, line_break=False)
        self._prev_total_width = width

    def _draw_line(self, current, now):
        if not self.target:
            return
        digits = int(math.log10(self.target)) + 1
        line = f"{current:{digits}d}/{self.target} - {now - self._start:.0f}s -"
        line += format_time_per_unit(self._step_duration(current, now), self.unit_name)
        for name in self._values_order:
            average = self._average(name)
            line += f" - {name}: {average:.4f}" if average > 1e-3 else f" - {name}: {average:.4e}"
        io_utils.print_msg(line)
