"""A layer that overrides `save_own_variables`/`load_own_variables`, as in Keras's saving guide:
`.keras` files written by real Keras 3 load here with the extra state, and the reverse."""

import numpy as np
import pytest

import nanokeras as nk


def _define(lib):
    @lib.saving.register_keras_serializable(package="own_vars")
    class LayerWithCustomVariable(lib.layers.Dense):
        def __init__(self, units, **kwargs):
            super().__init__(units, **kwargs)
            self.my_variable = lib.Variable(np.random.random((units,)), name="my_variable", dtype="float32")

        def save_own_variables(self, store):
            super().save_own_variables(store)
            store["variables"] = self.my_variable.numpy()

        def load_own_variables(self, store):
            self.my_variable.assign(store["variables"])
            # (the guide loops over `self.weights`, which lists `my_variable` first: real Keras 3
            # then fails to load its own file, and so does nanokeras; kernel and bias are "0", "1")
            for i, v in enumerate([self.kernel, self.bias]):
                v.assign(store[f"{i}"])

        def call(self, inputs):
            return super().call(inputs) + self.my_variable

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    return LayerWithCustomVariable


def _model(lib):
    lib.backend.clear_session()
    layer_class = _define(lib)
    return lib.Sequential([lib.Input((4,)), layer_class(3, name="custom")])


@pytest.mark.parametrize("direction", ["keras_to_nanokeras", "nanokeras_to_keras"])
def test_the_saving_guides_custom_variable_layer_crosses(keras, tmp_path, direction):
    source_lib, target_lib = (keras, nk) if direction == "keras_to_nanokeras" else (nk, keras)
    source = _model(source_lib)
    rng = np.random.default_rng(3)
    source.set_weights([rng.normal(size=np.shape(w)).astype("float32") for w in source.get_weights()])
    x = rng.normal(size=(5, 4)).astype("float32")
    expected = np.asarray(source.predict(x, verbose=0))
    source.save(tmp_path / "custom.keras")
    _define(target_lib)
    loaded = target_lib.saving.load_model(tmp_path / "custom.keras")
    np.testing.assert_allclose(np.asarray(loaded.predict(x, verbose=0)), expected, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(np.asarray(loaded.get_layer("custom").my_variable),
                                  np.asarray(source.get_layer("custom").my_variable))
