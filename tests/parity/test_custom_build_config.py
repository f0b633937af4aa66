"""A user layer that overrides `get_build_config`/`build_from_config` (calling `super()`), as in
Keras's saving guide: what each library records, and `.keras` files crossing both ways."""

import numpy as np

import nanokeras as nk


def _define(lib, package):
    @lib.saving.register_keras_serializable(package=package)
    class Scaled(lib.layers.Layer):
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform", name="w")

        def call(self, x):
            return lib.ops.matmul(x, self.w)

        def get_config(self):
            return {**super().get_config(), "units": self.units}

        def get_build_config(self):
            config = super().get_build_config()
            config["note"] = "built by the user"
            return config

        def build_from_config(self, config):
            self.seen_note = config["note"]
            super().build_from_config(config)

    return Scaled


def _model(lib, Scaled):
    lib.backend.clear_session()
    inputs = lib.Input((4,))
    return lib.Model(inputs, Scaled(name="scaled")(inputs))


def test_overridden_build_configs_are_written_and_read_as_in_keras(keras, tmp_path):
    theirs_class, ours_class = _define(keras, "build_cfg"), _define(nk, "build_cfg")
    theirs, ours = _model(keras, theirs_class), _model(nk, ours_class)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    layer_configs = [m.get_config()["layers"][1]["build_config"] for m in (ours, theirs)]
    assert layer_configs[0] == layer_configs[1] == {"input_shape": (None, 4), "note": "built by the user"}
    x = np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4)
    for source, target, path in ((theirs, nk, "k_to_nk.keras"), (ours, keras, "nk_to_k.keras")):
        source.save(tmp_path / path)
        loaded = target.saving.load_model(tmp_path / path)  # both registered as "build_cfg>Scaled"
        assert loaded.get_layer("scaled").seen_note == "built by the user"
        np.testing.assert_allclose(np.asarray(loaded.predict(x, verbose=0)), np.asarray(source.predict(x, verbose=0)),
                                   rtol=1e-6, atol=1e-6)
