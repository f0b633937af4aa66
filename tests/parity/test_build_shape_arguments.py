"""`build(self, a_shape, b_shape)` of a user's layer, against real Keras: the shapes it gets, eager
and symbolic, its build config, and the saved file loading back."""

import json
import zipfile

import numpy as np

import nanokeras as nk


def _run(lib, path):
    seen = []

    class Pair(lib.layers.Layer):
        def build(self, a_shape, b_shape=None):
            seen.append((a_shape, b_shape))
            self.w = self.add_weight(shape=(a_shape[-1],), initializer="ones", name="w")

        def call(self, a, b=None):
            return a * self.w if b is None else a * self.w + b

    eager = Pair()
    eager(np.ones((2, 3), "float32"), np.ones((2, 3), "float32"))
    alone = Pair()
    alone(np.ones((2, 3), "float32"))
    a, b = lib.Input((3,)), lib.Input((3,))
    model = lib.Model([a, b], Pair()(a, b))
    model.save(path)
    config = json.loads(zipfile.ZipFile(path).read("config.json"))
    loaded = lib.models.load_model(path, custom_objects={"Pair": Pair})
    out = loaded.predict([np.ones((1, 3), "float32"), np.full((1, 3), 2.0, "float32")], verbose=0)
    return ([tuple(s) if s is not None else None for pair in seen for s in pair], eager.get_build_config(),
            config["config"]["layers"][-1]["build_config"], np.asarray(out).tolist())


def test_build_with_shapes_by_name_as_keras(keras, tmp_path):
    assert _run(nk, tmp_path / "ours.keras") == _run(keras, tmp_path / "theirs.keras")
