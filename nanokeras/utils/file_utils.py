"""`get_file`: find a file in the Keras cache, or download it (checked against a hash).

The cache is `$KERAS_HOME/<cache_subdir>` (default `~/.keras/datasets`), the same
place real Keras uses, so files Keras already downloaded are reused.

Example:
    >>> from nanokeras.utils.file_utils import keras_cache_dir
    >>> keras_cache_dir().endswith(".keras") or "KERAS_HOME" in __import__("os").environ
    True
"""

import hashlib
import os
import tempfile


def keras_cache_dir():
    """`$KERAS_HOME`, else `~/.keras` (as Keras reads it)."""
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    return os.path.join(os.path.expanduser("~"), ".keras")


def hash_file(path, algorithm="sha256", chunk_size=65535):
    """The hex digest of the file at `path` (`algorithm`: `'sha256'` or `'md5'`)."""
    hasher = hashlib.sha256() if algorithm == "sha256" else hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def _algorithm(file_hash, hash_algorithm):
    if hash_algorithm in ("sha256", "md5"):
        return hash_algorithm
    if hash_algorithm != "auto":
        raise ValueError(f"`hash_algorithm` must be 'auto', 'sha256' or 'md5', got {hash_algorithm!r}.")
    return "sha256" if len(file_hash) == 64 else "md5"


def validate_file(path, file_hash, algorithm="auto"):
    """True when the file at `path` has the hash `file_hash`."""
    return hash_file(path, _algorithm(file_hash, algorithm)) == str(file_hash).lower()


def get_file(fname=None, origin=None, md5_hash=None, file_hash=None, cache_subdir="datasets",
             hash_algorithm="auto", cache_dir=None, force_download=False):
    """The local path of `fname`, downloading it from `origin` if it is not cached.

    Args:
        fname: the file name in the cache (an absolute path is used as is);
            defaults to the last part of `origin`.
        origin: the URL to download from.
        file_hash / md5_hash: the expected sha256 (or md5) hex digest; a cached
            file that does not match is downloaded again, a download that does
            not match is deleted and raises.
        cache_subdir: the folder under the cache dir (`datasets`).
        cache_dir: the cache dir (default `$KERAS_HOME` or `~/.keras`).
        force_download: download even if the file is cached.

    Downloads go to a temporary file renamed into place once complete and checked,
    so an interrupted download never leaves a partial file behind. Archives are
    not extracted (datasets read members straight from them).

    Example:
        >>> # path = get_file("mnist.npz", origin="https://.../mnist.npz", file_hash="731c...")
    """
    import urllib.error  # here, not at module level: importing urllib costs ~20 ms
    import urllib.request

    if fname is None and origin is None:
        raise ValueError("get_file needs `fname` or `origin` (the URL to download from).")
    if fname is None:
        fname = os.path.basename(urllib.request.urlparse(origin).path)
        if not fname:
            raise ValueError(f"Can't derive a file name from origin={origin!r}; pass `fname`.")
    fname = os.fspath(fname)
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    datadir = os.path.join(os.path.expanduser(cache_dir or keras_cache_dir()), cache_subdir)
    path = fname if os.path.isabs(fname) else os.path.join(datadir, fname)
    if os.path.exists(path) and not force_download:
        if file_hash is None or validate_file(path, file_hash, hash_algorithm):
            return path
    if origin is None:
        raise FileNotFoundError(f"{path} does not exist (or does not match its hash) and no `origin` was given.")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix="." + os.path.basename(path), suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(origin, timeout=60) as response:
            for chunk in iter(lambda: response.read(1 << 20), b""):
                out.write(chunk)
        if file_hash is not None and not validate_file(temporary, file_hash, hash_algorithm):
            raise ValueError(
                f"The file downloaded from {origin} does not match the expected "
                f"{_algorithm(file_hash, hash_algorithm)} hash {file_hash}: it is corrupted or was changed. "
                "Try again; if it persists, download it yourself and place it at " + path + "."
            )
        os.replace(temporary, path)
    except (urllib.error.URLError, OSError) as error:
        raise OSError(
            f"Could not download {origin} ({error}). If you are offline, download it on a connected "
            f"machine and put it at {path} (or set KERAS_HOME to the folder holding '{cache_subdir}/')."
        ) from None
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return path
