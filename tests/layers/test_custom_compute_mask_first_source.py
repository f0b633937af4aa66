"""A layer of the user's whose `compute_mask` makes the mask (`ops.not_equal(ids, 0)`, the
English-to-Spanish Transformer's `PositionalEmbedding`) passes it on even when it is the first
mask source of the process: mask passing is turned on when such a layer is made, as
`Embedding(mask_zero=True)` turns it on. Each check runs in a fresh interpreter, where no mask
was made before."""

import subprocess
import sys
import textwrap

_PROGRAM = textwrap.dedent("""
    import numpy as np
    import nanokeras as keras
    from nanokeras.backend.masking import get_keras_mask

    class Ids(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.embedding = keras.layers.Embedding(10, 4)
        def call(self, inputs):
            return self.embedding(inputs)
        def compute_mask(self, inputs, mask=None):
            return keras.ops.not_equal(inputs, 0)

    seen = []
    class Reader(keras.layers.Layer):
        def call(self, inputs, mask=None):
            seen.append(None if mask is None else np.asarray(mask).tolist())
            return inputs

    ids = keras.Input((None,), dtype="int32")
    embedded = Ids()(ids)
    print("symbolic", get_keras_mask(embedded) is not None)
    model = keras.Model(ids, Reader()(embedded))
    model(np.array([[3, 4, 0]]))
    print("run", seen[-1])
""")


def _run():
    done = subprocess.run([sys.executable, "-c", _PROGRAM], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split("\n")


def test_user_compute_mask_is_the_first_mask_source():
    lines = _run()
    assert "symbolic True" in lines
    assert "run [[True, True, False]]" in lines
