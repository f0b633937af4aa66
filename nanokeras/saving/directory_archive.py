"""A model saved by Keras 3 with `save_model(model, "dir", zipped=False)`: the `.keras`
archive's members as plain files in a directory (`config.json`, `metadata.json`,
`model.weights.h5`, `assets/...`). nanokeras writes that form too (`write_directory`).

`DirectoryArchive` answers the few questions the loader asks a `zipfile.ZipFile`
(`namelist`, `getinfo`, `read`), so both forms go through the same checked reader.
Only regular files inside the directory are listed: symbolic links are skipped, so a
member cannot point outside it.
"""

import os

from nanokeras.saving.atomic_file import atomic_write


class _Info:
    def __init__(self, size):
        self.file_size = size
        self.compress_size = size  # stored as is: no decompression bomb to fear


class DirectoryArchive:
    def __init__(self, directory):
        self.directory = os.path.abspath(directory)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def namelist(self):
        names = []
        for root, dirs, files in os.walk(self.directory):
            dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(root, d)))
            for name in sorted(files):
                full = os.path.join(root, name)
                if os.path.isfile(full) and not os.path.islink(full):
                    names.append(os.path.relpath(full, self.directory).replace(os.sep, "/"))
        return names

    def _path(self, name):
        if name not in self.namelist():
            raise KeyError(name)
        return os.path.join(self.directory, *name.split("/"))

    def getinfo(self, name):
        return _Info(os.path.getsize(self._path(name)))

    def read(self, name):
        with open(self._path(name), "rb") as f:
            return f.read()


def is_model_directory(path):
    """Whether `path` is a directory holding a saved model (Keras checks for `config.json`)."""
    return os.path.isdir(path) and os.path.isfile(os.path.join(path, "config.json"))


def write_directory(directory, members):
    """Writes `[(member name, bytes)]` as files under `directory` (created if missing), each
    file atomically: an interrupted save leaves every file either old or new."""
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise ValueError(f"Cannot save the model unzipped to {directory!r}: it exists and is not a directory.")
    for name, data in members:
        path = os.path.join(directory, *name.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        atomic_write(path, lambda fileobj, data=data: fileobj.write(data))
