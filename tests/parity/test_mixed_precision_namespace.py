"""`keras.mixed_precision` against real Keras 3: its names and what its policy functions report."""

import nanokeras as nk


def _report(lib):
    mp = lib.mixed_precision
    names = sorted(n for n in dir(mp) if not n.startswith("_"))
    try:
        mp.set_global_policy("mixed_float16")
        layer = lib.layers.Dense(2)
        first = (mp.global_policy().name, mp.dtype_policy().compute_dtype, layer.dtype_policy.name,
                 layer.variable_dtype)
        mp.set_global_policy(mp.Policy("mixed_bfloat16"))
        second = (mp.global_policy().name, mp.global_policy().variable_dtype, repr(mp.global_policy()))
    finally:
        mp.set_global_policy("float32")
    return names, first, second, mp.global_policy().name


def test_mixed_precision_names_and_policies_match_keras(keras):
    ours, theirs = _report(nk), _report(keras)
    assert ours[0] == theirs[0]
    assert ours[1:] == theirs[1:]
