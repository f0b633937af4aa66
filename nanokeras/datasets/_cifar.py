"""CIFAR from its *binary* distribution: fixed-size records, no pickle.

Keras reads the python version (pickled dicts); nanokeras never unpickles, so
it reads `cifar-{10,100}-binary.tar.gz` instead (from the cache, or downloaded),
straight from the archive without extracting it. An already extracted folder
(`cifar-10-batches-bin/`, `cifar-100-binary/`) in the cache is used too.
"""

import os
import tarfile

import numpy as np

from nanokeras.utils.file_utils import get_file, keras_cache_dir

IMAGE_BYTES = 3 * 32 * 32


def read_records(blobs, label_bytes):
    """Images `(n, 32, 32, 3)` uint8 and the label bytes `(n, label_bytes)` from concatenated records."""
    data = np.frombuffer(b"".join(blobs), dtype=np.uint8)
    record = label_bytes + IMAGE_BYTES
    if data.size % record:
        raise ValueError(f"CIFAR binary data has {data.size} bytes, not a multiple of the record size {record}.")
    data = data.reshape(-1, record)
    images = data[:, label_bytes:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return images, data[:, :label_bytes]


def load_members(archive_name, origin, md5, folder, members):
    """The bytes of `members` (paths inside `folder`), from an extracted folder or the tarball."""
    extracted = os.path.join(keras_cache_dir(), "datasets", folder)
    if all(os.path.exists(os.path.join(extracted, m)) for m in members):
        blobs = []
        for m in members:
            with open(os.path.join(extracted, m), "rb") as f:
                blobs.append(f.read())
        return blobs
    path = get_file(archive_name, origin=origin, md5_hash=md5)
    wanted = {f"{folder}/{m}": m for m in members}
    found = {}
    with tarfile.open(path, "r:gz") as tar:
        for info in tar:
            if info.name in wanted and info.isfile():
                found[wanted[info.name]] = tar.extractfile(info).read()
    missing = [m for m in members if m not in found]
    if missing:
        raise ValueError(f"{path} lacks the CIFAR files {missing} (expected inside '{folder}/').")
    return [found[m] for m in members]
