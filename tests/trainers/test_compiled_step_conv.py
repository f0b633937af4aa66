"""The compiled step equals the tape, bit for bit, for models of every convolution, pooling and image layer.

As `test_compiled_step.py`: the same model trained on the tape (`jit_compile=False`)
and on the compiled step, over epochs of shuffled batches with a short last batch and
validation; every weight, optimizer slot, history value, evaluation and prediction
must be equal, and the compiled model must really have run compiled.
"""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers
from tests.trainers.test_compiled_step import _assert_same_logs

SAMPLES, CLASSES = 45, 3


def _data(shape, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(SAMPLES,) + shape).astype("float32")
    labels = (x.reshape(SAMPLES, -1)[:, :CLASSES] + 0.3 * rng.normal(size=(SAMPLES, CLASSES))).argmax(axis=1)
    return x, labels.astype("int32")


def _train_both(build, shape, epochs=3, batch_size=8):
    x, y = _data(shape, 0)
    val = _data(shape, 1)
    results = []
    for jit_compile in (False, "auto"):
        keras.backend.clear_session()
        keras.utils.set_random_seed(7)
        model = build()
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], jit_compile=jit_compile)
        history = model.fit(x, y, batch_size=batch_size, epochs=epochs, validation_data=val, verbose=0)
        reasons = [model.compiled_step_reason]
        evaluation = model.evaluate(val[0], val[1], batch_size=batch_size, verbose=0, return_dict=True)
        prediction = model.predict(val[0], batch_size=batch_size, verbose=0)
        reasons.append(model.compiled_step_reason)
        results.append((model, history.history, evaluation, prediction, reasons))
    (tape_model, tape_history, tape_eval, tape_pred, tape_reasons), \
        (model, history, evaluation, prediction, reasons) = results
    assert reasons == [{}, {}], reasons
    assert all(tape_reasons)
    for a, b in zip(tape_model.weights, model.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    for a, b in zip(tape_model.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    _assert_same_logs(history, tape_history)
    _assert_same_logs(evaluation, tape_eval)
    np.testing.assert_array_equal(prediction, tape_pred)


IMAGE, SEQUENCE, VOLUME = (6, 7, 2), (9, 2), (4, 4, 4, 2)

CASES = [
    ("conv1d_causal", SEQUENCE, lambda: [layers.Conv1D(4, 3, padding="causal", activation="relu")]),
    ("conv2d_same_strided", IMAGE, lambda: [layers.Conv2D(4, 3, strides=2, padding="same", activation="relu")]),
    ("conv2d_groups_tanh", IMAGE, lambda: [layers.Conv2D(4, 3, groups=2, activation="tanh")]),
    ("conv2d_elu_channels_first", (2, 6, 7),
     lambda: [layers.Conv2D(3, 2, activation="elu", data_format="channels_first")]),
    ("conv2d_regularized_constrained", IMAGE,
     lambda: [layers.Conv2D(3, 3, kernel_regularizer="l2", kernel_constraint="max_norm", activation="sigmoid")]),
    ("conv3d", VOLUME, lambda: [layers.Conv3D(2, 2, padding="same", activation="relu")]),
    ("conv1d_transpose", SEQUENCE, lambda: [layers.Conv1DTranspose(3, 3, strides=2)]),
    ("conv2d_transpose", IMAGE, lambda: [layers.Conv2DTranspose(3, 3, strides=2, padding="same", activation="relu")]),
    ("conv3d_transpose", VOLUME, lambda: [layers.Conv3DTranspose(2, 2, strides=2)]),
    ("depthwise_conv1d", SEQUENCE, lambda: [layers.DepthwiseConv1D(3, depth_multiplier=2)]),
    ("depthwise_conv2d", IMAGE, lambda: [layers.DepthwiseConv2D(3, padding="same", activation="relu")]),
    ("separable_conv1d", SEQUENCE, lambda: [layers.SeparableConv1D(3, 3, activation="relu")]),
    ("separable_conv2d", IMAGE, lambda: [layers.SeparableConv2D(3, 3, depth_multiplier=2)]),
    ("max_pooling", IMAGE, lambda: [layers.Conv2D(4, 2, activation="relu"), layers.MaxPooling2D()]),
    ("max_pooling_same_overlapping", IMAGE, lambda: [layers.MaxPooling2D(3, 1, padding="same")]),
    ("max_pooling1d_3d", VOLUME, lambda: [layers.MaxPooling3D(padding="same")]),
    ("average_pooling", IMAGE, lambda: [layers.AveragePooling2D(2, padding="same")]),
    ("average_pooling1d", SEQUENCE, lambda: [layers.AveragePooling1D(3, 2)]),
    ("global_average_pooling", IMAGE, lambda: [layers.Conv2D(4, 3), layers.GlobalAveragePooling2D()]),
    ("adaptive_pooling", IMAGE, lambda: [layers.Conv2D(4, 2), layers.AdaptiveMaxPooling2D((3, 2)),
                                         layers.AdaptiveAveragePooling2D(2)]),
    ("adaptive_pooling_1d_3d", VOLUME, lambda: [layers.AdaptiveAveragePooling3D((2, 1, 3), data_format="channels_first")]),
    ("global_max_pooling", SEQUENCE, lambda: [layers.GlobalMaxPooling1D(keepdims=True)]),
    ("zero_padding_cropping", IMAGE, lambda: [layers.ZeroPadding2D(((1, 0), (2, 1))), layers.Cropping2D(1)]),
    ("up_sampling", IMAGE, lambda: [layers.UpSampling2D((2, 1)), layers.UpSampling2D(interpolation="bilinear")]),
    ("up_sampling_1d_3d", VOLUME, lambda: [layers.UpSampling3D((1, 2, 1))]),
    ("spatial_dropout", IMAGE, lambda: [layers.Conv2D(4, 3), layers.SpatialDropout2D(0.4)]),
    ("spatial_dropout1d", SEQUENCE, lambda: [layers.SpatialDropout1D(0.4, seed=3)]),
    ("resizing_center_crop", IMAGE, lambda: [layers.Resizing(8, 8, interpolation="bicubic"), layers.CenterCrop(6, 5)]),
    ("random_crop", IMAGE, lambda: [layers.RandomCrop(5, 5)]),
    ("random_flip_rotation", IMAGE, lambda: [layers.RandomFlip(), layers.RandomRotation(0.2)]),
    ("random_zoom_translation", IMAGE, lambda: [layers.RandomZoom(0.2, seed=1), layers.RandomTranslation(0.2, 0.1)]),
    ("color_augmentation", IMAGE,
     lambda: [layers.Conv2D(3, 1), layers.RandomGrayscale(0.5, seed=1), layers.RandomInvert(seed=2),
              layers.Solarization(0.1, 0.5, value_range=(-3, 3), seed=3), layers.AutoContrast(value_range=(-3, 3)),
              layers.RandomColorDegeneration(0.5, value_range=(-3, 3), seed=4)]),
    ("random_contrast_brightness", IMAGE,
     lambda: [layers.RandomContrast(0.3, value_range=(-3, 3)), layers.RandomBrightness(0.2, value_range=(-3, 3))]),
]


@pytest.mark.parametrize("shape,make", [pytest.param(c[1], c[2], id=c[0]) for c in CASES])
def test_compiled_step_equals_the_tape(shape, make):
    def build():
        return keras.Sequential([keras.Input(shape), *make(), layers.Flatten(),
                                 layers.Dense(CLASSES, activation="softmax")])

    _train_both(build, shape)
