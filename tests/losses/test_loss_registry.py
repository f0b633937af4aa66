"""`keras.losses.get`, `serialize`, `deserialize`: names, aliases, configs, misspellings."""

import numpy as np
import pytest

from nanokeras import losses


@pytest.mark.parametrize(
    "name, fn",
    [
        ("mse", losses.mean_squared_error),
        ("MSE", losses.mean_squared_error),
        ("mae", losses.mean_absolute_error),
        ("MAPE", losses.mean_absolute_percentage_error),
        ("msle", losses.mean_squared_logarithmic_error),
        ("kld", losses.kl_divergence),
        ("KLD", losses.kl_divergence),
        ("kullback_leibler_divergence", losses.kl_divergence),
        ("bce", losses.binary_crossentropy),
        ("logcosh", losses.log_cosh),
        ("binary_crossentropy", losses.binary_crossentropy),
        ("categorical_crossentropy", losses.categorical_crossentropy),
        ("sparse_categorical_crossentropy", losses.sparse_categorical_crossentropy),
        ("huber", losses.huber),
        ("hinge", losses.hinge),
        ("squared_hinge", losses.squared_hinge),
        ("categorical_hinge", losses.categorical_hinge),
        ("poisson", losses.poisson),
        ("cosine_similarity", losses.cosine_similarity),
        ("binary_focal_crossentropy", losses.binary_focal_crossentropy),
    ],
)
def test_get_function_names_and_aliases(name, fn):
    assert losses.get(name) is fn


def test_get_class_name_gives_a_fresh_default_instance():
    a, b = losses.get("BinaryCrossentropy"), losses.get("BinaryCrossentropy")
    assert isinstance(a, losses.BinaryCrossentropy) and a is not b
    assert a.from_logits is False and a.name == "binary_crossentropy"
    assert isinstance(losses.get(losses.Huber), losses.Huber)


def test_get_passes_objects_and_callables_through():
    loss = losses.CategoricalCrossentropy(from_logits=True)
    assert losses.get(loss) is loss

    def custom(y_true, y_pred):
        return y_pred

    assert losses.get(custom) is custom
    assert losses.get(None) is None


def test_get_from_config_dict():
    loss = losses.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}})
    assert isinstance(loss, losses.CategoricalCrossentropy) and loss.from_logits is True


def test_misspelled_names_suggest_the_closest_one():
    with pytest.raises(ValueError, match="Did you mean 'binary_crossentropy'"):
        losses.get("binary_crosentropy")
    with pytest.raises(ValueError, match="Did you mean 'sparse_categorical_crossentropy'"):
        losses.get("sparse_categorical_crossentropyy")
    with pytest.raises(ValueError, match="Did you mean 'mse'"):
        losses.get("mes")
    with pytest.raises(ValueError, match="Did you mean 'CategoricalCrossentropy'"):
        losses.deserialize({"class_name": "CategoricalCrossEntropy", "config": {}})


def test_get_rejects_non_losses():
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get(3)
    with pytest.raises(ValueError, match="not a Loss class"):
        losses.get(dict)


@pytest.mark.parametrize(
    "loss",
    [
        losses.MeanSquaredError(reduction="sum", name="my_mse"),
        losses.MeanAbsoluteError(),
        losses.MeanAbsolutePercentageError(),
        losses.MeanSquaredLogarithmicError(),
        losses.CosineSimilarity(axis=0),
        losses.Huber(delta=2.5),
        losses.LogCosh(),
        losses.Hinge(),
        losses.SquaredHinge(),
        losses.CategoricalHinge(),
        losses.KLDivergence(),
        losses.Poisson(),
        losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1, axis=0),
        losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.4, gamma=1.0),
        losses.CategoricalCrossentropy(label_smoothing=0.2, reduction=None),
        losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1),
    ],
    ids=lambda loss: type(loss).__name__,
)
def test_serialize_deserialize_round_trip(loss):
    config = losses.serialize(loss)
    assert config["class_name"] == type(loss).__name__ and config["module"] == "keras.losses"
    clone = losses.deserialize(config)
    assert type(clone) is type(loss)
    assert clone.get_config() == loss.get_config()
    y_true = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], dtype="float32")
    y_pred = np.array([[0.2, 0.7, 0.1], [0.5, 0.3, 0.2]], dtype="float32")
    if isinstance(loss, losses.SparseCategoricalCrossentropy):
        y_true = np.array([1, 0])
    np.testing.assert_array_equal(clone(y_true, y_pred), loss(y_true, y_pred))


def test_class_configs_hold_their_arguments():
    assert losses.Huber(delta=2.5).get_config() == {"name": "huber_loss", "reduction": "sum_over_batch_size", "delta": 2.5}
    assert losses.BinaryCrossentropy().get_config() == {
        "name": "binary_crossentropy",
        "reduction": "sum_over_batch_size",
        "from_logits": False,
        "label_smoothing": 0.0,
        "axis": -1,
    }


def test_serialize_functions_and_wrappers():
    config = losses.serialize(losses.mean_squared_error)
    assert config == {"module": "builtins", "class_name": "function", "config": "mean_squared_error", "registered_name": "function"}
    assert losses.deserialize(config) is losses.mean_squared_error
    assert losses.deserialize("mse") is losses.mean_squared_error
    wrapper = losses.LossFunctionWrapper(losses.huber, delta=0.5, name="h")
    clone = losses.deserialize(losses.serialize(wrapper))
    assert isinstance(clone, losses.LossFunctionWrapper)
    assert clone.fn is losses.huber and clone.get_config() == wrapper.get_config()
    assert float(clone(np.zeros((1, 1)), np.full((1, 1), 2.0))) == pytest.approx(0.875)


def test_custom_objects():
    class MyLoss(losses.Loss):
        def call(self, y_true, y_pred):
            return y_pred

    config = losses.serialize(MyLoss(name="mine"))
    clone = losses.deserialize(config, custom_objects={"MyLoss": MyLoss})
    assert isinstance(clone, MyLoss) and clone.name == "mine"
    with pytest.raises(ValueError, match="Unknown loss"):
        losses.deserialize(config)


def test_serialize_and_deserialize_reject_bad_input():
    with pytest.raises(TypeError, match="Loss object or a loss function"):
        losses.serialize(3)
    with pytest.raises(ValueError, match="class_name"):
        losses.deserialize({"config": {}})
    with pytest.raises(ValueError, match="Cannot build loss 'Huber'"):
        losses.deserialize({"class_name": "Huber", "config": {"nonsense": 1}})
