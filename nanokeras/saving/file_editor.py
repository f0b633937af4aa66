"""`KerasFileEditor`: inspect and edit the weights stored in a `.keras` or `.weights.h5` file.

The weights are read into a nested dict (`{"layers": {"dense": {"0": kernel, "1": bias}}}`,
the file's layout), edited in memory (rename, delete or add objects and weights) and
written to a new `.weights.h5` file that `model.load_weights` reads. Reading follows
the loader's rules: no links, external or virtual datasets, only numeric arrays.

Example:
    >>> import os, tempfile, numpy as np, nanokeras as keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, name="out")])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.weights.h5")
    >>> model.save_weights(path)
    >>> editor = keras.saving.KerasFileEditor(path)  # doctest: +ELLIPSIS
    Keras weights file (...m.weights.h5)...
    >>> sorted(editor.weights_dict["layers"]["dense"])   # layers are keyed by class, as Keras saves them
    ['0', '1']
"""

import collections
import json
import os
import tempfile
import zipfile

import numpy as np

from nanokeras.utils.io_utils import print_msg

_WEIGHTS_IN_ARCHIVE = "model.weights.h5"


def _read_group(group, path=""):
    """The numeric datasets under an h5py group, as nested dicts (a layer's `vars` group flattened)."""
    import h5py

    result = collections.OrderedDict()
    for key in group.keys():
        link = group.get(key, default=None, getclass=True, getlink=True)
        if link in (h5py.ExternalLink, h5py.SoftLink):
            raise ValueError(f"Not allowed: H5 file with {link.__name__} at {path}/{key}")
        value = group[key]
        if isinstance(value, h5py.Group):
            if len(value) == 0:
                continue
            inner = value["vars"] if "vars" in value.keys() else value
            if len(inner) == 0:
                continue
            result[key] = _read_group(inner, f"{path}/{key}")
        elif isinstance(value, h5py.Dataset):
            if value.external or value.is_virtual:
                raise ValueError(f"Not allowed: H5 file with an external or virtual dataset at {path}/{key}")
            if value.dtype.kind not in "fiub":
                raise ValueError(f"Not allowed: a dataset of dtype {value.dtype} at {path}/{key}")
            result[key] = np.asarray(value[()])
    return result


def _read_weights_file(h5_path):
    import h5py

    with h5py.File(h5_path, "r") as f:
        return _read_group(f)


class KerasFileEditor:
    """Opens a `.keras` or `.weights.h5` file for inspection and weight surgery.

    Args:
        filepath: the file; a `.keras` archive also gives `config` and `metadata`.

    Attributes:
        weights_dict: the weights, nested as in the file.
        config / metadata: the model config and metadata of a `.keras` file (else None).
    """

    def __init__(self, filepath):
        self.filepath = str(os.fspath(filepath))
        self.config = None
        self.metadata = None
        if self.filepath.endswith(".keras"):
            with zipfile.ZipFile(self.filepath, "r") as archive, tempfile.TemporaryDirectory() as folder:
                self.config = json.loads(archive.read("config.json"))
                self.metadata = json.loads(archive.read("metadata.json"))
                weights_path = os.path.join(folder, _WEIGHTS_IN_ARCHIVE)
                with open(weights_path, "wb") as out:
                    out.write(archive.read(_WEIGHTS_IN_ARCHIVE))
                self.weights_dict = _read_weights_file(weights_path)
        elif self.filepath.endswith(".weights.h5"):
            self.weights_dict = _read_weights_file(self.filepath)
        else:
            raise ValueError(f"Invalid filename: expected a `.keras` `.weights.h5` extension. "
                             f"Received: filepath={self.filepath}")
        kind = "Keras model file" if self.config is not None else "Keras weights file"
        print_msg(f"{kind} ({self.filepath})")
        if self.metadata is not None:
            print_msg(f"Saved with Keras {self.metadata.get('keras_version')} - date saved: "
                      f"{self.metadata.get('date_saved')}")

    # ------------------------------------------------------------ reading
    def summary(self):
        """Prints the weight structure of the file: objects and their weights' shapes."""
        def show(tree, indent):
            for name, value in tree.items():
                if isinstance(value, dict):
                    print_msg(f"{'  ' * indent}{name}")
                    show(value, indent + 1)
                else:
                    print_msg(f"{'  ' * indent}{name}: shape={value.shape}, dtype={value.dtype}")

        show(self.weights_dict, 0)

    def compare(self, reference_model):
        """Lists how the file differs from `reference_model`'s weights (missing or reshaped ones).

        Returns:
            `{"status": "success" or "error", "error_count": int, "match_count": int}`.
        """
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "reference.weights.h5")
            reference_model.save_weights(path)
            reference = _read_weights_file(path)
        errors, matches = self._compare(self.weights_dict, reference, "", "saved file", "reference model")
        extra, _ = self._compare(reference, self.weights_dict, "", "reference model", "saved file", report_shape=False)
        errors += extra
        if errors == 0:
            print_msg("Comparison successful: saved file is compatible with the reference model")
            print_msg(f"    Found {matches} matching weight{'' if matches == 1 else 's'}")
        else:
            print_msg(f"Found {errors} error{'' if errors == 1 else 's'}: saved file is not compatible with the "
                      "reference model")
        return {"status": "success" if errors == 0 else "error", "error_count": errors, "match_count": matches}

    def _compare(self, target, reference, path, target_name, reference_name, report_shape=True):
        errors = matches = 0
        for key, expected in reference.items():
            inner = f"{path}/{key}"
            if key not in target:
                errors += 1
                kind = "Object" if isinstance(expected, dict) else "Weight"
                print_msg(f"...{kind} {inner} present in {reference_name}, missing from {target_name}")
            elif isinstance(expected, dict):
                more_errors, more_matches = self._compare(target[key], expected, inner, target_name, reference_name,
                                                          report_shape)
                errors += more_errors
                matches += more_matches
            elif report_shape and np.shape(target[key]) != np.shape(expected):
                errors += 1
                print_msg(f"...Weight shape mismatch for {inner}\n    In {reference_name}: shape={np.shape(expected)}"
                          f"\n    In {target_name}: shape={np.shape(target[key])}")
            else:
                matches += 1
        return errors, matches

    # ------------------------------------------------------------ editing
    def _locate(self, name):
        """`(parent dict, key)` of the object `name` (a path like `layers/dense`, or a unique name)."""
        if "/" in name:
            parts = name.split("/")
            tree = self.weights_dict
            for part in parts[:-1]:
                if part not in tree or not isinstance(tree[part], dict):
                    raise ValueError(f"Path '{name}' not found in model.")
                tree = tree[part]
            if parts[-1] not in tree:
                raise ValueError(f"Path '{name}' not found in model.")
            return tree, parts[-1]
        found = []

        def search(tree):
            for key, value in tree.items():
                if key == name:
                    found.append(tree)
                if isinstance(value, dict):
                    search(value)

        search(self.weights_dict)
        if not found:
            raise ValueError(f"Name '{name}' not found in model.")
        if len(found) > 1:
            raise ValueError(f"Name '{name}' occurs more than once in the model; pass its full path instead.")
        return found[0], name

    def rename_object(self, object_name, new_name):
        """Renames an object (e.g. a layer), by name (`"dense_2"`) or path (`"layers/dense_2"`)."""
        if "/" in new_name:
            raise ValueError(f"Argument `target_name` should be a leaf name, not a full path name. Received: "
                             f"target_name='{new_name}'")
        parent, key = self._locate(object_name)
        parent[new_name] = parent.pop(key)

    def delete_object(self, object_name):
        """Removes an object (e.g. a layer) and its weights."""
        parent, key = self._locate(object_name)
        parent.pop(key)

    def add_object(self, object_path, weights):
        """Adds an object at `object_path` (e.g. `"layers/dense_2"`) with `weights` (`{"0": kernel, ...}`)."""
        weights = self._check_weights(weights)
        parts = object_path.split("/")
        tree = self.weights_dict
        for part in parts[:-1]:
            if part not in tree:
                raise ValueError(f"Path '{'/'.join(parts[:-1])}' not found in model.")
            tree = tree[part]
        tree[parts[-1]] = weights

    def delete_weight(self, object_name, weight_name):
        """Removes one weight (e.g. `"1"`, the bias) from an object."""
        parent, key = self._locate(object_name)
        if weight_name not in parent[key]:
            raise ValueError(f"Weight {weight_name} not found in object {object_name}. Weights found: "
                             f"{list(parent[key])}")
        parent[key].pop(weight_name)

    def add_weights(self, object_name, weights):
        """Adds weights (`{"2": array, ...}`) to an existing object."""
        weights = self._check_weights(weights)
        parent, key = self._locate(object_name)
        parent[key].update(weights)

    @staticmethod
    def _check_weights(weights):
        if not isinstance(weights, dict):
            raise ValueError("Argument `weights` should be a dict where keys are weight names (usually '0', '1', etc.) "
                             f"and values are NumPy arrays. Received: type(weights)={type(weights).__name__}")
        return {str(name): np.asarray(value) for name, value in weights.items()}

    # ------------------------------------------------------------ writing
    def save(self, filepath):
        """Writes the (edited) weights to a new `.weights.h5` file (atomically)."""
        import h5py

        filepath = str(os.fspath(filepath))
        if not filepath.endswith(".weights.h5"):
            raise ValueError(f"Invalid `filepath` argument: expected a `.weights.h5` extension. "
                             f"Received: filepath={filepath}")

        def write(tree, group):
            arrays = {name: value for name, value in tree.items() if not isinstance(value, dict)}
            if arrays:
                target = group.create_group("vars") if group.name != "/" else group
                for name, value in arrays.items():
                    target.create_dataset(name, data=value)
            for name, value in tree.items():
                if isinstance(value, dict) and value:
                    write(value, group.create_group(name))

        folder = os.path.dirname(os.path.abspath(filepath))
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".weights.h5")
        os.close(handle)
        try:
            with h5py.File(temporary, "w") as f:
                write(self.weights_dict, f)
            os.replace(temporary, filepath)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)

    def resave_weights(self, filepath):
        """Same as `save`."""
        self.save(filepath)
