import numpy as np
import pytest

from nanokeras import initializers
from nanokeras import Variable

NAMES = {
    "glorot_uniform": initializers.GlorotUniform,
    "GlorotUniform": initializers.GlorotUniform,
    "glorot_normal": initializers.GlorotNormal,
    "he_normal": initializers.HeNormal,
    "he_uniform": initializers.HeUniform,
    "lecun_normal": initializers.LecunNormal,
    "lecun_uniform": initializers.LecunUniform,
    "zeros": initializers.Zeros,
    "zero": initializers.Zeros,
    "ones": initializers.Ones,
    "one": initializers.Ones,
    "constant": initializers.Constant,
    "identity": initializers.Identity,
    "IdentityInitializer": initializers.Identity,
    "orthogonal": initializers.Orthogonal,
    "OrthogonalInitializer": initializers.Orthogonal,
    "random_normal": initializers.RandomNormal,
    "normal": initializers.RandomNormal,
    "random_uniform": initializers.RandomUniform,
    "uniform": initializers.RandomUniform,
    "truncated_normal": initializers.TruncatedNormal,
    "variance_scaling": initializers.VarianceScaling,
}


@pytest.mark.parametrize("name, cls", sorted(NAMES.items()))
def test_get_by_name(name, cls):
    obj = initializers.get(name)
    assert type(obj) is cls


def test_get_unknown_name_suggests():
    with pytest.raises(ValueError, match="Did you mean 'glorot_uniform'"):
        initializers.get("glorot_unifrom")


def test_get_passthrough_and_classes():
    init = initializers.HeNormal(seed=1)
    assert initializers.get(init) is init
    assert type(initializers.get(initializers.Ones)) is initializers.Ones
    assert initializers.get(None) is None

    def fn(shape, dtype=None):
        return np.full(shape, 4.0)

    assert initializers.get(fn) is fn


def test_get_from_array():
    array = np.arange(6.0).reshape(2, 3)
    init = initializers.get(array)
    np.testing.assert_array_equal(init((2, 3)), array)
    assert init((2, 3)).dtype == np.float32
    with pytest.raises(ValueError, match=r"Expected `shape` to be \(2, 3\)"):
        init((3, 2))


def test_get_rejects_non_initializers():
    with pytest.raises(ValueError, match="Could not interpret initializer identifier"):
        initializers.get(3)


def test_serialize_deserialize_roundtrip():
    init = initializers.VarianceScaling(scale=2.0, mode="fan_out", distribution="uniform", seed=5)
    config = initializers.serialize(init)
    assert config["class_name"] == "VarianceScaling"
    assert config["module"] == "keras.initializers"
    assert config["config"]["scale"] == 2.0
    clone = initializers.deserialize(config)
    np.testing.assert_array_equal(clone((4, 4)), init((4, 4)))
    again = initializers.get(config)
    np.testing.assert_array_equal(again((4, 4)), init((4, 4)))


def test_deserialize_custom_object():
    class Twos(initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return np.full(shape, 2.0, dtype=dtype or "float32")

    config = initializers.serialize(Twos())
    assert config["class_name"] == "Twos"
    obj = initializers.deserialize(config, custom_objects={"Twos": Twos})
    assert obj((2,)).tolist() == [2.0, 2.0]
    with pytest.raises(ValueError, match="Unknown initializer"):
        initializers.deserialize(config)


def test_deserialize_rejects_malformed():
    with pytest.raises(ValueError, match="class_name"):
        initializers.deserialize({"config": {}})
    with pytest.raises(ValueError, match="get_config"):
        initializers.serialize(lambda shape, dtype=None: None)


def test_variable_accepts_initializer():
    v = Variable(initializers.get("ones"), shape=(2, 3), name="w")
    assert v.value.dtype == np.float32 and v.value.sum() == 6
    v = Variable(initializers.GlorotUniform(seed=0), shape=(3, 3), dtype="float64")
    assert v.value.dtype == np.float64


def test_base_initializer_requires_call():
    with pytest.raises(NotImplementedError):
        initializers.Initializer()((2,))
