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
    public = f"keras.utils.{submodule}"

    def __getattr__(name):
        if name not in NAMES[submodule]:
            raise AttributeError(f"module {public!r} has no attribute {name!r}; "
                                 f"it had: {', '.join(NAMES[submodule])}.")
        keras2_notes.note("utils_submodules", used=f"`{public}.{name}`", instead=f"`keras.utils.{name}`",
                          error=keras2_notes.Keras3StrictAttributeError)
        import nanokeras.utils

        return getattr(nanokeras.utils, name)

    return __getattr__


def module_dir(submodule):
    return lambda: sorted(NAMES[submodule])
