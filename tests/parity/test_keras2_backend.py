"""Keras 2's backend functions (`nanokeras.keras2_backend`, `K.*`) against real Keras 2 (`tf_keras.backend`).

Every function with a meaning outside TensorFlow graphs, on random inputs: same values,
shapes and dtypes. Random functions are compared by shape, dtype and range.
Skipped loudly without tf-keras (a failure under CI=true where it installs).
"""

import numpy as np
import pytest

from nanokeras import keras2_backend as NK
from tests.parity.test_keras2_preprocessing import _quiet, tf_keras  # noqa: F401  (fixtures)

RNG = np.random.default_rng(17)


def f32(*shape, low=-2.0, high=2.0):
    return RNG.uniform(low, high, size=shape).astype("float32")


def probs(*shape):
    p = RNG.uniform(0.01, 1.0, size=shape).astype("float32")
    return p / p.sum(-1, keepdims=True)


X = f32(3, 4)
X3 = f32(2, 3, 4)
P = probs(3, 4)
ONEHOT = np.eye(4, dtype="float32")[[0, 2, 3]]
BITS = (RNG.uniform(size=(3, 4)) > 0.5).astype("float32")
LABELS = np.array([0, 3, 1])
INTS = np.array([[3, -7, 2], [5, 6, -1]], "int32")

# name, args, kwargs
CASES = [
    ("sum", (X,), {}), ("sum", (X3,), {"axis": 1, "keepdims": True}), ("sum", (X3,), {"axis": [0, 2]}),
    ("mean", (X,), {}), ("mean", (X3,), {"axis": -1}), ("mean", (X > 0,), {"axis": 0}),
    ("mean", (INTS,), {"axis": 1}), ("mean", (INTS,), {}),
    ("max", (X3,), {"axis": 1}), ("min", (X,), {"keepdims": True}), ("prod", (X,), {"axis": 0}),
    ("var", (X3,), {"axis": 2}), ("std", (X,), {}), ("std", (X > 0,), {"axis": 1}),
    ("all", (X > -1,), {"axis": 1}), ("any", (X > 1,), {}), ("all", (X,), {}),
    ("argmax", (X,), {}), ("argmin", (X3,), {"axis": 1}), ("cumsum", (X,), {}), ("cumprod", (X3,), {"axis": 2}),
    ("square", (X,), {}), ("abs", (X,), {}), ("sqrt", (X,), {}), ("exp", (X,), {}), ("log", (P,), {}),
    ("pow", (P, 2.5), {}), ("sign", (X,), {}), ("round", (np.array([0.5, 1.5, -2.5, 2.4], "float32"),), {}),
    ("sin", (X,), {}), ("cos", (X,), {}), ("clip", (X, -0.5, 0.7), {}), ("clip", (X, None, 0.3), {}),
    ("clip", (X, 1.0, 0.5), {}), ("clip", (INTS, -2, 4), {}),
    ("maximum", (X, 0.3), {}), ("minimum", (X, X3[0, :, :]), {}),
    ("equal", (X, X), {}), ("not_equal", (X, 0.0), {}), ("greater", (X, 0.0), {}),
    ("greater_equal", (X, X.T[0:1].T), {}), ("less", (X, 0.1), {}), ("less_equal", (X, 0.1), {}),
    ("int_shape", (X3,), {}), ("shape", (X3,), {}), ("ndim", (X3,), {}), ("dtype", (INTS,), {}),
    ("cast", (X, "int32"), {}), ("count_params", (X3,), {}),
    ("reshape", (X3, (4, -1)), {}), ("transpose", (X3,), {}), ("permute_dimensions", (X3, (0, 2, 1)), {}),
    ("concatenate", ([X, X],), {}), ("concatenate", ([X3, X3],), {"axis": 1}), ("stack", ([X, X],), {"axis": 1}),
    ("expand_dims", (X,), {}), ("expand_dims", (X,), {"axis": 0}), ("squeeze", (X[:, :1], 1), {}),
    ("flatten", (X3,), {}), ("batch_flatten", (X3,), {}), ("tile", (X, (2, 3)), {}), ("tile", (X[0], 2), {}),
    ("repeat_elements", (X3, 2, 1), {}), ("repeat", (X, 3), {}), ("reverse", (X3, 1), {}),
    ("reverse", (X3, [0, 2]), {}), ("gather", (X, [2, 0]), {}),
    ("temporal_padding", (X3,), {}), ("temporal_padding", (X3, (0, 2)), {}),
    ("spatial_2d_padding", (f32(2, 3, 4, 2),), {"data_format": "channels_last"}),
    ("spatial_2d_padding", (f32(2, 2, 3, 4), ((0, 1), (2, 0))), {"data_format": "channels_first"}),
    ("spatial_3d_padding", (f32(1, 2, 3, 2, 2),), {"data_format": "channels_last"}),
    ("dot", (X, X.T), {}), ("dot", (X3, f32(4, 5)), {}), ("dot", (X3, f32(3, 4, 2)), {}),
    ("batch_dot", (X3, f32(2, 4, 5)), {}), ("batch_dot", (f32(2, 4), f32(2, 4)), {"axes": 1}),
    ("batch_dot", (f32(32, 20, 1), f32(32, 30, 20)), {"axes": (1, 2)}),
    ("batch_dot", (f32(2, 3, 4, 5), f32(2, 5, 6)), {"axes": (3, 1)}),
    ("batch_dot", (f32(2, 4), f32(2, 3, 4)), {"axes": (1, 2)}),
    ("batch_dot", (f32(2, 3, 4), f32(2, 3)), {"axes": (1, 1)}),
    ("zeros_like", (X,), {}), ("ones_like", (INTS,), {}), ("zeros_like", (X,), {"dtype": "int32"}),
    ("arange", (5,), {}), ("arange", (2, 9, 3), {}), ("arange", (-3,), {}), ("arange", (0.5, 3.0), {}),
    ("arange", (4,), {"dtype": "float32"}),
    ("one_hot", (np.array([0, 2, 5, 1]), 4), {}), ("one_hot", (np.array([[0, 1], [2, 3]]), 4), {}),
    ("switch", (np.array(True), X, X3[0]), {}), ("switch", (X > 0, X, -X), {}),
    ("switch", (np.array([True, False, True, False]), X, X * 2), {}),
    ("switch", (np.array([[True, False, True], [False, True, True]]), X3[:2, :, :], -X3[:2, :, :]), {}),
    ("stop_gradient", (X,), {}),
    ("sigmoid", (X,), {}), ("tanh", (X,), {}), ("softplus", (X,), {}), ("softsign", (X,), {}),
    ("hard_sigmoid", (X * 3,), {}), ("relu", (X,), {}), ("relu", (X,), {"alpha": 0.2}),
    ("relu", (X * 4,), {"max_value": 6.0}), ("relu", (X,), {"alpha": 0.1, "max_value": 1.0, "threshold": 0.5}),
    ("relu", (X,), {"threshold": -0.5}), ("relu", (X,), {"alpha": 0.3, "max_value": 1.5}),
    ("elu", (X,), {}), ("elu", (X,), {"alpha": 0.5}), ("softmax", (X,), {}), ("softmax", (X3,), {"axis": 1}),
    ("l2_normalize", (X,), {}), ("l2_normalize", (X3,), {"axis": -1}), ("l2_normalize", (X3,), {"axis": [1, 2]}),
    ("binary_crossentropy", (BITS, P), {}), ("binary_crossentropy", (BITS, X), {"from_logits": True}),
    ("binary_crossentropy", (BITS, np.where(BITS > 0, 1.0, 0.0).astype("float32")), {}),
    ("categorical_crossentropy", (ONEHOT, P), {}), ("categorical_crossentropy", (ONEHOT, X), {"from_logits": True}),
    ("categorical_crossentropy", (np.moveaxis(ONEHOT[None], 2, 1), np.moveaxis(P[None], 2, 1)), {"axis": 1}),
    ("sparse_categorical_crossentropy", (LABELS, P), {}),
    ("sparse_categorical_crossentropy", (LABELS[:, None], X), {"from_logits": True}),
    ("sparse_categorical_crossentropy", (np.array([[0, 1, 3], [2, 2, 0]]), probs(2, 3, 4)), {}),
    ("sparse_categorical_crossentropy", (np.array([0, 1]), np.moveaxis(probs(2, 3, 4), 2, 1)), {"axis": 1})
    if False else ("sparse_categorical_crossentropy", (np.array([[0, 1, 2]]), np.moveaxis(probs(1, 3, 4), 2, 1)),
                   {"axis": 1}),
    ("sparse_categorical_crossentropy", (np.array([0, 3, 1, 2]), probs(4, 4)), {"ignore_class": 3}),
    ("binary_focal_crossentropy", (BITS, P), {}), ("binary_focal_crossentropy", (BITS, X),
                                                   {"from_logits": True, "apply_class_balancing": True}),
    ("categorical_focal_crossentropy", (ONEHOT, P), {}),
    ("categorical_focal_crossentropy", (ONEHOT, X), {"from_logits": True, "gamma": 1.0, "alpha": 0.5}),
    ("batch_normalization", (X, X[0] * 0.1, np.abs(X[1]) + 0.5, X[2], X[0] + 1), {}),
    ("batch_normalization", (f32(2, 3, 2, 2), f32(3), np.abs(f32(3)) + 0.5, f32(3), f32(3)), {"axis": 1}),
    ("batch_normalization", (f32(2, 2, 2, 3), f32(3), np.abs(f32(3)) + 0.5, None, None), {}),
    ("bias_add", (X, f32(4)), {}), ("bias_add", (f32(2, 3, 4, 5), f32(3)), {"data_format": "channels_first"}),
    ("bias_add", (f32(2, 3, 4, 5), f32(4, 5, 3)), {"data_format": "channels_first"}),
    ("bias_add", (f32(2, 3, 4), f32(3, 4)), {"data_format": "channels_last"}),
    ("in_top_k", (X, np.array([0, 1, 3], "int32"), 2), {}),
    ("in_top_k", (np.array([[1.0, 1.0, 1.0, 0.0]], "float32"), np.array([2], "int32"), 1), {}),
    ("in_train_phase", (X, X * 2), {"training": True}), ("in_train_phase", (X, X * 2), {"training": 0}),
    ("in_test_phase", (X, X * 2), {"training": False}),
    ("cast_to_floatx", (INTS,), {}), ("constant", (3,), {"shape": (2, 2)}), ("constant", ([[1, 2]],), {}),
    ("constant", ([1, 2, 3, 4],), {"shape": (2, 2), "dtype": "int32"}),
    ("eval", (X,), {}), ("to_dense", (X,), {}), ("is_sparse", (X,), {}),
    ("conv1d", (f32(2, 7, 3), f32(3, 3, 4)), {"padding": "causal", "dilation_rate": 2}),
    ("conv1d", (f32(2, 7, 3), f32(3, 3, 4)), {"strides": 2, "padding": "same"}),
    ("conv2d", (f32(1, 6, 6, 2), f32(3, 3, 2, 4)), {"padding": "same"}),
    ("conv2d", (f32(1, 7, 6, 2), f32(2, 3, 2, 4)), {"strides": (2, 1)}),
    ("conv3d", (f32(1, 4, 4, 4, 2), f32(2, 2, 2, 2, 3)), {}),
    ("depthwise_conv2d", (f32(1, 5, 5, 3), f32(3, 3, 3, 2)), {"padding": "same"}),
    ("separable_conv2d", (f32(1, 5, 5, 3), f32(3, 3, 3, 2), f32(1, 1, 6, 4)), {}),
    ("pool2d", (f32(1, 5, 5, 2), (2, 2)), {}), ("pool2d", (f32(1, 6, 6, 2), (2, 2)),
                                                 {"strides": (2, 2), "pool_mode": "avg", "padding": "same"}),
    ("pool3d", (f32(1, 4, 4, 4, 2), (2, 2, 2)), {"strides": (2, 2, 2)}),
    ("resize_images", (f32(1, 2, 3, 2), 2, 3, "channels_last"), {}),
    ("resize_images", (f32(1, 2, 3, 2), 2, 2, "channels_first"), {}),
    ("resize_images", (f32(1, 3, 3, 2), 2, 2, "channels_last"), {"interpolation": "bilinear"}),
    ("resize_volumes", (f32(1, 2, 2, 2, 1), 2, 1, 3, "channels_last"), {}),
    ("conv2d_transpose", (f32(2, 3, 3, 4), f32(3, 3, 5, 4), (2, 6, 6, 5)), {"strides": (2, 2), "padding": "same"}),
    ("conv2d_transpose", (f32(2, 3, 3, 4), f32(3, 3, 5, 4), (2, 5, 5, 5)), {"strides": (2, 2), "padding": "same"}),
    ("conv2d_transpose", (f32(1, 3, 4, 2), f32(3, 2, 3, 2), (1, 7, 9, 3)), {"strides": (2, 2)}),
    ("conv2d_transpose", (f32(1, 3, 4, 2), f32(3, 2, 3, 2), (1, 8, 9, 3)), {"strides": (2, 2)}),
    ("conv2d_transpose", (f32(1, 4, 4, 2), f32(3, 3, 3, 2), (1, 4, 4, 3)), {"padding": "same"}),
    ("local_conv1d", (f32(2, 7, 3), f32(3, 3 * 3, 4), (3,), (2,)), {}),
    ("local_conv1d", (f32(2, 3, 7), f32(5, 3 * 3, 4), (3,), (1,)), {"data_format": "channels_first"}),
    ("local_conv2d", (f32(2, 5, 4, 3), f32(2 * 1, 3 * 3 * 3, 4), (3, 3), (2, 2), (2, 1)), {}),
    ("local_conv2d", (f32(2, 3, 5, 4), f32(4 * 3, 2 * 2 * 3, 2), (2, 2), (1, 1), (4, 3)),
     {"data_format": "channels_first"}),
]


def _tf_args(value):
    import tensorflow as tf

    if isinstance(value, np.ndarray):
        return tf.constant(value)
    if isinstance(value, list):
        return [_tf_args(v) for v in value]
    return value


def _tf_value(value):
    if isinstance(value, (list, tuple)):
        return type(value)(_tf_value(v) for v in value)
    if hasattr(value, "numpy"):
        return value.numpy()
    return value


def _compare(ours, theirs, what):
    if isinstance(theirs, (list, tuple)) and not isinstance(theirs, np.ndarray):
        assert len(ours) == len(theirs), what
        for a, b in zip(ours, theirs):
            _compare(a, b, what)
        return
    if isinstance(theirs, (int, str, bool)) or theirs is None:
        assert ours == theirs, what
        return
    ours, theirs = np.asarray(getattr(ours, "value", ours)), np.asarray(theirs)
    assert ours.shape == theirs.shape, (what, ours.shape, theirs.shape)
    assert ours.dtype == theirs.dtype, (what, ours.dtype, theirs.dtype)
    if ours.dtype.kind == "f":
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6, err_msg=what)
    else:
        np.testing.assert_array_equal(ours, theirs, err_msg=what)


@pytest.mark.parametrize("name, args, kwargs", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_same_values_as_keras2(tf_keras, name, args, kwargs):
    theirs = _tf_value(getattr(tf_keras.backend, name)(*[_tf_args(a) for a in args], **kwargs))
    ours = getattr(NK, name)(*args, **kwargs)
    _compare(ours, theirs, f"{name}{kwargs}")


@pytest.mark.parametrize("name, args", [
    ("zeros", ((2, 3),)), ("ones", ((2, 3), "int32")), ("eye", (3,)), ("variable", (X,)),
    ("variable", (INTS, "float32")),
])
def test_variable_makers_as_keras2(tf_keras, name, args):
    theirs = getattr(tf_keras.backend, name)(*args)
    ours = getattr(NK, name)(*args)
    assert type(ours).__name__ == "Variable" and hasattr(theirs, "assign")
    _compare(ours.numpy(), theirs.numpy(), name)
    assert NK.count_params(ours) == tf_keras.backend.count_params(theirs)


def test_variable_updates_as_keras2(tf_keras):
    K2 = tf_keras.backend
    theirs, ours = K2.variable(X), NK.variable(X)
    for name, args in [("update_add", (X * 0.1,)), ("update_sub", (X * 0.5,)), ("moving_average_update", (X3[0], 0.9)),
                       ("update", (P,))]:
        getattr(K2, name)(theirs, *args)
        getattr(NK, name)(ours, *args)
        _compare(ours.numpy(), theirs.numpy(), name)
    K2.set_value(theirs, np.round(X * 3).astype("int32"))
    NK.set_value(ours, np.round(X * 3).astype("int32"))
    _compare(NK.get_value(ours), K2.get_value(theirs), "set_value")
    K2.batch_set_value([(theirs, X)])
    NK.batch_set_value([(ours, X)])
    _compare(NK.batch_get_value([ours])[0], K2.batch_get_value([theirs])[0], "batch_set_value")


def test_map_and_folds_as_keras2(tf_keras):
    K2 = tf_keras.backend
    _compare(NK.map_fn(lambda r: r * 2, X), K2.map_fn(lambda r: r * 2, X).numpy(), "map_fn")
    _compare(NK.foldl(lambda a, r: a * 2 + r, X), K2.foldl(lambda a, r: a * 2 + r, X).numpy(), "foldl")
    _compare(NK.foldr(lambda a, r: a * 2 + r, X, X[0] * 0), K2.foldr(lambda a, r: a * 2 + r, X, X[0] * 0).numpy(),
             "foldr")


def test_normalize_batch_in_training_as_keras2(tf_keras):
    K2 = tf_keras.backend
    for x, axes, gamma, beta in [(X3, [0, 1], f32(4), f32(4)), (f32(4, 3, 2, 2), [0, 2, 3], None, None)]:
        theirs = [t.numpy() for t in K2.normalize_batch_in_training(*_tf_args([x, gamma, beta]), axes)]
        ours = NK.normalize_batch_in_training(x, gamma, beta, axes)
        _compare(list(ours), theirs, f"normalize_batch_in_training{axes}")


def test_ctc_as_keras2(tf_keras):
    K2 = tf_keras.backend
    y_pred = probs(2, 6, 4)
    labels = np.array([[1, 2, 0], [2, 0, 0]], "int32")
    input_length, label_length = np.array([[6], [5]]), np.array([[3], [1]])
    _compare(NK.ctc_batch_cost(labels, y_pred, input_length, label_length),
             K2.ctc_batch_cost(labels, y_pred, input_length, label_length).numpy(), "ctc_batch_cost")
    (ours,), ours_scores = NK.ctc_decode(y_pred, input_length.ravel())
    (theirs,), theirs_scores = K2.ctc_decode(y_pred, input_length.ravel())
    _compare(ours, theirs.numpy(), "ctc_decode")
    _compare(ours_scores, theirs_scores.numpy(), "ctc_decode scores")


@pytest.mark.parametrize("name, args", [
    ("random_normal", ((200, 3),)), ("random_uniform", ((200, 3), -1.0, 2.0)), ("truncated_normal", ((200, 3),)),
    ("random_bernoulli", ((200, 3), 0.3)), ("random_normal", ((2, 3), 0.0, 1.0, "float64")),
])
def test_random_draws_have_keras2_shapes_dtypes_and_ranges(tf_keras, name, args):
    theirs = getattr(tf_keras.backend, name)(*args, seed=3).numpy()
    ours = getattr(NK, name)(*args, seed=3)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    if name == "random_bernoulli":
        assert set(np.unique(ours)) <= {0.0, 1.0} and abs(ours.mean() - 0.3) < 0.1
    if name == "random_uniform":
        assert ours.min() >= -1 and ours.max() < 2
    if name == "truncated_normal":
        assert np.abs(ours).max() <= 2


def test_dropout_as_keras2(tf_keras):
    x = np.ones((200, 10), "float32")
    theirs = tf_keras.backend.dropout(x, 0.25, seed=1).numpy()
    ours = NK.dropout(x, 0.25, seed=1)
    assert set(np.unique(ours)) == set(np.unique(theirs)) == {0.0, np.float32(1 / 0.75)}


# None left out: the graph-only ones raise an error that says what to write instead.
LEFT_OUT = set()


def test_every_keras2_backend_function_is_covered(tf_keras):
    """Every public name of tf_keras.backend is here, or is one keras.backend already has."""
    import nanokeras.backend as ours_backend

    theirs = {n for n in dir(tf_keras.backend) if not n.startswith("_") and callable(getattr(tf_keras.backend, n))}
    own = vars(ours_backend)  # Keras 3's own names (the Keras 2 ones it lends are NK's functions)
    already = {n for n in theirs if n in own and own[n] is not NK.KERAS2_NAMES.get(n)}
    missing = sorted(theirs - set(NK.KERAS2_NAMES) - already - LEFT_OUT)
    assert missing == [], missing
    assert not (set(NK.KERAS2_NAMES) & already)


def test_function_gives_keras2_intermediate_outputs(tf_keras):
    theirs = tf_keras.Sequential([tf_keras.layers.Dense(3, input_shape=(2,), activation="relu"),
                                  tf_keras.layers.Dense(2, activation="softmax")])
    import nanokeras as nk

    ours = nk.Sequential([nk.layers.Dense(3, input_shape=(2,), activation="relu"),
                          nk.layers.Dense(2, activation="softmax")])
    ours.set_weights(theirs.get_weights())
    x = np.random.default_rng(0).normal(size=(4, 2)).astype("float32")
    their_values = tf_keras.backend.function([theirs.layers[0].input], [theirs.layers[0].output, theirs.output])([x])
    our_values = NK.function([ours.layers[0].input], [ours.layers[0].output, ours.output])([x])
    assert isinstance(our_values, list) and len(our_values) == 2
    for a, b in zip(our_values, their_values):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
