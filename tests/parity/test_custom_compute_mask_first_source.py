"""Parity with real Keras 3.15: a decoder whose only mask source is a user layer's `compute_mask`
(the English-to-Spanish Transformer's `PositionalEmbedding`), masking a `MultiHeadAttention` with
`use_causal_mask=True`. nanokeras runs in a fresh interpreter, where no mask was made before."""

import os
import subprocess
import sys
import textwrap

import numpy as np

_BUILD = textwrap.dedent("""
    import numpy as np

    def build(lib):
        L, ops = lib.layers, lib.ops

        class PositionalIds(L.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.embedding = L.Embedding(12, 4)
            def call(self, inputs):
                return self.embedding(inputs)
            def compute_mask(self, inputs, mask=None):
                return ops.not_equal(inputs, 0)

        class Decoder(L.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.attention = L.MultiHeadAttention(2, 4)
                self.supports_masking = True
            def call(self, inputs, mask=None):
                return self.attention(query=inputs, value=inputs, key=inputs, use_causal_mask=True, query_mask=mask)

        ids = lib.Input((None,), dtype="int32")
        return lib.Model(ids, Decoder()(PositionalIds()(ids)))

    rng = np.random.default_rng(0)
    IDS = rng.integers(1, 12, (4, 5))
    IDS[::2, 3:] = 0
""")


def test_decoder_masked_only_by_a_user_compute_mask(keras, tmp_path):
    scope = {}
    exec(_BUILD, scope)
    theirs = scope["build"](keras)
    weights = tmp_path / "weights.npz"
    np.savez(weights, *[np.asarray(w) for w in theirs.get_weights()])
    program = _BUILD + textwrap.dedent(f"""
        import nanokeras
        model = build(nanokeras)
        stored = np.load({str(weights)!r})
        model.set_weights([stored[f"arr_{{i}}"] for i in range(len(stored.files))])
        np.save({str(tmp_path / "ours.npy")!r}, model.predict(IDS, verbose=0))
    """)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120, cwd=root)
    assert done.returncode == 0, done.stderr
    ours = np.load(tmp_path / "ours.npy")
    np.testing.assert_allclose(ours, np.asarray(theirs.predict(scope["IDS"], verbose=0)), rtol=1e-5, atol=1e-6)
