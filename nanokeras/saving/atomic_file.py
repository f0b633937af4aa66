"""Atomic file writes: a temporary file next to the target, then one `os.replace`.

An interrupted save (an exception, Ctrl-C, a full disk) removes its temporary
file and leaves the previous file untouched. A save killed outright (SIGKILL,
power loss) cannot clean up after itself, so its temporary file carries the
target's name, the host and the process id: the next save to the same place
removes the ones whose process is gone. Errors name the path the user asked
for, never the temporary file.

Example:
    >>> import os, tempfile
    >>> from nanokeras.saving.atomic_file import atomic_write
    >>> path = os.path.join(tempfile.mkdtemp(), "notes.txt")
    >>> atomic_write(path, lambda f: f.write(b"hello"))
    >>> with open(path, "rb") as f:
    ...     f.read()
    b'hello'
"""

import hashlib
import os
import re
import socket
import sys
import tempfile

PREFIX = ".nanokeras-"
SUFFIX = ".tmp"
_HOST = hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
# `<PREFIX><target name>-<host>-<pid>-<random><SUFFIX>`
_PATTERN = re.compile(r"^(?P<target>.*)-(?P<host>[0-9a-f]{8})-(?P<pid>\d+)-[^-]*$")


def _temp_prefix(filepath):
    return f"{PREFIX}{os.path.basename(filepath)[:100]}-{_HOST}-{os.getpid()}-"


def _process_is_gone(pid):
    if sys.platform == "win32":  # os.kill(pid, 0) would send Ctrl-C there
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OSError):
        return False  # alive (someone else's) or unknown: leave it
    return False


def remove_stale_temp_files(filepath):
    """Removes the temporary files of killed saves to `filepath` (never a live save's)."""
    directory = os.path.dirname(os.path.abspath(filepath))
    target = os.path.basename(filepath)[:100]
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if not (name.startswith(PREFIX) and name.endswith(SUFFIX)):
            continue
        match = _PATTERN.match(name[len(PREFIX):-len(SUFFIX)])
        if match is None or match["target"] != target or match["host"] != _HOST:
            continue
        pid = int(match["pid"])
        if pid != os.getpid() and _process_is_gone(pid):
            try:
                os.remove(os.path.join(directory, name))
            except OSError:
                pass


def _user_error(error, filepath):
    """The same kind of OSError, naming `filepath` instead of the temporary file."""
    if isinstance(error, OSError) and error.errno is not None:
        return type(error)(error.errno, error.strerror, filepath)
    return OSError(f"Cannot save to {filepath!r}: {error}")


def atomic_write(filepath, write):
    """Calls `write(fileobj)` on a temporary file next to `filepath`, then moves it into place."""
    directory = os.path.dirname(os.path.abspath(filepath))
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"Cannot save to {filepath!r}: the directory {directory!r} does not exist.")
    if os.path.isdir(filepath):
        raise IsADirectoryError(f"Cannot save to {filepath!r}: it is a directory.")
    remove_stale_temp_files(filepath)
    try:
        handle, temp_path = tempfile.mkstemp(prefix=_temp_prefix(filepath), suffix=SUFFIX, dir=directory)
    except OSError as error:
        raise _user_error(error, filepath) from None
    try:
        try:
            with os.fdopen(handle, "wb") as fileobj:
                write(fileobj)
            os.replace(temp_path, filepath)
        except OSError as error:
            raise _user_error(error, filepath) from None
    except BaseException:
        try:
            os.remove(temp_path)
        except OSError:
            pass
        raise
