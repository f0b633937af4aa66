"""`FeatureSpace`: one-step preprocessing of a dict of structured (tabular) features.

Each named feature gets a preprocessor (rescaling, normalization, discretization,
lookup or hashing), categorical results are one-hot encoded, optional crosses hash
pairs of features together, and everything is concatenated into one float vector
per sample (or returned as a dict), in the order of the sorted feature names then
the sorted cross names, as Keras does.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> space = keras.utils.FeatureSpace(
    ...     {"age": "float_normalized", "color": "string_categorical", "size": "integer_hashed"},
    ...     hashing_dim=4)
    >>> data = {"age": np.array([20.0, 40.0]), "color": np.array(["red", "blue"]), "size": np.array([1, 2])}
    >>> space.adapt(data)
    >>> space(data).shape   # 1 normalized + 3 color ids (OOV, red, blue) + 4 hash bins
    (2, 8)
"""

import numpy as np

from nanokeras.backend.naming import auto_name
from nanokeras.layers.layer import Layer
from nanokeras.layers.preprocessing.category_encoding import CategoryEncoding
from nanokeras.layers.preprocessing.discretization import Discretization
from nanokeras.layers.preprocessing.hashed_crossing import HashedCrossing
from nanokeras.layers.preprocessing.hashing import Hashing
from nanokeras.layers.preprocessing.integer_lookup import IntegerLookup
from nanokeras.layers.preprocessing.normalization import Normalization
from nanokeras.layers.preprocessing.rescaling import Rescaling
from nanokeras.layers.preprocessing.string_lookup import StringLookup
from nanokeras.ops.tensor import value_of


def _serialize(obj):
    from nanokeras.saving.serialization_lib import serialize_keras_object

    return serialize_keras_object(obj)


def _deserialize(config):
    from nanokeras.saving.serialization_lib import deserialize_keras_object

    return deserialize_keras_object(config)


class Cross:
    """A cross of features, hashed into `crossing_dim` bins."""

    def __init__(self, feature_names, crossing_dim, output_mode="one_hot"):
        if output_mode not in ("int", "one_hot"):
            raise ValueError("Invalid value for argument `output_mode`. Expected one of {'int', 'one_hot'}. "
                             f"Received: output_mode={output_mode}")
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self):
        return "_X_".join(self.feature_names)

    def get_config(self):
        return {"feature_names": self.feature_names, "crossing_dim": self.crossing_dim,
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class TFDIdentity(Layer):
    """The preprocessor of a plain float feature: the values as float32 (Keras's class name, kept
    so that saved configs name the same class)."""

    def call(self, x):
        return np.asarray(value_of(x), dtype="float32")

    def compute_output_shape(self, input_shape):
        return input_shape


class Feature:
    """A feature's dtype, preprocessor layer and encoding (`"int"`, `"one_hot"` or `"float"`)."""

    def __init__(self, dtype, preprocessor, output_mode):
        if output_mode not in ("int", "one_hot", "float"):
            raise ValueError("Invalid value for argument `output_mode`. Expected one of {'int', 'one_hot', "
                             f"'float'}}. Received: output_mode={output_mode}")
        self.dtype = dtype
        self.preprocessor = _deserialize(preprocessor) if isinstance(preprocessor, dict) else preprocessor
        self.output_mode = output_mode

    def get_config(self):
        return {"dtype": self.dtype, "preprocessor": _serialize(self.preprocessor), "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _cardinality(preprocessor):
    if isinstance(preprocessor, (IntegerLookup, StringLookup)):
        return preprocessor.vocabulary_size()
    if isinstance(preprocessor, CategoryEncoding):
        return preprocessor.num_tokens
    if isinstance(preprocessor, (Discretization, Hashing, HashedCrossing)):
        return preprocessor.num_bins
    return None


def _column(values):
    """A feature's values as an `(n, 1)` array (a scalar is one sample)."""
    array = np.asarray(value_of(values))
    if array.ndim == 0:
        return array.reshape(1, 1)
    return array[:, None] if array.ndim == 1 else array


class FeatureSpace(Layer):
    """Preprocesses and encodes a dict of named features into one vector (or a dict) per sample.

    Args:
        features: `{name: type or Feature}`; types are `"float"`, `"float_rescaled"`,
            `"float_normalized"`, `"float_discretized"`, `"integer_categorical"`,
            `"integer_hashed"`, `"string_categorical"`, `"string_hashed"` (or a `Feature` from
            `FeatureSpace.float_rescaled(...)`, `FeatureSpace.string_categorical(...)`, ...).
        output_mode: `"concat"` (one float32 matrix) or `"dict"` (one array per feature).
        crosses: tuples of feature names (or `FeatureSpace.cross(...)`) to hash together.
        crossing_dim: the bins of the crosses given as tuples.
        hashing_dim: the bins of `"*_hashed"` features given by name.
        num_discretization_bins: the bins of `"float_discretized"` features given by name.

    Call `adapt(data)` (a dict of arrays, or an iterable of dict batches such as a
    `tf.data.Dataset`) to fit the normalizations, vocabularies and bins, then call the
    space on a dict of features.
    """

    # ---------------------------------------------------------- feature types
    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name=None):
        name = name or auto_name("float")
        return Feature("float32", TFDIdentity(name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        name = name or auto_name("float_rescaled")
        return Feature("float32", Rescaling(scale=scale, offset=offset, name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_normalized(cls, name=None):
        name = name or auto_name("float_normalized")
        return Feature("float32", Normalization(axis=-1, name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot", name=None):
        name = name or auto_name("float_discretized")
        preprocessor = Discretization(num_bins=num_bins, bin_boundaries=bin_boundaries, name=f"{name}_preprocessor")
        return Feature("float32", preprocessor, output_mode)

    @classmethod
    def integer_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None):
        name = name or auto_name("integer_categorical")
        preprocessor = IntegerLookup(name=f"{name}_preprocessor", max_tokens=max_tokens,
                                     num_oov_indices=num_oov_indices)
        return Feature("int32", preprocessor, output_mode)

    @classmethod
    def string_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None):
        name = name or auto_name("string_categorical")
        preprocessor = StringLookup(name=f"{name}_preprocessor", max_tokens=max_tokens,
                                    num_oov_indices=num_oov_indices)
        return Feature("string", preprocessor, output_mode)

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = name or auto_name("string_hashed")
        return Feature("string", Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode)

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = name or auto_name("integer_hashed")
        return Feature("int32", Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode)

    _KINDS = {
        "float": lambda self, name: self.float(name=name),
        "float_normalized": lambda self, name: self.float_normalized(name=name),
        "float_rescaled": lambda self, name: self.float_rescaled(name=name),
        "float_discretized": lambda self, name: self.float_discretized(name=name,
                                                                      num_bins=self.num_discretization_bins),
        "integer_categorical": lambda self, name: self.integer_categorical(name=name),
        "string_categorical": lambda self, name: self.string_categorical(name=name),
        "integer_hashed": lambda self, name: self.integer_hashed(self.hashing_dim, name=name),
        "string_hashed": lambda self, name: self.string_hashed(self.hashing_dim, name=name),
    }

    # ------------------------------------------------------------ creation
    def __init__(self, features, output_mode="concat", crosses=None, crossing_dim=32, hashing_dim=32,
                 num_discretization_bins=32, name=None):
        super().__init__(name=name)
        if not features:
            raise ValueError("The `features` argument cannot be None or empty.")
        if output_mode not in ("dict", "concat"):
            raise ValueError("Invalid value for argument `output_mode`. Expected one of {'dict', 'concat'}. "
                             f"Received: output_mode={output_mode}")
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.output_mode = output_mode
        self.features = {name: self._standardize_feature(name, value) for name, value in features.items()}
        self.crosses = []
        for cross in crosses or ():
            if isinstance(cross, dict):
                cross = _deserialize(cross)
            if not isinstance(cross, Cross):
                unknown = [key for key in cross if key not in self.features]
                if unknown:
                    raise ValueError("All features referenced in the `crosses` argument should be present in the "
                                     f"`features` dict. Received unknown features: {cross}")
                cross = Cross(cross, crossing_dim=crossing_dim)
            self.crosses.append(cross)
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        self.preprocessors = {name: feature.preprocessor for name, feature in self.features.items()}
        self.crossers = {cross.name: HashedCrossing(cross.crossing_dim, name=cross.name) for cross in self.crosses}
        self.one_hot_encoders = {}
        self._is_adapted = False
        self._encoders_made = False
        self.inputs = None
        self.encoded_features = None
        self.built = True

    def _standardize_feature(self, name, feature):
        if isinstance(feature, Feature):
            return feature
        if isinstance(feature, dict):
            return _deserialize(feature)
        make = self._KINDS.get(feature)
        if make is None:
            raise ValueError(f"Invalid feature type: {feature!r} for feature {name!r}. Expected one of "
                             f"{sorted(self._KINDS)} or a `FeatureSpace.feature(...)`.")
        return make(self, name)

    # ------------------------------------------------------------- adapting
    def _adaptable(self):
        names = []
        for name, preprocessor in self.preprocessors.items():
            if isinstance(preprocessor, Normalization) and preprocessor.input_mean is not None:
                continue
            if callable(getattr(preprocessor, "adapt", None)):
                names.append(name)
        return names

    def adapt(self, dataset):
        """Fits every adaptable preprocessor on `dataset`: a dict of arrays/lists, or an iterable of dict
        batches (e.g. a `tf.data.Dataset` yielding dicts)."""
        if isinstance(dataset, dict):
            columns = {name: [_column(values)] for name, values in dataset.items()}
        elif callable(getattr(dataset, "__iter__", None)) and not isinstance(dataset, (str, bytes, np.ndarray)):
            columns = {}
            for batch in dataset:
                if not isinstance(batch, dict):
                    raise ValueError("`adapt()` needs dicts of features: the dataset yielded a "
                                     f"{type(batch).__name__}. Drop the labels first, e.g. `ds.map(lambda x, y: x)`.")
                for name, values in batch.items():
                    columns.setdefault(name, []).append(_column(values))
        else:
            raise ValueError("`adapt()` can only be called on a dict of arrays/lists or an iterable of dicts (such "
                             f"as a tf.data.Dataset). Received instead: {dataset!r:.80} (of type "
                             f"{type(dataset).__name__})")
        for name in self._adaptable():
            if name not in columns:
                raise ValueError(f"`adapt()` data has no feature {name!r}; it has {sorted(columns)}.")
            self.preprocessors[name].adapt(np.concatenate(columns[name], axis=0))
        self._is_adapted = True
        self._make_encoders()

    def _check_adapted(self):
        if not self._is_adapted:
            if self._adaptable():
                raise ValueError("You need to call `.adapt(dataset)` on the FeatureSpace before you can start using "
                                 "it.")
            self._is_adapted = True
        if not self._encoders_made:  # (a loaded space: its preprocessors got their state after it was built)
            self._make_encoders()

    def _specs(self):
        """(name, preprocessor or crosser, spec) for the outputs, in Keras's order: features then crosses."""
        result = [(name, self.preprocessors[name], self.features[name]) for name in sorted(self.features)]
        result += [(name, self.crossers[name], self.crosses_by_name[name]) for name in sorted(self.crossers)]
        return result

    def _make_encoders(self):
        self.one_hot_encoders = {}
        for name, preprocessor, spec in self._specs():
            if spec.output_mode != "one_hot":
                continue
            cardinality = _cardinality(preprocessor)
            if cardinality is None:
                raise ValueError(f"Feature '{name}' has `output_mode='one_hot'`. However it isn't a standard "
                                 "feature and the dimensionality of its output space is not known, thus it cannot "
                                 "be one-hot encoded. Try using `output_mode='int'`.")
            self.one_hot_encoders[name] = CategoryEncoding(num_tokens=cardinality, output_mode="multi_hot")
        self._encoders_made = True

    # -------------------------------------------------------------- calling
    def _convert_inputs(self, inputs):
        return inputs  # a dict of features of any dtype, read in `call`

    def __call__(self, data, *args, **kwargs):
        self._check_adapted()
        if not isinstance(data, dict):
            raise ValueError(f"A FeatureSpace can only be called with a dict. Received: data={data!r:.80} (of type "
                             f"{type(data).__name__})")
        return super().__call__(data, *args, **kwargs)

    def call(self, data):
        missing = [name for name in self.features if name not in data]
        if missing:
            raise ValueError(f"FeatureSpace {self.name!r}: missing feature(s) {missing}; got {sorted(data)}.")
        single = all(np.ndim(value_of(data[name])) == 0 for name in self.features)
        preprocessed = {name: np.asarray(value_of(self.preprocessors[name](_column(data[name]))))
                        for name in self.features}
        outputs = {}
        for name, _, _ in self._specs():
            if name in self.crossers:
                cross = self.crosses_by_name[name]
                value = self.crossers[name]([preprocessed[feature] for feature in cross.feature_names])
            else:
                value = preprocessed[name]
            encoder = self.one_hot_encoders.get(name)
            outputs[name] = np.asarray(encoder(value) if encoder is not None else value)
        if self.output_mode == "dict":
            return {name: value[0] if single and value.ndim == 2 else value for name, value in outputs.items()}
        for name, value in outputs.items():
            if value.dtype.kind not in "f":
                raise ValueError(f"Cannot concatenate features because feature '{name}' has not been encoded (it "
                                 f"has dtype {value.dtype}). Consider using `output_mode='dict'`.")
        merged = np.concatenate([value.astype("float32", copy=False) for value in outputs.values()], axis=-1)
        return merged[0] if single else merged

    def _encoded_width(self, name):
        encoder = self.one_hot_encoders.get(name)
        return encoder.num_tokens if encoder is not None else 1

    def compute_output_spec(self, inputs, *args, **kwargs):
        from nanokeras.graph.keras_tensor import KerasTensor

        widths = {name: self._encoded_width(name) for name, _, _ in self._specs()}
        if self.output_mode == "dict":
            return {name: KerasTensor((None, width), dtype="float32" if name in self.one_hot_encoders or
                                      self._spec_mode(name) == "float" else "int64") for name, width in widths.items()}
        return KerasTensor((None, sum(widths.values())), dtype="float32")

    def _spec_mode(self, name):
        spec = self.features.get(name) or self.crosses_by_name.get(name)
        return spec.output_mode

    # -------------------------------------------------- the functional API
    def get_inputs(self):
        """`{name: keras.Input(shape=(1,))}` for the features (strings as object arrays)."""
        from nanokeras.layers.core.input_layer import Input

        self._check_adapted()
        if self.inputs is None:
            self.inputs = {}
            for name, feature in self.features.items():
                try:
                    self.inputs[name] = Input(shape=(1,), dtype=feature.dtype, name=name)
                except TypeError:  # no string dtype for symbolic inputs: Python objects
                    self.inputs[name] = Input(shape=(1,), dtype="object", name=name)
        return self.inputs

    def get_encoded_features(self):
        """The encoded features of `get_inputs()` (a KerasTensor, or a dict with `output_mode="dict"`)."""
        if self.encoded_features is None:
            self.encoded_features = self(self.get_inputs())
        return self.encoded_features

    # -------------------------------------------------------------- saving
    def get_config(self):
        return {"features": _serialize(self.features), "output_mode": self.output_mode,
                "crosses": _serialize(self.crosses), "crossing_dim": self.crossing_dim,
                "hashing_dim": self.hashing_dim, "num_discretization_bins": self.num_discretization_bins}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_build_config(self):
        """Each feature's preprocessor's build config, by feature name (the layout Keras's file has)."""
        return {name: feature.preprocessor.get_build_config() for name, feature in self.features.items()}

    def build_from_config(self, config):
        """Builds the preprocessors of a loaded space, which counts as adapted: their state (vocabularies,
        means) is loaded next, and the one-hot encoders are made from it at the first call."""
        for name, build_config in (config or {}).items():
            preprocessor = self.features[name].preprocessor if name in self.features else None
            if preprocessor is not None and not preprocessor.built and build_config:
                preprocessor.build_from_config(build_config)
        self._is_adapted = True
        self._encoders_made = False

    def save_own_variables(self, store):
        pass  # nothing of its own: the preprocessors' state is saved under them

    def load_own_variables(self, store):
        # Loading a file (whichever library wrote it) gives the preprocessors their adapted
        # state: the space is adapted, and makes its encoders from that state when first called.
        self._is_adapted = True
        self._encoders_made = False

    def save(self, filepath):
        """Saves the space, with its adapted preprocessors, as a `.keras` file."""
        from nanokeras.saving.saving_api import save_model

        save_model(self, filepath)
