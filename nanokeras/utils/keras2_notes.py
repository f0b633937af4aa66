"""Notes on Keras 2 idioms: accepted here, with how Keras 3 spells them.

Courses and books teach with Keras 2 (tf.keras 2.x) code. nanokeras runs that code
with Keras 2's meaning, and says once per process, as a `Keras2Note` (a
`DeprecationWarning`), that the line works here and in Keras 2 but not in Keras 3,
and what to write instead. Code that heeds the notes keeps working after a move to
Keras 3.

- `keras.config.set_keras2_notes(False)` (or the environment variable
  `NANOKERAS_KERAS2_NOTES=0`) silences the notes.
- `keras.config.set_strict_keras3(True)` (or `NANOKERAS_STRICT_KERAS3=1`) turns each
  idiom into an error, for code that must run unchanged on Keras 3.

Every idiom is listed once in `IDIOMS`; `docs/keras2.md` is its table.

This module imports nothing from nanokeras, so any package may use it.

Example:
    >>> from nanokeras.utils import keras2_notes
    >>> keras2_notes.IDIOMS["nb_epoch"].keras3
    '`model.fit(x, y, epochs=10)`'
"""

import os
import sys
import warnings
from collections import namedtuple

Idiom = namedtuple("Idiom", ["keras2", "keras3", "since"])
Idiom.__doc__ = "A Keras 2 spelling, its Keras 3 spelling, and the Keras version that stopped accepting it."

IDIOMS = {
    "compile_positional_metrics": Idiom(
        "`model.compile(optimizer, loss, ['acc'])` (metrics third)",
        "`model.compile(optimizer, loss, metrics=['acc'])`", "3.0"),
    "optimizer_lr": Idiom("`Adam(lr=0.001)` / `optimizer.lr`", "`Adam(learning_rate=0.001)` / `optimizer.learning_rate`",
                          "2.11 (tf.keras's new optimizers ignore `lr`); an error since 3.0"),
    "optimizer_decay": Idiom(
        "`SGD(learning_rate=0.01, decay=1e-6)`",
        "`SGD(learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6))`",
        "2.11 (an error in tf.keras's new optimizers); ignored since 3.0"),
    "loss_alias": Idiom(
        "`keras.losses.mse` (also `mae`, `mape`, `msle`, `kld`, `logcosh`, upper-case forms)",
        "`keras.losses.mean_squared_error` (or the string `'mse'`)", "3.0"),
    "loss_string_alias": Idiom(
        "`loss='logcosh'` / `loss='kullback_leibler_divergence'`",
        "`loss='log_cosh'` / `loss='kl_divergence'`", "3.0"),
    "loss_reduction_enum": Idiom(
        "`keras.losses.Reduction.NONE` (`SUM`, `SUM_OVER_BATCH_SIZE`, `AUTO`)",
        "`reduction='none'` (`'sum'`, `'sum_over_batch_size'`)", "3.0"),
    "metric_alias": Idiom(
        "`keras.metrics.mse` (also `mae`, `mape`, `msle`, `kld`, `logcosh`, upper-case forms)",
        "`keras.metrics.mean_squared_error` (or the string `'mse'`)", "3.0"),
    "batch_input_shape": Idiom(
        "`Dense(4, batch_input_shape=(32, 8))` / `batch_size=` on a layer",
        "`keras.Input(batch_shape=(32, 8))` as the first layer", "3.0"),
    "required_training_argument": Idiom(
        "`def call(self, inputs, training):` (no default)",
        "`def call(self, inputs, training=None):`", "3.0"),
    "shared_optimizer": Idiom(
        "one optimizer object compiled into two models (e.g. a GAN's discriminator and combined model)",
        "one optimizer per model: `compile(optimizer=keras.optimizers.Adam(...))` for each",
        "2.11 (tf.keras's new optimizers; the legacy ones still allowed it); an error since 3.0"),
    "string_arrays": Idiom(
        "`model.fit(x_strings, y)` with a numpy array of strings",
        "map strings to ids before `fit` (`model.fit(lookup(x_strings), y)`), or a `tf.data.Dataset` "
        "on the TensorFlow backend", "3.0"),
    "text_vectorization_input_shape": Idiom(
        "`Sequential([TextVectorization(input_shape=(1,)), ...])` (a model that takes raw strings)",
        "vectorize before the model (`model.fit(vectorizer(texts), y)`); on Keras's TensorFlow backend "
        "`keras.Input(shape=(1,), dtype='string')` first also works", "3.0"),
    "tokenizer": Idiom(
        "`keras.preprocessing.text.Tokenizer`",
        "`keras.layers.TextVectorization` (`adapt` on the texts)", "3.0"),
    "text_functions": Idiom(
        "`keras.preprocessing.text.text_to_word_sequence` / `one_hot` / `hashing_trick` / `tokenizer_from_json`",
        "`keras.layers.TextVectorization` (and `keras.layers.Hashing`)", "3.0"),
    "image_data_generator": Idiom(
        "`keras.preprocessing.image.ImageDataGenerator`",
        "`keras.utils.image_dataset_from_directory` and augmentation layers "
        "(`RandomFlip`, `RandomRotation`, `RandomZoom`, `Rescaling`, ...)", "3.0"),
    "fit_generator": Idiom(
        "`model.fit_generator(gen, ...)` / `evaluate_generator` / `predict_generator`",
        "`model.fit(gen, ...)` / `evaluate` / `predict`", "3.0"),
    "symbolic_add_loss": Idiom(
        "`model.add_loss(loss_tensor)` with a loss computed from a functional model's symbolic tensors",
        "a layer that computes the loss in `call` and calls `self.add_loss(...)`, placed in the model",
        "3.0"),
    "pooling_default_size": Idiom(
        "`AveragePooling2D()` without `pool_size` (Keras 2 pooled 2 by 2; also 1D and 3D)",
        "`AveragePooling2D(pool_size=2)`", "3.0"),
    "backend_functions": Idiom(
        "`keras.backend.mean(x)` (Keras 2's backend functions, `K.*`)",
        "`keras.ops.mean(x)` (`keras.random.normal(...)`, `keras.ops.shape(x)`, ...: each note names the "
        "function's Keras 3 spelling)", "3.0"),
    "nb_epoch": Idiom("`model.fit(x, y, nb_epoch=10)`", "`model.fit(x, y, epochs=10)`",
                      "2.4 (Keras 2.0 to 2.3 still took it, with a warning)"),
    "predict_classes": Idiom(
        "`model.predict_classes(x)` / `model.predict_proba(x)`",
        "`np.argmax(model.predict(x), axis=-1)` (softmax output) or `(model.predict(x) > 0.5).astype('int32')` "
        "(sigmoid output) / `model.predict(x)`", "2.6"),
    "utils_submodules": Idiom(
        "`keras.utils.np_utils.to_categorical` (also `vis_utils`, `data_utils`, `generic_utils`)",
        "`keras.utils.to_categorical` (every name is on `keras.utils` itself)", "3.0"),
    "layers_modules": Idiom(
        "`from keras.layers.core import Dense` (Keras 2's module paths: `layers.core`, `layers.convolutional`, "
        "`layers.recurrent`, `layers.merge`, ...; `keras.engine.topology.Layer`)",
        "`from keras.layers import Dense` (every layer is on `keras.layers`; `Layer` too)", "3.0"),
    "scikit_learn_wrappers": Idiom(
        "`keras.wrappers.scikit_learn.KerasClassifier(build_fn=create_model, epochs=10)` (also `KerasRegressor`)",
        "`keras.wrappers.SKLearnClassifier(model=build, fit_kwargs={'epochs': 10})` (`build(X, y)` returns a "
        "compiled model; labels are one-hot encoded for it)", "2.12 (moved to the `scikeras` package)"),
    "legacy_optimizers": Idiom(
        "`keras.optimizers.legacy.Adam(learning_rate=0.001)` (tf.keras 2.11+'s old optimizers)",
        "`keras.optimizers.Adam(learning_rate=0.001)`", "3.0 (an ImportError there)"),
    "model_reset_states": Idiom(
        "`model.reset_states()` (zeroes the states of the model's stateful layers)",
        "`for layer in model.layers: if getattr(layer, 'stateful', False): layer.reset_state()`", "3.0"),
    "layer_shapes": Idiom(
        "`layer.output_shape` / `layer.input_shape` on a layer (models still have them)",
        "`layer.output.shape` / `layer.input.shape`", "3.0"),
    "history_lr": Idiom(
        "`history.history['lr']` (the learning rate `ReduceLROnPlateau` / `LearningRateScheduler` logged)",
        "`history.history['learning_rate']`", "3.0"),
    "timeseries_generator": Idiom(
        "`keras.preprocessing.sequence.TimeseriesGenerator(data, targets, length=5)`",
        "`keras.utils.timeseries_dataset_from_array(data[:-1], targets[5:], sequence_length=5)`", "3.0"),
    "embedding_input_length": Idiom(
        "`Embedding(1000, 64, input_length=10)` as a model's first layer (declares the input `(None, 10)`)",
        "`keras.Input(shape=(10,))` first, then `Embedding(1000, 64)`", "3.0 (ignored, with a warning)"),
    "checkpoint_hdf5": Idiom(
        "`ModelCheckpoint('weights-{epoch:02d}.hdf5')` (also `.h5`/`.hdf5` with `save_weights_only=True`)",
        "`ModelCheckpoint('model-{epoch:02d}.keras')` (`.weights.h5` with `save_weights_only=True`)", "3.0"),
    "experimental_preprocessing": Idiom(
        "`keras.layers.experimental.preprocessing.Normalization` (and the other preprocessing layers)",
        "`keras.layers.Normalization`", "3.0"),
}

_ENV_NOTES = "NANOKERAS_KERAS2_NOTES"
_ENV_STRICT = "NANOKERAS_STRICT_KERAS3"
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep

_notes_setting = None    # None: follow the environment variable
_strict_setting = None
_already_noted = set()


class Keras2Note(DeprecationWarning):
    """A Keras 2 idiom was accepted; the message gives its Keras 3 spelling."""


class Keras3StrictError(ValueError):
    """A Keras 2 idiom was used while strict Keras 3 mode is on."""


class Keras3StrictAttributeError(Keras3StrictError, AttributeError):
    """A Keras 2 name was looked up while strict Keras 3 mode is on."""


def _env_flag(name, default):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


def notes_enabled():
    """Whether Keras 2 idioms print a note (on unless switched off)."""
    if _notes_setting is not None:
        return _notes_setting
    return _env_flag(_ENV_NOTES, True)


def strict_keras3():
    """Whether Keras 2 idioms raise instead of working (off unless switched on)."""
    if _strict_setting is not None:
        return _strict_setting
    return _env_flag(_ENV_STRICT, False)


def set_notes(enabled):
    """`True`/`False` switches the notes on/off; `None` follows `NANOKERAS_KERAS2_NOTES` again."""
    global _notes_setting
    if enabled is not None and not isinstance(enabled, bool):
        raise TypeError(f"`enabled` must be True, False or None, got {enabled!r}.")
    _notes_setting = enabled


def set_strict(enabled):
    """`True`/`False` switches strict Keras 3 mode on/off; `None` follows `NANOKERAS_STRICT_KERAS3` again."""
    global _strict_setting
    if enabled is not None and not isinstance(enabled, bool):
        raise TypeError(f"`enabled` must be True, False or None, got {enabled!r}.")
    _strict_setting = enabled


def forget_notes():
    """Lets every note be shown again (each is shown once per process)."""
    _already_noted.clear()


def message(key, used=None, instead=None):
    """The note for idiom `key`. `used` and `instead` name what the code wrote and its Keras 3
    spelling, when more precise than the table's entry."""
    idiom = IDIOMS[key]
    return (f"Keras 2 idiom {used or idiom.keras2}: works in nanokeras and Keras 2, not in Keras 3 "
            f"(stopped working in Keras {idiom.since}). Keras 3 spelling: {instead or idiom.keras3}.")


def _user_stacklevel():
    """The `stacklevel` that points at the first caller outside nanokeras (the user's line)."""
    frame = sys._getframe(2)  # the caller of `note`, which is `stacklevel=2` for `note`'s warn
    level = 2
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    return level


_reading_files = [0]


class reading_a_file:
    """While a saved model is read, its own Keras 2 spellings (`batch_input_shape` in an old
    `.h5` config, say) are not the user's code: no note, and no strict-mode error."""

    def __enter__(self):
        _reading_files[0] += 1

    def __exit__(self, *exc_info):
        _reading_files[0] -= 1
        return False


def note(key, used=None, instead=None, error=Keras3StrictError):
    """Reports that Keras 2 idiom `key` was used: a `Keras2Note` once per process, or in strict
    Keras 3 mode an `error` (`Keras3StrictError` unless told otherwise), raised every time."""
    if key not in IDIOMS:
        raise KeyError(f"Unknown Keras 2 idiom {key!r}; known: {sorted(IDIOMS)}.")
    if _reading_files[0]:
        return
    if strict_keras3():
        idiom = IDIOMS[key]
        raise error(
            f"{used or idiom.keras2} is Keras 2 only, and strict Keras 3 mode is on "
            f"({_ENV_STRICT}=1 or keras.config.set_strict_keras3(True)). "
            f"Keras 3 spelling: {instead or idiom.keras3}."
        )
    if key in _already_noted or not notes_enabled():
        return
    _already_noted.add(key)
    warnings.warn(message(key, used, instead), Keras2Note, stacklevel=_user_stacklevel())


def module_getattr(namespace, public_name, aliases, key):
    """A module `__getattr__` that resolves Keras 2 names: `aliases` maps each to the name
    of its Keras 3 equivalent in `namespace` (the module's `globals()`), noting idiom `key`."""

    def __getattr__(name):
        target = aliases.get(name)
        if target is None:
            raise AttributeError(f"module {public_name!r} has no attribute {name!r}")
        note(key, used=f"`{public_name}.{name}`", instead=f"`{public_name}.{target}`",
             error=Keras3StrictAttributeError)
        return namespace[target]

    return __getattr__


def lent_getattr(public_name, names, key, resolve, instead, used="`{public}.{name}`"):
    """A module `__getattr__` for Keras 2 names whose objects now live elsewhere: a name in
    `names` notes idiom `key` (Keras 3 spelling `instead(name)`) and returns `resolve(name)`;
    any other name, and every name in strict Keras 3 mode, is an AttributeError.
    `used` formats what the code wrote (`{public}` and `{name}` are filled in)."""

    def __getattr__(name):
        if name not in names:
            raise AttributeError(f"module {public_name!r} has no attribute {name!r}")
        note(key, used=used.format(public=public_name, name=name), instead=instead(name),
             error=Keras3StrictAttributeError)
        return resolve(name)

    return __getattr__
