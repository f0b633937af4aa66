"""Reading and writing Keras's weights layout in HDF5 (`<path>/vars/<i>` datasets).

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
    group = h5file.create_group(vars_path(path))
    if name is not None:
        group.attrs["name"] = name
    for i, array in enumerate(arrays):
        group.create_dataset(str(i), data=np.asarray(array))


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


def read_dataset(group, key, expected_shape, source, where):
    """The array `group[key]`, checked to be numeric and of `expected_shape` before reading it."""
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
    if expected_shape is not None and tuple(dataset.shape) != tuple(expected_shape):
        raise ValueError(
            f"Shape mismatch in {source}: weight '{where}' has shape {tuple(dataset.shape)} in the file, "
            f"but the model expects {tuple(expected_shape)}. Was the file saved from a model with "
            "a different architecture?"
        )
    return np.asarray(dataset[()])
