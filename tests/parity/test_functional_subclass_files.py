"""A registered "functional subclass" (a Model subclass calling `super().__init__(inputs, outputs)`)
saved as `.keras`: its registered name is written, and the file loads back as the user's class,
in nanokeras and in real Keras 3, both ways."""

import numpy as np

import nanokeras as nk


def _register(lib):
    @lib.saving.register_keras_serializable(package="fsubtest")
    class FuncSub(lib.Model):
        def __init__(self, units=4, **kwargs):
            inputs = lib.Input((3,))
            outputs = lib.layers.Dense(1)(lib.layers.Dense(units)(inputs))
            super().__init__(inputs=inputs, outputs=outputs, **kwargs)
            self.units = units

        def get_config(self):
            return {"units": self.units, "name": self.name}

    return FuncSub


def test_registered_functional_subclasses_round_trip_between_nanokeras_and_keras(keras, tmp_path):
    classes = {nk: _register(nk), keras: _register(keras)}
    x = np.ones((2, 3), "float32")
    for writer, reader in ((nk, keras), (keras, nk), (nk, nk)):
        model = classes[writer](5, name="fs")
        assert writer.saving.serialize_keras_object(model)["registered_name"] == "fsubtest>FuncSub"
        path = str(tmp_path / f"{writer.__name__}_{reader.__name__}.keras")
        model.save(path)
        loaded = reader.models.load_model(path)
        assert isinstance(loaded, classes[reader]) and loaded.units == 5 and loaded.name == "fs"
        np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(model(x)), rtol=1e-6)
