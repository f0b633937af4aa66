import numpy as np
import pytest

import nanokeras as keras
from nanokeras import regularizers
from nanokeras import GradientTape, Variable

W = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]], dtype="float32")


def test_closed_form_values():
    assert float(regularizers.L1(0.1)(W)) == pytest.approx(0.1 * 7.5)
    assert float(regularizers.L2(0.1)(W)) == pytest.approx(0.1 * 15.25)
    assert float(regularizers.L1L2(0.1, 0.2)(W)) == pytest.approx(0.75 + 0.2 * 15.25)
    assert float(regularizers.L1L2()(W)) == 0.0
    assert regularizers.L2()(W).dtype == np.float32


def test_orthogonal_closed_form():
    rows = np.array([[1.0, 0.0], [1.0, 1.0]], dtype="float32")
    # normalized rows: (1,0) and (1,1)/sqrt2 -> one pair with |dot| = 1/sqrt2
    expected = 0.5 * 0.5 * (2 / np.sqrt(2)) / 1.0
    assert float(regularizers.OrthogonalRegularizer(0.5)(rows)) == pytest.approx(expected, rel=1e-6)
    assert float(regularizers.OrthogonalRegularizer(1.0, mode="columns")(np.eye(3, dtype="float32"))) == 0.0
    with pytest.raises(ValueError, match="rank 2"):
        regularizers.OrthogonalRegularizer()(np.ones(3, dtype="float32"))
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diag")


def test_gradients_through_tape():
    w = W + np.float32(0.25)  # no zeros: |x| has a kink there
    v = Variable(w)
    with GradientTape() as tape:
        loss = regularizers.L1L2(0.1, 0.2)(v)
    grad = tape.gradient(loss, v)
    np.testing.assert_allclose(grad, 0.1 * np.sign(w) + 0.4 * w, rtol=1e-6)


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf"), "0.1", True])
def test_bad_factors(value):
    with pytest.raises(ValueError, match="non-negative"):
        regularizers.L2(value)


def test_get_serialize_deserialize():
    assert regularizers.get(None) is None
    assert regularizers.get("l2").get_config() == {"l2": 0.01}
    assert regularizers.get("L1").get_config() == {"l1": float(np.float32(0.01))}  # float32, as Keras
    assert regularizers.get("l1_l2").get_config() == {"l1": 0.01, "l2": 0.01}
    assert regularizers.get("l1l2").get_config() == {"l1": 0.0, "l2": 0.0}
    assert isinstance(regularizers.get("orthogonal_regularizer"), regularizers.OrthogonalRegularizer)
    assert isinstance(regularizers.get(regularizers.L2), regularizers.L2)
    fn = lambda x: 0.0  # noqa: E731
    assert regularizers.get(fn) is fn
    for reg in (regularizers.L1(0.3), regularizers.L2(0.2), regularizers.L1L2(0.1, 0.4),
                regularizers.OrthogonalRegularizer(0.2, "columns")):
        config = regularizers.serialize(reg)
        assert config["module"] == "keras.regularizers" and config["class_name"] == type(reg).__name__
        again = regularizers.deserialize(config)
        assert type(again) is type(reg) and again.get_config() == reg.get_config()
    with pytest.raises(ValueError, match="Did you mean 'l2'"):
        regularizers.get("l22")
    with pytest.raises(ValueError, match="Could not interpret"):
        regularizers.get(3)


def test_kernel_regularizer_adds_to_model_losses_and_training_loss():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_initializer="ones",
                                                                   kernel_regularizer="l2")])
    model.compile("sgd", "mse")
    assert float(sum(model.losses)) == pytest.approx(0.01 * 6)
    x, y = np.zeros((4, 3), "float32"), np.zeros((4, 2), "float32")
    assert model.evaluate(x, y, verbose=0) == pytest.approx(0.06, rel=1e-6)
    # One SGD step on the penalty alone shrinks the kernel by (1 - 2 * 0.01 * lr).
    model.train_on_batch(x, y)
    np.testing.assert_allclose(model.layers[0].kernel.numpy(), np.full((3, 2), 1 - 2 * 0.01 * 0.01), rtol=1e-6)
