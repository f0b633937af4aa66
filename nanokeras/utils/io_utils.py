"""Where Keras's messages go: to the terminal (interactive logging, the default) or to `logging`.

On a server, `keras.config.disable_interactive_logging()` sends progress bars
and callback messages to the `nanokeras` logger (Python's `logging`, level INFO)
instead of stdout.

Example:
    >>> import nanokeras as keras
    >>> keras.config.is_interactive_logging_enabled()
    True
    >>> print_msg("Epoch 1/3")
    Epoch 1/3
"""

import logging
import sys

from nanokeras.backend.config import INTERACTIVE_LOGGING as _interactive

_logger = logging.getLogger("nanokeras")


def enable_interactive_logging():
    """Messages (progress bars, callbacks) are written to stdout."""
    _interactive[0] = True


def disable_interactive_logging():
    """Messages (progress bars, callbacks) go to Python's `logging` (logger `nanokeras`, level INFO)."""
    _interactive[0] = False


def is_interactive_logging_enabled():
    """Whether messages are written to stdout (True) or to `logging` (False)."""
    return _interactive[0]


def print_msg(message, line_break=True):
    """Writes `message` to stdout, or logs it when interactive logging is off."""
    message = str(message)
    if not _interactive[0]:
        _logger.info(message.strip("\r\n"))
        return
    text = message + "\n" if line_break else message
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        # A terminal that cannot show the bar's characters gets Keras 2's `=` instead.
        encoding = sys.stdout.encoding or "utf-8"
        sys.stdout.write(text.replace("━", "=").encode(encoding, errors="ignore").decode(encoding))
    sys.stdout.flush()
