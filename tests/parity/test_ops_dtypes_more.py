"""Result dtypes (and values) of `keras.ops` against real Keras 3 on JAX, for the cases where numpy's
own rules differ from Keras's: mixed-dtype joins, float results of `floor`/`ceil` of integers, 32-bit
integer sums and products, dtype-preserving `cumsum`, `vdot`, `where(x)`, bools in `square`/`mod`/
`diff`/`conj`, `linspace`/`geomspace` of float16, integer `hard_tanh`, `polar` of mixed inputs
(complex64, not complex128), and `image.resize` of integer and bool images (rounded and saturated
back to their dtype). Only cases where Keras's documented rule (its
`result_type` and each op's `compute_output_spec`) and its JAX output agree are listed."""

import numpy as np
import pytest

import nanokeras as nk


def _arr(dtype, shape=(2, 3)):
    n = int(np.prod(shape))
    if dtype == "bool":
        return (np.arange(n) % 2 == 0).reshape(shape)
    if dtype.startswith("float"):
        return (np.arange(1, n + 1) / (n + 1)).astype(dtype).reshape(shape)
    return np.arange(1, n + 1).astype(dtype).reshape(shape)


I32, I8, U8, B, F16, F32 = (_arr(d) for d in ("int32", "int8", "uint8", "bool", "float16", "float32"))

CASES = [
    ("concatenate", ([I32, F32],)), ("concatenate", ([U8, I8],)), ("concatenate", ([B, I32],)),
    ("concatenate", ([F16, F32],)), ("concatenate", ([I8, F16],)),
    ("stack", ([I32, F32],)), ("stack", ([U8, I8],)), ("stack", ([B, I8],)), ("stack", ([F16, I32],)),
    ("floor", (I32,)), ("floor", (I8,)), ("floor", (U8,)), ("floor", (B,)), ("floor", (F16,)),
    ("ceil", (I32,)), ("ceil", (I8,)), ("ceil", (U8,)), ("ceil", (B,)), ("ceil", (F16,)),
    ("sum", (I32,)), ("sum", (U8,)), ("prod", (I32,)), ("prod", (I8,)), ("prod", (U8,)), ("prod", (B,)),
    ("nanprod", (I32,)), ("nanprod", (I8,)), ("nanprod", (U8,)), ("nanprod", (B,)),
    ("cumsum", (I32,)), ("cumsum", (I8,)), ("cumsum", (U8,)), ("cumsum", (B,)), ("cumsum", (F16,)),
    ("vdot", (U8, I8)), ("vdot", (B, I32)), ("vdot", (I32, I32)), ("vdot", (U8, U8)), ("vdot", (B, B)),
    ("vdot", (I32, F32)),
    ("where", (I32,)), ("where", (B,)), ("where", (F32,)),
    ("square", (B,)), ("mod", (B, np.ones_like(B))), ("diff", (B,)), ("conj", (B,)), ("conjugate", (I8,)),
    ("linspace", (F16, 2)), ("linspace", (I8, F16)), ("linspace", (1, 2)),
    ("geomspace", (F16, 2)), ("geomspace", (I8, F16)),
    ("hard_tanh", (I32 - 3,)), ("hard_tanh", (I8 - 3,)), ("relu", (B,)),
    ("hard_tanh", (B,)), ("relu6", (I32 * 2 - 5,)), ("relu6", (I8,)), ("relu6", (U8,)), ("relu6", (B,)),
    ("polar", (I32, F32)), ("polar", (F32, I32)), ("polar", (I32, 2.0)), ("polar", (U8, I8)), ("polar", (F16, 2)),
]


@pytest.mark.parametrize("name, args", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_dtypes_and_values_as_keras(keras, name, args):
    theirs = getattr(keras.ops, name)(*args)
    ours = getattr(nk.ops, name)(*args)
    theirs = theirs if isinstance(theirs, (tuple, list)) else [theirs]
    ours = ours if isinstance(ours, (tuple, list)) else [ours]
    assert len(ours) == len(theirs)
    for mine, real in zip(ours, theirs):
        mine, real = np.asarray(mine), np.asarray(real)
        assert mine.dtype == real.dtype
        assert mine.shape == real.shape
        tol = 5e-3 if real.dtype == np.float16 else 1e-6  # float16 steps: 1-2 ulps apart
        wide = "complex128" if real.dtype.kind == "c" else "float64"
        np.testing.assert_allclose(mine.astype(wide), real.astype(wide), rtol=tol, atol=tol)


_IMAGE = np.array([0, 1, 2, 3, 4, 5], "uint8").reshape(1, 2, 3, 1)
_NOISE = np.random.default_rng(0).integers(0, 256, (2, 3, 4, 2)).astype("uint8")
# Sizes and images without float ties (x.5 before rounding), where float noise may round either way.
RESIZE_CASES = [
    (_IMAGE, (4, 6), "bilinear"), (_IMAGE * 50, (5, 7), "bicubic"), (_IMAGE * 50, (5, 7), "lanczos3"),
    (_NOISE, (5, 7), "bicubic"), (_NOISE, (2, 3), "nearest"), (_NOISE.astype("int32"), (5, 7), "bicubic"),
    ((_NOISE.astype("int16") - 128).astype("int8"), (5, 7), "bicubic"), (_NOISE > 128, (5, 7), "bilinear"),
    (_NOISE > 128, (5, 7), "bicubic"), (_NOISE.astype("float16"), (5, 7), "bilinear"),
]


@pytest.mark.parametrize("image, size, interpolation", RESIZE_CASES,
                         ids=[f"{im.dtype}-{m}-{i}" for i, (im, _, m) in enumerate(RESIZE_CASES)])
def test_resize_keeps_the_image_dtype_as_keras(keras, image, size, interpolation):
    theirs = np.asarray(keras.ops.image.resize(image, size, interpolation=interpolation))
    ours = np.asarray(nk.ops.image.resize(image, size, interpolation=interpolation))
    assert ours.dtype == theirs.dtype == image.dtype
    tol = 5e-3 if image.dtype == np.float16 else 0
    np.testing.assert_allclose(ours.astype("float64"), theirs.astype("float64"), rtol=tol, atol=tol)


@pytest.mark.parametrize("name, x", [("hard_tanh", B), ("relu6", I32 * 2 - 5), ("relu6", U8), ("relu6", B)])
def test_activation_dtypes_of_integer_and_bool_inputs_as_keras(keras, name, x):
    theirs = np.asarray(getattr(keras.activations, name)(x))
    ours = np.asarray(getattr(nk.activations, name)(x))
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)
