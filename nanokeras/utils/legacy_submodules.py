"""Keras 2's `keras.utils` submodules: `np_utils`, `vis_utils`, `data_utils`, `generic_utils`.

Keras 2 code imports helpers from them (`from keras.utils.np_utils import to_categorical`);
Keras 3 keeps every such helper on `keras.utils` itself. Each submodule here is a thin
module whose names resolve, on first use, to the `keras.utils` function, with a note on
the Keras 3 spelling.
"""

from nanokeras.utils import keras2_notes

# submodule -> the `keras.utils` names Keras 2 published in it
NAMES = {
    "np_utils": ("to_categorical", "normalize"),
    "vis_utils": ("plot_model", "model_to_dot"),
    "data_utils": ("get_file", "Sequence", "pad_sequences"),
    "generic_utils": ("Progbar", "CustomObjectScope", "custom_object_scope", "get_custom_objects",
                      "get_registered_name", "get_registered_object", "register_keras_serializable",
                      "serialize_keras_object", "deserialize_keras_object"),
}


def module_getattr(submodule):
    """The `__getattr__` of `nanokeras.utils.<submodule>`."""

    def resolve(name):
        import nanokeras.utils

        return getattr(nanokeras.utils, name)

    return keras2_notes.lent_getattr(f"keras.utils.{submodule}", NAMES[submodule], "utils_submodules", resolve,
                                     instead=lambda name: f"`keras.utils.{name}`")


def module_dir(submodule):
    return lambda: sorted(NAMES[submodule])
