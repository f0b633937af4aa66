"""Reading Keras 3's sharded weights: `save_weights("w.weights.json", max_shard_size=...)`.

Keras writes an index `w.weights.json` (`{"metadata": ..., "weight_map": {"/<path>/vars":
["w_00000.weights.h5", ...]}}`) next to shard files that each hold part of the usual
`.weights.h5` tree; one layer's (or the optimizer's) `vars` group may be split across
shards. The shards are merged into one in-memory HDF5 file with the ordinary layout, so
the usual checked reader (`saving_lib.read_weights`) loads it.

Only shard files named by the index, in the index's own directory, are opened: a name
with a directory part (`../x.h5`) is refused.
"""

import io
import json
import os

from nanokeras.saving import h5_store

SUFFIX = ".weights.json"


def _shard_names(index, filepath):
    weight_map = index.get("weight_map") if isinstance(index, dict) else None
    if not isinstance(weight_map, dict):
        raise ValueError(f"{filepath!r} is not a sharded weights index: it has no 'weight_map' dict.")
    names = []
    for key, files in weight_map.items():
        files = [files] if isinstance(files, str) else files
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise ValueError(f"{filepath!r}: weight_map[{key!r}] must be a list of shard file names, got {files!r}.")
        for name in files:
            if os.path.basename(name) != name or name in ("", ".", ".."):
                raise ValueError(f"Refusing to read shard {name!r} named by {filepath!r}: "
                                 "shards must be plain file names next to the index.")
            if name not in names:
                names.append(name)
    return names


def _copy_tree(source, target, h5py, where):
    """Copies groups (with their attributes) and datasets of `source` into `target`."""
    for key in source.keys():
        link = source.get(key, getlink=True)
        if not isinstance(link, h5py.HardLink):
            raise ValueError(f"Refusing to read {where}: '{source.name}/{key}' is a {type(link).__name__}.")
        item = source[key]
        if isinstance(item, h5py.Group):
            child = target.require_group(key)
            for attr, value in item.attrs.items():
                child.attrs[attr] = value
            _copy_tree(item, child, h5py, where)
        elif key not in target:
            if item.is_virtual or item.external:
                raise ValueError(f"Refusing to read {where}: '{item.name}' is not stored in the file.")
            target.create_dataset(key, data=item[()])


def merged_bytes(filepath):
    """The shards named by the index `filepath`, as the bytes of one `.weights.h5` file."""
    h5py = h5_store.h5py_module()
    try:
        with open(filepath, "rb") as f:
            index = json.loads(f.read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"{filepath!r} is not a valid sharded weights index ({error}).") from None
    directory = os.path.dirname(os.path.abspath(filepath))
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as merged:
        for name in _shard_names(index, filepath):
            path = os.path.join(directory, name)
            if not os.path.isfile(path):
                raise FileNotFoundError(f"Shard {name!r} named by {filepath!r} not found at {path!r}.")
            try:
                shard = h5py.File(path, "r")
            except (OSError, ValueError) as error:
                raise ValueError(f"Shard {path!r} is not a valid HDF5 file ({error}).") from None
            with shard:
                for attr, value in shard.attrs.items():
                    merged.attrs[attr] = value
                _copy_tree(shard, merged, h5py, repr(path))
    return buffer.getvalue()
