"""Reading Keras 3's sharded weights: `save_weights("w.weights.json", max_shard_size=...)`.

Keras writes an index `w.weights.json` (`{"metadata": ..., "weight_map": {"/<path>/vars":
["w_00000.weights.h5", ...]}}`) next to shard files that each hold part of the usual
`.weights.h5` tree; one layer's (or the optimizer's) `vars` group may be split across
shards. The shards are merged into one in-memory HDF5 file with the ordinary layout, so
the usual checked reader (`saving_lib.read_weights`) loads it.

Only shard files named by the index, in the index's own directory, are opened: a name
with a directory part (`../x.h5`) is refused.

Writing (`save_weights(..., max_shard_size=gb)`) splits the usual file the same way: datasets
fill a shard until the next would pass `max_shard_size` gigabytes (GiB, as Keras counts).
"""

import io
import json
import os

from nanokeras.saving import h5_store
from nanokeras.saving.atomic_file import atomic_write

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


def _key(name):
    return (not name.isdigit(), int(name) if name.isdigit() else 0, name)


def _datasets(group, h5py, prefix=""):
    """`[(group path, dataset name, dataset)]` of every dataset under `group`, vars in order."""
    found = []
    for key in sorted(group.keys(), key=_key):
        item = group[key]
        path = f"{prefix}/{key}" if prefix else key
        if isinstance(item, h5py.Group):
            found.extend(_datasets(item, h5py, path))
        else:
            found.append((prefix, key, item))
    return found


def _groups(group, h5py, prefix=""):
    found = []
    for key in sorted(group.keys(), key=_key):
        item = group[key]
        if isinstance(item, h5py.Group):
            path = f"{prefix}/{key}" if prefix else key
            found.append((path, dict(item.attrs)))
            found.extend(_groups(item, h5py, path))
    return found


def write(filepath, weights, max_shard_size):
    """Writes the `.weights.h5` bytes `weights` as an index `filepath` and its shards."""
    if isinstance(max_shard_size, bool) or not isinstance(max_shard_size, (int, float)) or max_shard_size <= 0:
        raise ValueError(f"`max_shard_size` must be a positive number of gigabytes, got {max_shard_size!r}.")
    h5py = h5_store.h5py_module()
    limit = float(max_shard_size) * 1024 ** 3
    stem = os.path.basename(filepath)[:-len(SUFFIX)]
    directory = os.path.dirname(filepath)
    with h5py.File(io.BytesIO(weights), "r") as source:
        groups, entries = _groups(source, h5py), _datasets(source, h5py)
        shards, sizes, weight_map = [[]], [0], {}
        for group, name, dataset in entries:
            size = dataset.size * dataset.dtype.itemsize
            if size > limit:
                raise ValueError(f"The weight '{group}/{name}' takes {size / 1024:.2f} KB, more than "
                                 f"`max_shard_size` ({limit / 1024:.2f} KB): increase `max_shard_size`.")
            if shards[-1] and sizes[-1] + size > limit:
                shards.append([])
                sizes.append(0)
            shards[-1].append((group, name, dataset[()]))
            sizes[-1] += size
            files = weight_map.setdefault(f"/{group}", [])
            shard_name = f"{stem}_{len(shards) - 1:05d}.weights.h5"
            if shard_name not in files:
                files.append(shard_name)
    for index, content in enumerate(shards):
        buffer = io.BytesIO()
        with h5py.File(buffer, "w") as shard:
            for path, attrs in groups:  # the whole group tree, so every shard reads like the usual file
                if index == 0 or any(g == path or g.startswith(path + "/") for g, _, _ in content):
                    shard.require_group(path).attrs.update(attrs)
            for group, name, array in content:
                shard.require_group(group).create_dataset(name, data=array)
        data = buffer.getvalue()
        atomic_write(os.path.join(directory, f"{stem}_{index:05d}.weights.h5"), lambda f, data=data: f.write(data))
    index_json = json.dumps({"metadata": {"total_size": float(sum(sizes))}, "weight_map": weight_map}, indent=4)
    atomic_write(filepath, lambda f: f.write(index_json.encode("utf-8")))
