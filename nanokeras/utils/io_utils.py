"""Where Keras's messages go: standard output when logging is interactive (the default),
else the `logging` module (logger `"nanokeras"`, level INFO), for jobs on a server.

Example:
    >>> import nanokeras as keras
    >>> keras.utils.is_interactive_logging_enabled()
    True
    >>> keras.utils.disable_interactive_logging()
    >>> keras.utils.is_interactive_logging_enabled()
    False
    >>> keras.utils.enable_interactive_logging()
"""

import logging
import sys

_INTERACTIVE = [True]
logger = logging.getLogger("nanokeras")


def enable_interactive_logging():
    """Messages (progress bars, callbacks' notes) are written to standard output."""
    _INTERACTIVE[0] = True


def disable_interactive_logging():
    """Messages go to the `logging` module (logger `"nanokeras"`, level INFO) instead of stdout."""
    _INTERACTIVE[0] = False


def is_interactive_logging_enabled():
    """True when messages are written to standard output (the default)."""
    return _INTERACTIVE[0]


def print_msg(message, line_break=True):
    """Writes `message` to stdout (interactive logging) or logs it at INFO level."""
    message = str(message)
    if not _INTERACTIVE[0]:
        logger.info(message)
        return
    text = message + "\n" if line_break else message
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        # A terminal that cannot show the bar's characters gets Keras 2's `=` instead.
        encoding = sys.stdout.encoding or "utf-8"
        sys.stdout.write(text.replace("━", "=").encode(encoding, errors="ignore").decode(encoding))
    sys.stdout.flush()
