"""`save_weights` before the model is built, side by side with Keras 3: both refuse with a ValueError."""

import pytest

import nanokeras as nk


def test_save_weights_of_an_unbuilt_subclassed_model(keras, tmp_path):
    for lib in (keras, nk):
        class Sub(lib.Model):
            def __init__(self):
                super().__init__()
                self.dense = lib.layers.Dense(1)

            def call(self, x):
                return self.dense(x)

        with pytest.raises(ValueError):
            Sub().save_weights(str(tmp_path / f"{lib.__name__}.weights.h5"))
