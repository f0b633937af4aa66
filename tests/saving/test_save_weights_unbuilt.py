"""`save_weights` on a model that is not built yet is a ValueError, as in Keras (it wrote a file with no weights)."""

import numpy as np
import pytest

import nanokeras as keras


class _Sub(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)

    def call(self, x):
        return self.dense(x)


def test_unbuilt_models_refuse_and_built_ones_save(tmp_path):
    for i, model in enumerate((_Sub(), keras.Sequential([keras.layers.Dense(1)]))):
        path = tmp_path / f"m{i}.weights.h5"
        with pytest.raises(ValueError, match="not built yet"):
            model.save_weights(path)
        assert not path.exists()
        model(np.ones((2, 3), "float32"))
        model.save_weights(path)
        model.load_weights(path)
