"""A sweep over the public classes both libraries have: configs key for key, serialized objects,
`from_config` both ways, and, for layers, the weights, shapes, predictions and `.keras` files
(saved by one library, loaded by the other) of a one-layer functional model."""

import inspect
import json

import numpy as np
import pytest

import nanokeras as nk
from tests.parity.test_layers_issue13 import _without_layer_names

RNG = np.random.default_rng(29)


def _json(value):
    """The value as it comes back from a config file: tuples become lists."""
    return json.loads(json.dumps(value))


def _attribute(lib, dotted):
    for part in dotted.split("."):
        lib = getattr(lib, part)
    return lib


def _compare_objects(keras, make, cls_name, keras_rebuilds=True):
    """Configs equal after a JSON round trip; each library rebuilds the other's; serialized names agree."""
    nk.backend.clear_session()  # automatic names ("auc_1", "sgd_2") counted from 0 on both sides
    keras.backend.clear_session()
    ours, theirs = make(nk), make(keras)
    our_config, their_config = _json(ours.get_config()), _json(theirs.get_config())
    assert _without_layer_names(our_config) == _without_layer_names(their_config)
    # Keras's config rebuilds ours with the same config, and ours rebuilds Keras's.
    assert _without_layer_names(_json(type(ours).from_config(their_config).get_config())) == \
        _without_layer_names(their_config)
    if keras_rebuilds:
        assert _without_layer_names(_json(type(theirs).from_config(our_config).get_config())) == \
            _without_layer_names(their_config)
    our_serialized = _json(nk.saving.serialize_keras_object(ours))
    their_serialized = _json(keras.saving.serialize_keras_object(theirs))
    for key in ("module", "class_name", "registered_name"):
        assert our_serialized.get(key) == their_serialized.get(key), key
    assert sorted(our_serialized) == sorted(their_serialized)
    # Keras's serialized object deserializes to our class of the same name.
    rebuilt = nk.saving.deserialize_keras_object(their_serialized)
    assert type(rebuilt).__name__ == type(ours).__name__
    if keras_rebuilds:
        assert type(keras.saving.deserialize_keras_object(our_serialized)).__name__ == type(theirs).__name__
    return ours, theirs


# ---------------------------------------------------------------- non-layer objects

OBJECT_CASES = [
    # losses
    ("losses.MeanSquaredError", {}), ("losses.MeanAbsoluteError", {"reduction": "sum"}),
    ("losses.MeanAbsolutePercentageError", {}), ("losses.MeanSquaredLogarithmicError", {}),
    ("losses.BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}),
    ("losses.BinaryFocalCrossentropy", {"apply_class_balancing": True, "gamma": 3.0, "from_logits": True}),
    ("losses.CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2, "axis": 1}),
    ("losses.CategoricalFocalCrossentropy", {"alpha": 0.5, "gamma": 1.0}),
    ("losses.SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 0}),
    ("losses.Hinge", {}), ("losses.SquaredHinge", {}), ("losses.CategoricalHinge", {}),
    ("losses.KLDivergence", {}), ("losses.Poisson", {}), ("losses.LogCosh", {}),
    ("losses.Dice", {"axis": [1, 2]}), ("losses.Tversky", {"alpha": 0.3, "beta": 0.7}),
    ("losses.CTC", {}), ("losses.Circle", {"gamma": 2.0, "margin": 0.5}),
    ("losses.CategoricalGeneralizedCrossEntropy", {"q": 0.3}),
    ("losses.MeanSquaredError", {"name": "my_mse", "reduction": None}),
    # metrics
    ("metrics.Accuracy", {}), ("metrics.BinaryAccuracy", {"threshold": 0.7}),
    ("metrics.CategoricalAccuracy", {}), ("metrics.SparseCategoricalAccuracy", {"name": "acc"}),
    ("metrics.TopKCategoricalAccuracy", {"k": 3}), ("metrics.SparseTopKCategoricalAccuracy", {"k": 2}),
    ("metrics.AUC", {"num_thresholds": 50, "curve": "PR", "from_logits": True}),
    ("metrics.AUC", {"multi_label": True, "num_labels": 3}),
    ("metrics.Precision", {"thresholds": [0.3, 0.6], "top_k": None}), ("metrics.Recall", {"class_id": 1}),
    ("metrics.TruePositives", {"thresholds": 0.3}), ("metrics.FalseNegatives", {}),
    ("metrics.PrecisionAtRecall", {"recall": 0.8}), ("metrics.RecallAtPrecision", {"precision": 0.7}),
    ("metrics.SensitivityAtSpecificity", {"specificity": 0.5}),
    ("metrics.SpecificityAtSensitivity", {"sensitivity": 0.5, "num_thresholds": 20}),
    ("metrics.Mean", {}), ("metrics.Sum", {"dtype": "float64"}), ("metrics.MeanSquaredError", {}),
    ("metrics.RootMeanSquaredError", {}), ("metrics.MeanAbsoluteError", {}), ("metrics.LogCoshError", {}),
    ("metrics.BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}),
    ("metrics.CategoricalCrossentropy", {}), ("metrics.SparseCategoricalCrossentropy", {"axis": -1}),
    ("metrics.KLDivergence", {}), ("metrics.CosineSimilarity", {"axis": 1}), ("metrics.Hinge", {}),
    ("metrics.MeanIoU", {"num_classes": 3}), ("metrics.IoU", {"num_classes": 3, "target_class_ids": [0, 2]}),
    ("metrics.BinaryIoU", {"target_class_ids": [1], "threshold": 0.4}),
    ("metrics.OneHotIoU", {"num_classes": 3, "target_class_ids": [1]}), ("metrics.OneHotMeanIoU", {"num_classes": 3}),
    ("metrics.F1Score", {"average": "macro", "threshold": 0.5}), ("metrics.FBetaScore", {"beta": 2.0}),
    ("metrics.R2Score", {"class_aggregation": "variance_weighted_average"}), ("metrics.ConcordanceCorrelation", {}),
    ("metrics.PearsonCorrelation", {"axis": 0}),
    # optimizers
    ("optimizers.SGD", {}), ("optimizers.SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    ("optimizers.Adam", {}), ("optimizers.Adam", {"learning_rate": 3e-4, "amsgrad": True, "clipnorm": 1.0}),
    ("optimizers.AdamW", {"weight_decay": 0.01}), ("optimizers.RMSprop", {"rho": 0.8, "centered": True}),
    ("optimizers.Adagrad", {}), ("optimizers.Adadelta", {}), ("optimizers.Adamax", {}), ("optimizers.Nadam", {}),
    ("optimizers.Ftrl", {"l1_regularization_strength": 0.1}), ("optimizers.Lion", {}), ("optimizers.Lamb", {}),
    ("optimizers.Muon", {}), ("optimizers.Adafactor", {}),
    ("optimizers.Adam", {"global_clipnorm": 1.0, "use_ema": True, "ema_momentum": 0.9,
                         "gradient_accumulation_steps": 2}),
    # schedules
    ("optimizers.schedules.ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 100,
                                               "decay_rate": 0.9, "staircase": True}),
    ("optimizers.schedules.PiecewiseConstantDecay", {"boundaries": [10, 20], "values": [0.1, 0.01, 0.001]}),
    ("optimizers.schedules.PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "power": 2.0}),
    ("optimizers.schedules.InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5}),
    ("optimizers.schedules.CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 100, "alpha": 0.1,
                                          "warmup_target": 0.2, "warmup_steps": 10}),
    ("optimizers.schedules.CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 10}),
    # initializers
    ("initializers.Zeros", {}), ("initializers.Ones", {}), ("initializers.Constant", {"value": 0.5}),
    ("initializers.RandomNormal", {"mean": 1.0, "stddev": 0.1, "seed": 3}),
    ("initializers.RandomUniform", {"minval": -1.0, "maxval": 1.0}), ("initializers.TruncatedNormal", {"seed": 1}),
    ("initializers.GlorotUniform", {}), ("initializers.GlorotNormal", {"seed": 2}), ("initializers.HeNormal", {}),
    ("initializers.HeUniform", {}), ("initializers.LecunNormal", {}), ("initializers.LecunUniform", {}),
    ("initializers.VarianceScaling", {"scale": 2.0, "mode": "fan_out", "distribution": "uniform"}),
    ("initializers.Orthogonal", {"gain": 2.0}), ("initializers.STFT", {"side": "imag", "window": "hamming"}),
    # regularizers
    ("regularizers.L1", {"l1": 0.1}), ("regularizers.L2", {}), ("regularizers.L1L2", {"l1": 0.1, "l2": 0.2}),
    ("regularizers.OrthogonalRegularizer", {"factor": 0.1, "mode": "columns"}),
    # constraints
    ("constraints.MaxNorm", {"max_value": 3, "axis": [0, 1]}), ("constraints.NonNeg", {}),
    ("constraints.UnitNorm", {"axis": 1}), ("constraints.MinMaxNorm", {"min_value": 0.5, "rate": 0.5}),
]

# Where Keras 3.15 drops an argument from the config (so its own round trip loses it), nanokeras keeps
# it: these keys are allowed only in our config, with the value given.
KERAS_DROPS = {
    "losses.Huber": {"delta"}, "losses.CosineSimilarity": {"axis"}, "initializers.Identity": {"gain"},
}


@pytest.mark.parametrize("path,kwargs", OBJECT_CASES, ids=[f"{p}-{i}" for i, (p, _) in enumerate(OBJECT_CASES)])
def test_object_configs(keras, path, kwargs):
    _compare_objects(keras, lambda lib: _attribute(lib, path)(**kwargs), path)


@pytest.mark.parametrize("path,kwargs", [("losses.Huber", {"delta": 2.0}), ("losses.CosineSimilarity", {"axis": 0}),
                                         ("initializers.Identity", {"gain": 2.0})])
def test_configs_keep_what_keras_drops(keras, path, kwargs):
    ours, theirs = _attribute(nk, path)(**kwargs), _attribute(keras, path)(**kwargs)
    our_config, their_config = ours.get_config(), theirs.get_config()
    assert {key: our_config[key] for key in kwargs} == kwargs
    assert {key: value for key, value in our_config.items() if key not in kwargs} == their_config
    # Keras reads our config (and then keeps the argument in its object).
    _attribute(keras, path).from_config(our_config)


def _public_classes(module):
    return sorted(name for name in dir(module) if inspect.isclass(getattr(module, name)) and not name.startswith("_"))


# (every schedule needs arguments: OBJECT_CASES has them)
@pytest.mark.parametrize("path", ["losses", "metrics", "optimizers", "initializers",
                                  "regularizers", "constraints"])
def test_every_class_keras_builds_without_arguments_has_its_config(keras, path):
    """Every class both libraries have and Keras builds with no argument gives Keras's config."""
    abstract = {"Loss", "Metric", "Initializer", "Regularizer", "LearningRateSchedule", "Optimizer", "Constraint"}
    checked = 0
    for name in _public_classes(_attribute(keras, path)):
        if name in abstract or not hasattr(_attribute(nk, path), name):
            continue
        nk.backend.clear_session()
        keras.backend.clear_session()
        try:
            theirs = _attribute(keras, path + "." + name)()
        except TypeError:  # needs arguments: covered by OBJECT_CASES
            continue
        ours = _attribute(nk, path + "." + name)()
        our_config, their_config = _json(ours.get_config()), _json(theirs.get_config())
        for key in KERAS_DROPS.get(f"{path}.{type(ours).__name__}", ()):
            our_config.pop(key)
        assert our_config == their_config, name
        checked += 1
    assert checked > 3


def test_activations_serialize_and_get_as_keras(keras):
    names = [n for n in dir(keras.activations) if not n.startswith("_") and n not in ("get", "serialize", "deserialize")
             and callable(getattr(keras.activations, n))]
    for name in names:
        assert hasattr(nk.activations, name), name
        theirs = keras.activations.serialize(getattr(keras.activations, name))
        ours = nk.activations.serialize(getattr(nk.activations, name))
        assert _json(ours) == _json(theirs), name
        assert nk.activations.get(name) is getattr(nk.activations, name) or nk.activations.get(name).__name__ == \
            keras.activations.get(name).__name__, name
        assert nk.activations.deserialize(_json(theirs)).__name__ == keras.activations.deserialize(theirs).__name__
        assert _json(nk.saving.serialize_keras_object(getattr(nk.activations, name))) == _json(
            keras.saving.serialize_keras_object(getattr(keras.activations, name))), name


# ---------------------------------------------------------------- layers in a model

F = "float32"
IMG = (6, 6, 3)
VOL = (4, 4, 4, 2)
SEQ = (5, 4)

# (id, layer factory given the library, input shapes (several: a list), input dtype)
LAYER_CASES = [
    # core
    ("Dense", lambda l: l.layers.Dense(4), (3,), F),
    ("Dense-args", lambda l: l.layers.Dense(4, activation="relu", use_bias=False, kernel_initializer="he_normal",
                                            kernel_regularizer=l.regularizers.L2(0.01),
                                            kernel_constraint=l.constraints.MaxNorm(2.0)), (3,), F),
    ("Dense-3d", lambda l: l.layers.Dense(2, bias_regularizer="l1", activity_regularizer="l2"), SEQ, F),
    ("Dense-names", lambda l: l.layers.Dense(2, kernel_regularizer="l2", kernel_constraint="non_neg",
                                             bias_constraint="max_norm"), (3,), F),
    ("EinsumDense", lambda l: l.layers.EinsumDense("ab,bc->ac", output_shape=4, bias_axes="c"), (3,), F),
    ("Embedding", lambda l: l.layers.Embedding(10, 3), (5,), "int32"),
    ("Embedding-mask", lambda l: l.layers.Embedding(10, 3, mask_zero=True, embeddings_initializer="uniform"),
     (5,), "int32"),
    ("Activation", lambda l: l.layers.Activation("softmax"), (3,), F),
    ("Identity", lambda l: l.layers.Identity(), (3,), F),
    ("Masking", lambda l: l.layers.Masking(0.5), SEQ, F),
    ("Rescaling", lambda l: l.layers.Rescaling(1.0 / 255, offset=-1.0), IMG, F),
    # activations
    ("ReLU", lambda l: l.layers.ReLU(max_value=6.0), (3,), F),
    ("LeakyReLU", lambda l: l.layers.LeakyReLU(0.2), (3,), F),
    ("PReLU", lambda l: l.layers.PReLU(shared_axes=[1]), SEQ, F),
    ("ELU", lambda l: l.layers.ELU(), (3,), F),
    ("Softmax", lambda l: l.layers.Softmax(axis=1), SEQ, F),
    # convolutions
    ("Conv1D", lambda l: l.layers.Conv1D(3, 2, padding="same", activation="relu"), SEQ, F),
    ("Conv1D-causal", lambda l: l.layers.Conv1D(3, 2, padding="causal", dilation_rate=2), SEQ, F),
    ("Conv2D", lambda l: l.layers.Conv2D(4, 3), IMG, F),
    ("Conv2D-args", lambda l: l.layers.Conv2D(4, (3, 3), strides=2, padding="same", use_bias=False,
                                              kernel_regularizer="l2"), IMG, F),
    ("Conv2D-groups", lambda l: l.layers.Conv2D(4, 1, groups=2), (6, 6, 4), F),
    ("Conv3D", lambda l: l.layers.Conv3D(2, 2), VOL, F),
    ("Conv1DTranspose", lambda l: l.layers.Conv1DTranspose(3, 3, strides=2), SEQ, F),
    ("Conv2DTranspose", lambda l: l.layers.Conv2DTranspose(2, 3, strides=2, padding="same"), IMG, F),
    ("Conv3DTranspose", lambda l: l.layers.Conv3DTranspose(2, 2), VOL, F),
    ("SeparableConv1D", lambda l: l.layers.SeparableConv1D(3, 2, depth_multiplier=2), SEQ, F),
    ("SeparableConv2D", lambda l: l.layers.SeparableConv2D(4, 3, padding="same"), IMG, F),
    ("DepthwiseConv1D", lambda l: l.layers.DepthwiseConv1D(2), SEQ, F),
    ("DepthwiseConv2D", lambda l: l.layers.DepthwiseConv2D(3, depth_multiplier=2), IMG, F),
    # pooling
    ("MaxPooling1D", lambda l: l.layers.MaxPooling1D(), SEQ, F),
    ("MaxPooling2D", lambda l: l.layers.MaxPooling2D((2, 2), strides=1, padding="same"), IMG, F),
    ("MaxPooling3D", lambda l: l.layers.MaxPooling3D(), VOL, F),
    ("AveragePooling1D", lambda l: l.layers.AveragePooling1D(2), SEQ, F),
    ("AveragePooling2D", lambda l: l.layers.AveragePooling2D(3), IMG, F),
    ("AveragePooling3D", lambda l: l.layers.AveragePooling3D(2), VOL, F),
    ("GlobalAveragePooling1D", lambda l: l.layers.GlobalAveragePooling1D(), SEQ, F),
    ("GlobalAveragePooling2D", lambda l: l.layers.GlobalAveragePooling2D(keepdims=True), IMG, F),
    ("GlobalAveragePooling3D", lambda l: l.layers.GlobalAveragePooling3D(), VOL, F),
    ("GlobalMaxPooling1D", lambda l: l.layers.GlobalMaxPooling1D(), SEQ, F),
    ("GlobalMaxPooling2D", lambda l: l.layers.GlobalMaxPooling2D(), IMG, F),
    ("GlobalMaxPooling3D", lambda l: l.layers.GlobalMaxPooling3D(), VOL, F),
    ("AdaptiveAveragePooling1D", lambda l: l.layers.AdaptiveAveragePooling1D(2), SEQ, F),
    ("AdaptiveMaxPooling2D", lambda l: l.layers.AdaptiveMaxPooling2D((2, 3)), IMG, F),
    ("AdaptiveAveragePooling3D", lambda l: l.layers.AdaptiveAveragePooling3D(2), VOL, F),
    # reshaping
    ("Flatten", lambda l: l.layers.Flatten(), IMG, F),
    ("Reshape", lambda l: l.layers.Reshape((2, -1)), IMG, F),
    ("Permute", lambda l: l.layers.Permute((2, 1)), SEQ, F),
    ("RepeatVector", lambda l: l.layers.RepeatVector(3), (4,), F),
    ("Cropping1D", lambda l: l.layers.Cropping1D((1, 2)), SEQ, F),
    ("Cropping2D", lambda l: l.layers.Cropping2D(((1, 0), (2, 1))), IMG, F),
    ("Cropping3D", lambda l: l.layers.Cropping3D(1), VOL, F),
    ("ZeroPadding1D", lambda l: l.layers.ZeroPadding1D(2), SEQ, F),
    ("ZeroPadding2D", lambda l: l.layers.ZeroPadding2D(((1, 0), (2, 1))), IMG, F),
    ("ZeroPadding3D", lambda l: l.layers.ZeroPadding3D(), VOL, F),
    ("UpSampling1D", lambda l: l.layers.UpSampling1D(3), SEQ, F),
    ("UpSampling2D", lambda l: l.layers.UpSampling2D(2, interpolation="bilinear"), IMG, F),
    ("UpSampling3D", lambda l: l.layers.UpSampling3D(), VOL, F),
    # normalization and regularization
    ("BatchNormalization", lambda l: l.layers.BatchNormalization(), IMG, F),
    ("BatchNormalization-regularized", lambda l: l.layers.BatchNormalization(
        gamma_regularizer=l.regularizers.L2(0.1), beta_regularizer="l1", gamma_constraint="non_neg"), (3,), F),
    ("BatchNormalization-args", lambda l: l.layers.BatchNormalization(momentum=0.9, epsilon=1e-5, center=False,
                                                                      axis=1), SEQ, F),
    ("LayerNormalization", lambda l: l.layers.LayerNormalization(epsilon=1e-6), SEQ, F),
    ("LayerNormalization-rms", lambda l: l.layers.LayerNormalization(axis=[1, 2], scale=False), SEQ, F),
    ("LayerNormalization-regularized", lambda l: l.layers.LayerNormalization(
        beta_regularizer=l.regularizers.L1(0.2), gamma_constraint=l.constraints.MaxNorm(3.0)), SEQ, F),
    ("GroupNormalization", lambda l: l.layers.GroupNormalization(groups=2), (5, 4), F),
    ("RMSNormalization", lambda l: l.layers.RMSNormalization(), SEQ, F),
    ("UnitNormalization", lambda l: l.layers.UnitNormalization(), SEQ, F),
    ("SpectralNormalization", lambda l: l.layers.SpectralNormalization(l.layers.Dense(3)), (4,), F),
    ("Dropout", lambda l: l.layers.Dropout(0.5, seed=1), (3,), F),
    ("SpatialDropout1D", lambda l: l.layers.SpatialDropout1D(0.2), SEQ, F),
    ("SpatialDropout2D", lambda l: l.layers.SpatialDropout2D(0.2), IMG, F),
    ("SpatialDropout3D", lambda l: l.layers.SpatialDropout3D(0.2), VOL, F),
    ("GaussianNoise", lambda l: l.layers.GaussianNoise(0.1), (3,), F),
    ("GaussianDropout", lambda l: l.layers.GaussianDropout(0.1), (3,), F),
    ("AlphaDropout", lambda l: l.layers.AlphaDropout(0.1), (3,), F),
    ("ActivityRegularization", lambda l: l.layers.ActivityRegularization(l1=0.1), (3,), F),
    # recurrent
    ("SimpleRNN", lambda l: l.layers.SimpleRNN(3), SEQ, F),
    ("LSTM", lambda l: l.layers.LSTM(3, return_sequences=True), SEQ, F),
    ("LSTM-args", lambda l: l.layers.LSTM(3, dropout=0.1, recurrent_dropout=0.1, unit_forget_bias=False,
                                          go_backwards=True, return_state=False), SEQ, F),
    ("GRU", lambda l: l.layers.GRU(3), SEQ, F),
    ("GRU-reset_after-False", lambda l: l.layers.GRU(3, reset_after=False, return_sequences=True), SEQ, F),
    ("Bidirectional", lambda l: l.layers.Bidirectional(l.layers.LSTM(3)), SEQ, F),
    ("Bidirectional-concat", lambda l: l.layers.Bidirectional(l.layers.GRU(2, return_sequences=True),
                                                              merge_mode="sum"), SEQ, F),
    ("RNN-LSTMCell", lambda l: l.layers.RNN(l.layers.LSTMCell(3)), SEQ, F),
    ("RNN-stacked", lambda l: l.layers.RNN([l.layers.SimpleRNNCell(3), l.layers.GRUCell(2)]), SEQ, F),
    ("TimeDistributed", lambda l: l.layers.TimeDistributed(l.layers.Dense(2)), SEQ, F),
    ("ConvLSTM1D", lambda l: l.layers.ConvLSTM1D(2, 2), (3, 5, 2), F),
    ("ConvLSTM2D", lambda l: l.layers.ConvLSTM2D(2, 2, return_sequences=True), (2, 4, 4, 2), F),
    # attention
    ("MultiHeadAttention", lambda l: l.layers.MultiHeadAttention(2, 3), [SEQ, SEQ], F),
    ("MultiHeadAttention-args", lambda l: l.layers.MultiHeadAttention(2, 3, output_shape=5, dropout=0.1,
                                                                      use_bias=False), [SEQ, SEQ], F),
    ("GroupQueryAttention", lambda l: l.layers.GroupQueryAttention(4, 2, 2), [SEQ, SEQ], F),
    ("Attention", lambda l: l.layers.Attention(use_scale=True), [SEQ, SEQ], F),
    ("AdditiveAttention", lambda l: l.layers.AdditiveAttention(), [SEQ, SEQ], F),
    # merging
    ("Add", lambda l: l.layers.Add(), [(3,), (3,)], F),
    ("Subtract", lambda l: l.layers.Subtract(), [(3,), (3,)], F),
    ("Multiply", lambda l: l.layers.Multiply(), [(3,), (3,)], F),
    ("Average", lambda l: l.layers.Average(), [(3,), (3,)], F),
    ("Maximum", lambda l: l.layers.Maximum(), [(3,), (3,)], F),
    ("Minimum", lambda l: l.layers.Minimum(), [(3,), (3,)], F),
    ("Concatenate", lambda l: l.layers.Concatenate(axis=1), [SEQ, SEQ], F),
    ("Dot", lambda l: l.layers.Dot(axes=1, normalize=True), [(3,), (3,)], F),
    # preprocessing
    ("Normalization", lambda l: l.layers.Normalization(mean=[0.5, 1.0, 2.0, 0.0], variance=[1.0, 2.0, 0.5, 4.0]),
     SEQ, F),
    ("Normalization-axis", lambda l: l.layers.Normalization(axis=None, mean=0.5, variance=2.0), SEQ, F),
    ("Discretization", lambda l: l.layers.Discretization(bin_boundaries=[0.0, 0.5]), (3,), F),
    ("CategoryEncoding", lambda l: l.layers.CategoryEncoding(num_tokens=6, output_mode="multi_hot"), (3,), "int32"),
    ("CategoryEncoding-count", lambda l: l.layers.CategoryEncoding(num_tokens=6, output_mode="count"), (3,), "int32"),
    ("Hashing", lambda l: l.layers.Hashing(num_bins=4), (3,), "int32"),
    ("IntegerLookup", lambda l: l.layers.IntegerLookup(vocabulary=[3, 1, 4]), (3,), "int32"),
    ("IntegerLookup-onehot", lambda l: l.layers.IntegerLookup(vocabulary=[3, 1, 4], output_mode="one_hot"),
     (1,), "int32"),
    ("Resizing", lambda l: l.layers.Resizing(4, 5), IMG, F),
    ("CenterCrop", lambda l: l.layers.CenterCrop(4, 4), IMG, F),
    ("RandomFlip", lambda l: l.layers.RandomFlip("horizontal", seed=1), IMG, F),
    ("RandomRotation", lambda l: l.layers.RandomRotation(0.1), IMG, F),
    ("RandomZoom", lambda l: l.layers.RandomZoom(0.1), IMG, F),
    ("RandomTranslation", lambda l: l.layers.RandomTranslation(0.1, 0.1), IMG, F),
    ("RandomContrast", lambda l: l.layers.RandomContrast(0.2), IMG, F),
    ("RandomBrightness", lambda l: l.layers.RandomBrightness(0.2), IMG, F),
    ("RandomCrop", lambda l: l.layers.RandomCrop(4, 4, seed=3), IMG, F),
    # image augmentation (inference: most pass images through) on pixel values in [0, 255]
    ("AugMix", lambda l: l.layers.AugMix(seed=1), IMG, "pixels"),
    ("AutoContrast", lambda l: l.layers.AutoContrast(), IMG, "pixels"),
    ("CutMix", lambda l: l.layers.CutMix(seed=1), IMG, "pixels"),
    ("Equalization", lambda l: l.layers.Equalization(bins=64), IMG, "pixels"),
    ("MixUp", lambda l: l.layers.MixUp(alpha=0.3, seed=1), IMG, "pixels"),
    ("RandAugment", lambda l: l.layers.RandAugment(num_ops=3, seed=1), IMG, "pixels"),
    ("RandomColorJitter", lambda l: l.layers.RandomColorJitter(brightness_factor=0.2, seed=1), IMG, "pixels"),
    ("RandomElasticTransform", lambda l: l.layers.RandomElasticTransform(seed=1), IMG, "pixels"),
    ("RandomErasing", lambda l: l.layers.RandomErasing(seed=1), IMG, "pixels"),
    ("RandomGaussianBlur", lambda l: l.layers.RandomGaussianBlur(seed=1), IMG, "pixels"),
    ("RandomGrayscale", lambda l: l.layers.RandomGrayscale(0.3, seed=1), IMG, "pixels"),
    ("RandomInvert", lambda l: l.layers.RandomInvert(seed=1), IMG, "pixels"),
    ("RandomPerspective", lambda l: l.layers.RandomPerspective(seed=1), IMG, "pixels"),
    ("RandomShear", lambda l: l.layers.RandomShear(0.2, seed=1), IMG, "pixels"),
    ("Solarization", lambda l: l.layers.Solarization(addition_factor=0.2, threshold_factor=0.5, seed=1), IMG,
     "pixels"),
    ("RandomColorDegeneration", lambda l: l.layers.RandomColorDegeneration(0.3, seed=1), IMG, "pixels"),
    ("RandomHue", lambda l: l.layers.RandomHue(0.2, seed=1), IMG, "pixels"),
    ("RandomPosterization", lambda l: l.layers.RandomPosterization(4, seed=1), IMG, "pixels"),
    ("RandomSaturation", lambda l: l.layers.RandomSaturation(0.2, seed=1), IMG, "pixels"),
    ("RandomSharpness", lambda l: l.layers.RandomSharpness(0.2, seed=1), IMG, "pixels"),
    ("ContrastLimitedAdaptiveHistogramEqualization",
     lambda l: l.layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2)), IMG, "pixels"),
    # audio
    ("MelSpectrogram", lambda l: l.layers.MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8,
                                                         sampling_rate=8000), (256,), F),
    ("STFTSpectrogram", lambda l: l.layers.STFTSpectrogram(frame_length=32, frame_step=16, fft_length=32), (128, 1),
     F),
    # more recurrent and pooling shapes, embeddings
    ("ConvLSTM3D", lambda l: l.layers.ConvLSTM3D(2, 2), (2, 3, 3, 3, 1), F),
    ("RNN-SimpleRNNCell", lambda l: l.layers.RNN(l.layers.SimpleRNNCell(3), return_sequences=True), SEQ, F),
    ("RNN-StackedRNNCells", lambda l: l.layers.RNN(l.layers.StackedRNNCells([l.layers.LSTMCell(3),
                                                                             l.layers.LSTMCell(2)])), SEQ, F),
    ("Bidirectional-backward_layer", lambda l: l.layers.Bidirectional(
        l.layers.LSTM(3, return_sequences=True), backward_layer=l.layers.LSTM(3, go_backwards=True,
                                                                              return_sequences=True)), SEQ, F),
    ("AdaptiveMaxPooling1D", lambda l: l.layers.AdaptiveMaxPooling1D(3), SEQ, F),
    ("AdaptiveAveragePooling2D", lambda l: l.layers.AdaptiveAveragePooling2D((2, 2)), IMG, F),
    ("AdaptiveMaxPooling3D", lambda l: l.layers.AdaptiveMaxPooling3D(2), VOL, F),
    ("ReversibleEmbedding", lambda l: l.layers.ReversibleEmbedding(10, 3), (5,), "int32"),
    # dtype policies and data formats
    ("Dense-float64", lambda l: l.layers.Dense(2, dtype="float64"), (3,), F),
    ("Dense-mixed_float16", lambda l: l.layers.Dense(2, dtype="mixed_float16"), (3,), F),
    ("Conv2D-channels_first", lambda l: l.layers.Conv2D(2, 3, data_format="channels_first"), (3, 6, 6), F),
    ("MaxPooling2D-channels_first", lambda l: l.layers.MaxPooling2D(data_format="channels_first"), (3, 6, 6), F),
    ("Conv2D-initializers", lambda l: l.layers.Conv2D(
        2, 3, kernel_initializer=l.initializers.RandomNormal(stddev=0.1, seed=1),
        bias_initializer=l.initializers.Constant(0.1)), IMG, F),
]

# Layers whose predictions differ on purpose (README, "Differences from Keras").
# (by case id)
PREDICTIONS_DIFFER = {
    "RandomCrop": "at inference nanokeras crops to (height, width) as the output shape says; Keras 3.15 does not",
    "Dense-mixed_float16": "nanokeras computes in float32 under a mixed policy; Keras in float16",
}

# Calls recorded with fewer arguments than Keras fills in (files load both ways all the same).
CALL_RECORDS_DIFFER = {}  # (none now; a layer listed here would say why)

# Keras 3.15 cannot rebuild its own config of these (so neither its file nor ours loads in Keras).
KERAS_CANNOT_REBUILD = {
    "RandomShear": "its config holds factors as (-f, f), which its constructor then refuses",
}

# Keras 3.15 cannot build a functional model on these: configs are compared, files are not.
KERAS_CANNOT_BUILD = {
    "Equalization": "Keras's functional graph raises 'part of a cycle' on it",
}

# Layers of both libraries the sweep leaves out, and why.
LAYER_SKIPS = {
    "InputLayer": "made by Input(); every model here has one, so its config is compared in each file",
    "Lambda": "its config holds Python bytecode; nanokeras refuses to load it (README, Differences)",
    "Layer": "abstract base", "Wrapper": "abstract base", "InputSpec": "not a layer",
    "Pipeline": "a preprocessing container for tf.data pipelines, not a model layer",
    "StringLookup": "string inputs: covered by test_layers_preprocessing.py",
    "TextVectorization": "string inputs, needs TensorFlow in Keras: test_text_vectorization.py",
}


def _inputs(lib, shapes, dtype):
    dtype = "float32" if dtype == "pixels" else dtype
    if isinstance(shapes, list):
        return [lib.Input(shape, dtype=dtype) for shape in shapes]
    return lib.Input(shapes, dtype=dtype)


def _data(shapes, dtype):
    def one(shape):
        if dtype == "int32":
            return RNG.integers(0, 5, size=(2,) + shape).astype("int32")
        if dtype == "pixels":
            return RNG.integers(0, 256, size=(2,) + shape).astype("float32")
        return RNG.normal(size=(2,) + shape).astype("float32")
    return [one(shape) for shape in shapes] if isinstance(shapes, list) else one(shapes)


def _model(lib, make, shapes, dtype):
    inputs = _inputs(lib, shapes, dtype)
    layer = make(lib)
    # The attention layers with a (query, value) signature take their inputs as arguments.
    several = isinstance(inputs, list) and "QueryAttention" in type(layer).__name__ or \
        type(layer).__name__ == "MultiHeadAttention"
    outputs = layer(*inputs) if several else layer(inputs)
    return lib.Model(inputs, outputs), layer


def _call_records(model):
    return [[node["kwargs"] for node in layer["inbound_nodes"]] for layer in _json(model.get_config())["layers"]]


def _out(value):
    return [np.asarray(v) for v in value] if isinstance(value, (list, tuple)) else [np.asarray(value)]


def _same_predictions(a, b, x):
    for p, q in zip(_out(a.predict(x, verbose=0)), _out(b.predict(x, verbose=0))):
        np.testing.assert_allclose(p, q, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("case", LAYER_CASES, ids=[case[0] for case in LAYER_CASES])
def test_layer_configs_weights_and_files(keras, case, tmp_path):
    case_id, make, shapes, dtype = case
    name = case_id.split("-")[0]
    nk.backend.clear_session()
    keras.backend.clear_session()
    ours, theirs = _compare_objects(keras, make, "layers." + name, keras_rebuilds=name not in KERAS_CANNOT_REBUILD)
    if name in KERAS_CANNOT_BUILD:
        return

    nk.backend.clear_session()
    keras.backend.clear_session()
    our_model, our_layer = _model(nk, make, shapes, dtype)
    their_model, their_layer = _model(keras, make, shapes, dtype)
    # Configs once built (a built layer may record more, e.g. its build shapes).
    assert _without_layer_names(_json(our_layer.get_config())) == _without_layer_names(_json(their_layer.get_config()))
    assert [(w.path, tuple(w.shape), w.dtype, w.trainable) for w in our_model.weights] == \
        [(w.path, tuple(w.shape), w.dtype, w.trainable) for w in their_model.weights]
    assert our_model.count_params() == their_model.count_params()
    # The call as Keras records it: the arguments it fills in (`training`, `mask`) included.
    if name not in CALL_RECORDS_DIFFER:
        assert _call_records(our_model) == _call_records(their_model)
    assert _json(our_model.output_shape) == _json(their_model.output_shape)
    shape_in = [(None,) + s for s in shapes] if isinstance(shapes, list) else (None,) + shapes
    if not isinstance(shapes, list):
        assert _json(our_layer.compute_output_shape(shape_in)) == _json(their_layer.compute_output_shape(shape_in))
    weights = [RNG.normal(size=tuple(w.shape)).astype(w.dtype) if "float" in str(w.dtype) else np.asarray(w)
               for w in their_model.get_weights()]
    if name == "BatchNormalization":
        weights[-1] = np.abs(weights[-1])  # a moving variance
    their_model.set_weights(weights)
    our_model.set_weights(weights)
    x = _data(shapes, dtype)
    differ = case_id in PREDICTIONS_DIFFER
    if not differ:
        _same_predictions(our_model, their_model, x)

    # Files, both ways: same predictions, same layer config.
    our_file, their_file = str(tmp_path / "nk.keras"), str(tmp_path / "k.keras")
    our_model.save(our_file)
    their_model.save(their_file)
    ours_from_theirs = nk.saving.load_model(their_file)
    # (where predictions differ on purpose, each loaded model predicts as its own library does)
    _same_predictions(ours_from_theirs, our_model if differ else their_model, x)
    assert _without_layer_names(_json(ours_from_theirs.layers[-1].get_config())) == \
        _without_layer_names(_json(their_model.layers[-1].get_config()))
    if name in KERAS_CANNOT_REBUILD:
        _same_predictions(nk.saving.load_model(our_file), our_model, x)
        return
    theirs_from_ours = keras.saving.load_model(our_file)
    _same_predictions(theirs_from_ours, their_model, x)
    assert _without_layer_names(_json(theirs_from_ours.layers[-1].get_config())) == \
        _without_layer_names(_json(their_model.layers[-1].get_config()))


# Classes the cases build inside another layer (RNN's cells, the wrappers' layers).
BUILT_INSIDE = {"LSTMCell": "RNN-LSTMCell", "GRUCell": "RNN-stacked", "SimpleRNNCell": "RNN-SimpleRNNCell",
                "StackedRNNCells": "RNN-StackedRNNCells"}


def test_every_layer_both_libraries_have_is_swept_or_skipped_with_a_reason(keras):
    covered = {case[0].split("-")[0] for case in LAYER_CASES}
    covered |= {"HashedCrossing"}  # below: two inputs of ids
    classes = {getattr(keras.layers, name): name for name in _public_classes(keras.layers)
               if name in covered or name in LAYER_SKIPS or name in BUILT_INSIDE}
    missing = []
    for name in _public_classes(keras.layers):
        if not hasattr(nk.layers, name):
            continue  # Keras's backend bridges (JaxLayer, TFSMLayer, ...): not in nanokeras
        if name in covered or name in LAYER_SKIPS or name in BUILT_INSIDE or getattr(keras.layers, name) in classes:
            continue  # (or an alias of a covered class: Convolution2D, AvgPool2D, ...)
        missing.append(name)
    assert missing == []


def test_hashed_crossing_configs_and_files(keras, tmp_path):
    x = [np.array([[1], [2], [3]], "int32"), np.array([[4], [5], [4]], "int32")]

    def build(lib):
        inputs = [lib.Input((1,), dtype="int32"), lib.Input((1,), dtype="int32")]
        return lib.Model(inputs, lib.layers.HashedCrossing(num_bins=5, output_mode="one_hot")(inputs))

    _compare_objects(keras, lambda lib: lib.layers.HashedCrossing(num_bins=5, output_mode="one_hot"),
                     "layers.HashedCrossing")
    ours, theirs = build(nk), build(keras)
    _same_predictions(ours, theirs, x)
    ours.save(str(tmp_path / "nk.keras"))
    theirs.save(str(tmp_path / "k.keras"))
    _same_predictions(keras.saving.load_model(str(tmp_path / "nk.keras")), theirs, x)
    _same_predictions(nk.saving.load_model(str(tmp_path / "k.keras")), theirs, x)


def test_models_serialize_with_keras_names(keras):
    def models(lib):
        inputs = lib.Input((3,))
        functional = lib.Model(inputs, lib.layers.Dense(2)(inputs))
        return functional, lib.Sequential([lib.Input((3,)), lib.layers.Dense(2)])

    for ours, theirs in zip(models(nk), models(keras)):
        our_written = _json(nk.saving.serialize_keras_object(ours))
        their_written = _json(keras.saving.serialize_keras_object(theirs))
        for key in ("module", "class_name", "registered_name"):
            assert our_written[key] == their_written[key], key
        assert {k: v for k, v in json.loads(ours.to_json()).items() if k != "config"} == \
            {k: v for k, v in json.loads(theirs.to_json()).items() if k != "config"}


def test_simple_rnn_keeps_the_activity_regularizer_keras_drops(keras):
    # README, Differences: Keras 3.15's SimpleRNN drops activity_regularizer (LSTM and GRU keep it).
    x = RNG.normal(size=(4, 5, 3)).astype("float32")
    ours, theirs = nk.layers.SimpleRNN(2, activity_regularizer="l2"), keras.layers.SimpleRNN(2, activity_regularizer="l2")
    theirs(x)
    out = np.asarray(ours(x))
    assert theirs.losses == [] and theirs.get_config()["activity_regularizer"] is None
    assert float(sum(np.asarray(loss) for loss in ours.losses)) == pytest.approx(0.01 * float(np.sum(out ** 2)) / 4,
                                                                                 rel=1e-5)
    assert ours.get_config()["activity_regularizer"]["class_name"] == "L2"
    keras.layers.SimpleRNN.from_config(ours.get_config())  # Keras reads it (and drops it)
