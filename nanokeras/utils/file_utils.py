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


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None, cache_subdir="datasets",
             hash_algorithm="auto", extract=False, archive_format="auto", cache_dir=None, force_download=False):
    """The local path of `fname`, downloading it from `origin` if it is not cached.

    Args:
        fname: the file name in the cache (an absolute path is used as is);
            defaults to the last part of `origin`.
        origin: the URL to download from.
        untar: deprecated; `extract=True` with `archive_format="tar"`.
        file_hash / md5_hash: the expected sha256 (or md5) hex digest; a cached
            file that does not match is downloaded again, a download that does
            not match is deleted and raises.
        cache_subdir: the folder under the cache dir (`datasets`).
        hash_algorithm: `"auto"` (from the hash's length), `"sha256"` or `"md5"`.
        extract: extract the archive (tar, tar.gz, tar.bz2 or zip) and return the folder
            it was extracted into, named as Keras names it (`<name>` or `<name>_extracted`).
        archive_format: `"auto"` (tar then zip), `"tar"`, `"zip"`, or a list of them.
        cache_dir: the cache dir (default `$KERAS_HOME` or `~/.keras`).
        force_download: download even if the file is cached.

    Downloads go to a temporary file renamed into place once complete and checked,
    so an interrupted download never leaves a partial file behind. Extraction skips
    (with a warning) archive members that would land outside the folder: absolute
    paths, `..`, links pointing out, device files.

    Example:
        >>> # path = get_file("mnist.npz", origin="https://.../mnist.npz", file_hash="731c...")
    """
    if fname is None and origin is None:
        raise ValueError("get_file needs `fname` or `origin` (the URL to download from).")
    if fname is None:
        import urllib.parse

        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(f"Can't derive a file name from origin={origin!r}; pass `fname`.")
        provided = False
    else:
        provided = True
    fname = os.fspath(fname)
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    datadir = os.path.join(os.path.expanduser(cache_dir or keras_cache_dir()), cache_subdir)
    extraction_dir = None
    if extract or untar:
        base = os.path.basename(fname)
        if provided and "." in base:
            target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, f"{base[:base.find('.')]}_extracted")
        else:
            extraction_dir = os.path.join(datadir, fname)
            target = os.path.join(datadir, f"{fname}_archive")
    else:
        target = fname if os.path.isabs(fname) else os.path.join(datadir, fname)
    downloaded = _fetch(target, origin, file_hash, hash_algorithm, cache_subdir, force_download)
    if extraction_dir is None:
        return target
    if downloaded or not os.path.isdir(extraction_dir):
        if not extract_archive(target, extraction_dir, "tar" if untar else archive_format):
            import warnings

            warnings.warn(f"Could not extract archive {target}: it is not a {archive_format!r} archive.",
                          stacklevel=2)
    return extraction_dir


def _fetch(path, origin, file_hash, hash_algorithm, cache_subdir, force_download):
    """Makes sure `path` holds the file (matching `file_hash`); True when it was downloaded now."""
    if os.path.exists(path) and not force_download:
        if file_hash is None or validate_file(path, file_hash, hash_algorithm):
            return False
    if origin is None:
        raise FileNotFoundError(f"{path} does not exist (or does not match its hash) and no `origin` was given.")
    import urllib.error  # here, not at module level: importing urllib costs ~20 ms
    import urllib.request

    from nanokeras.utils.io_utils import print_msg

    print_msg(f"Downloading data from {origin}")
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
    return True


def _inside(base, relative):
    base = os.path.realpath(base)
    target = os.path.realpath(os.path.join(base, relative))
    return os.path.commonpath([base, target]) == base


def _safe_members(archive, base):
    """The members of a tar or zip archive that stay inside `base` (others skipped with a warning)."""
    import tarfile
    import warnings

    if isinstance(archive, tarfile.TarFile):
        for member in archive.getmembers():
            ok = (member.isfile() or member.isdir()) and _inside(base, member.name)
            if ok or ((member.issym() or member.islnk()) and _inside(base, member.name)
                      and _inside(base, os.path.join(os.path.dirname(member.name), member.linkname))):
                yield member
            else:
                warnings.warn(f"Skipping invalid path during archive extraction: {member.name!r}.", stacklevel=4)
    else:
        for info in archive.infolist():
            if _inside(base, info.filename):
                yield info
            else:
                warnings.warn(f"Skipping invalid path during archive extraction: {info.filename!r}.", stacklevel=4)


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extracts a tar (plain, gz, bz2, xz) or zip archive into `path`; False when it is neither.

    The archive is extracted into a temporary folder renamed into place, so a failed
    extraction leaves nothing half-written.
    """
    import shutil
    import tarfile
    import zipfile

    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else (
        [archive_format] if isinstance(archive_format, str) else list(archive_format))
    openers = {"tar": (tarfile.is_tarfile, tarfile.open), "zip": (zipfile.is_zipfile, zipfile.ZipFile)}
    for kind in formats:
        if kind not in openers:
            raise ValueError(f"`archive_format` must be 'auto', 'tar', 'zip' or a list of them, got {kind!r}.")
        is_kind, opener = openers[kind]
        if not is_kind(file_path):
            continue
        parent = os.path.dirname(os.path.abspath(path))
        os.makedirs(parent, exist_ok=True)
        staging = tempfile.mkdtemp(dir=parent, prefix="." + os.path.basename(path) + ".")
        try:
            # tarfile's own "data" filter (Python >= 3.9.17) refuses what ours might miss.
            options = {"filter": "data"} if kind == "tar" and hasattr(tarfile, "data_filter") else {}
            with opener(file_path) as archive:
                archive.extractall(staging, members=list(_safe_members(archive, staging)), **options)
            if os.path.isdir(path):
                shutil.rmtree(path)
            os.replace(staging, path)
        finally:
            if os.path.exists(staging):
                shutil.rmtree(staging)
        return True
    return False
