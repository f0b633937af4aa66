"""`keras.legacy.saving` writes what real Keras writes and reads what real Keras writes."""

import pytest

import nanokeras as nk


def _objects(lib):
    return [
        lib.layers.Dense(3, activation="relu", kernel_regularizer=lib.regularizers.L2(0.1), name="dense"),
        lib.layers.Dropout(0.25, name="drop"),
        lib.regularizers.L1L2(l1=0.5, l2=0.25),
        lib.initializers.Constant(2.0),
        lib.activations.tanh,
        None,
    ]


@pytest.mark.parametrize("index", range(6))
def test_serialize_matches_keras(keras, index):
    theirs = keras.legacy.saving.serialize_keras_object(_objects(keras)[index])
    ours = nk.legacy.saving.serialize_keras_object(_objects(nk)[index])
    assert ours == theirs
    assert nk.utils.legacy.serialize_keras_object(_objects(nk)[index]) == \
        keras.utils.legacy.serialize_keras_object(_objects(keras)[index])


def test_reads_what_keras_writes(keras):
    written = keras.legacy.saving.serialize_keras_object(
        keras.layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.5), name="d"))
    layer = nk.legacy.saving.deserialize_keras_object(written, module_objects={"Dense": nk.layers.Dense})
    real = keras.legacy.saving.deserialize_keras_object(written, module_objects={"Dense": keras.layers.Dense})
    assert layer.get_config() == real.get_config()


def test_unknown_name_is_refused_like_keras(keras):
    config = {"class_name": "NoSuchThing", "config": {}}
    with pytest.raises(ValueError, match="Unknown object: 'NoSuchThing'"):
        keras.legacy.saving.deserialize_keras_object(config)
    with pytest.raises(ValueError, match="Unknown object: 'NoSuchThing'"):
        nk.legacy.saving.deserialize_keras_object(config)
