"""Reading and writing Keras's weights in HDF5 (`<path>/vars/<i>` datasets; Keras 2's lists too).

Writing: one group `<path>/vars` per layer or optimizer, with a `name` attribute
and datasets `0`, `1`, ... Reading refuses anything that could reach outside the
file (external/soft links, external or virtual datasets) or that is not a plain
numeric array, and compares shapes before any data is read.
"""

import numpy as np


def h5py_module():
    try:
        import h5py
    except ImportError:  # pragma: no cover - h5py is a dependency
        raise ImportError(
            "Saving and loading `.keras` and `.weights.h5` files needs h5py: pip install h5py"
        ) from None
    return h5py


def vars_path(path):
    return f"{path}/vars" if path else "vars"


def write_vars(h5file, path, name, arrays):
    """Writes `arrays` as datasets `0`, `1`, ...; or, given a dict, each under its own key (what a
    layer's `save_own_variables` put in its store)."""
    group = h5file.create_group(vars_path(path))
    if name is not None:
        group.attrs["name"] = name
    items = arrays.items() if isinstance(arrays, dict) else ((str(i), a) for i, a in enumerate(arrays))
    for key, array in items:
        group.create_dataset(str(key), data=np.asarray(array))


class ReadStore:
    """The `store` a layer's `load_own_variables(store)` reads, as Keras hands it: `store["0"]`,
    `store.keys()`, `len(store)`, `key in store`. Each dataset is checked (numeric data in this
    file) before it is read."""

    def __init__(self, group, path, source):
        self._group, self._path, self._source = group, path, source

    def keys(self):
        return dataset_keys(self._group) if self._group is not None else []

    def __len__(self):
        return len(self.keys())

    def __iter__(self):
        return iter(self.keys())

    def __contains__(self, key):
        return str(key) in self.keys()

    def items(self):
        return [(key, self[key]) for key in self.keys()]

    def __getitem__(self, key):
        key = str(key)
        if key not in self.keys():
            raise KeyError(f"{self._source} holds no weight '{vars_path(self._path)}/{key}' "
                           f"(it holds {self.keys()}).")
        return read_dataset(self._group, key, None, self._source, f"{vars_path(self._path)}/{key}")


def read_group(h5file, path, source):
    """The group at `<path>/vars`, or None if absent; refuses links to elsewhere."""
    h5py = h5py_module()
    current = h5file
    for part in vars_path(path).split("/"):
        if not isinstance(current, h5py.Group) or part not in current:
            return None
        link = current.get(part, getlink=True)
        if not isinstance(link, h5py.HardLink):
            raise ValueError(f"Refusing to read {source}: '{path or '/'}' is a {type(link).__name__}, not stored data.")
        current = current[part]
    if not isinstance(current, h5py.Group):
        raise ValueError(f"Invalid weights in {source}: '{vars_path(path)}' is not a group.")
    return current


def dataset_keys(group):
    return sorted(group.keys(), key=lambda k: (not k.isdigit(), int(k) if k.isdigit() else 0, k))


def checked_dataset(group, key, source, where):
    """The dataset `group[key]`, checked to be plain numeric data stored in this file (not read yet)."""
    h5py = h5py_module()
    link = group.get(key, getlink=True)
    if not isinstance(link, h5py.HardLink):
        raise ValueError(f"Refusing to read {source}: weight '{where}' is a {type(link).__name__}.")
    dataset = group[key]
    if not isinstance(dataset, h5py.Dataset):
        raise ValueError(f"Invalid weights in {source}: '{where}' is not a dataset.")
    if dataset.external or dataset.is_virtual:
        raise ValueError(f"Refusing to read {source}: weight '{where}' points to data outside the file.")
    if dataset.dtype.kind not in "fiub":
        raise ValueError(f"Invalid weights in {source}: '{where}' has non-numeric dtype {dataset.dtype}.")
    return dataset


def read_dataset(group, key, expected_shape, source, where):
    """The array `group[key]`, checked to be numeric and of `expected_shape` before reading it."""
    dataset = checked_dataset(group, key, source, where)
    if expected_shape is not None and tuple(dataset.shape) != tuple(expected_shape):
        raise ValueError(
            f"Shape mismatch in {source}: weight '{where}' has shape {tuple(dataset.shape)} in the file, "
            f"but the model expects {tuple(expected_shape)}. Was the file saved from a model with "
            "a different architecture?"
        )
    return np.asarray(dataset[()])


def walk(group, path, source):
    """`group[path]` reached one link at a time, refusing links to elsewhere; None if absent."""
    h5py = h5py_module()
    current = group
    for part in [p for p in str(path).split("/") if p]:
        if not isinstance(current, h5py.Group) or part not in current:
            return None
        link = current.get(part, getlink=True)
        if not isinstance(link, h5py.HardLink):
            raise ValueError(f"Refusing to read {source}: '{path}' goes through a {type(link).__name__}.")
        current = current[part]
    return current


def attribute_list(group, name):
    """Keras's list attributes (`layer_names`, `weight_names`) as strings, also when split in chunks."""
    if name in group.attrs:
        values = [group.attrs[name]]
    else:
        values, index = [], 0
        while f"{name}{index}" in group.attrs:
            values.append(group.attrs[f"{name}{index}"])
            index += 1
    result = []
    for value in values:
        items = value.tolist() if hasattr(value, "tolist") else value
        if isinstance(items, (str, bytes)):
            items = [items]
        for item in items:
            result.append(item.decode("utf-8") if isinstance(item, bytes) else str(item))
    return result


def write_attribute_list(group, name, values):
    """Writes a list attribute as Keras does, split in chunks below HDF5's 64 KB header limit."""
    encoded = np.array([str(v).encode("utf-8") for v in values])
    if encoded.size == 0:
        group.attrs[name] = np.array([], dtype="float64")  # what Keras writes for an empty list
        return
    chunks = 1
    while chunks < encoded.size and any(part.nbytes > 64000 for part in np.array_split(encoded, chunks)):
        chunks += 1
    if chunks == 1:
        group.attrs[name] = encoded
    else:
        for index, part in enumerate(np.array_split(encoded, chunks)):
            group.attrs[f"{name}{index}"] = part
