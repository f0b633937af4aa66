"""`keras.layers`: the layers models are built from."""

from nanokeras.layers.activations.activation import Activation
from nanokeras.layers.activations.elu import ELU
from nanokeras.layers.activations.leaky_relu import LeakyReLU
from nanokeras.layers.activations.prelu import PReLU
from nanokeras.layers.activations.relu import ReLU
from nanokeras.layers.activations.softmax import Softmax
from nanokeras.layers.core.einsum_dense import EinsumDense
from nanokeras.layers.core.identity import Identity
from nanokeras.layers.core.wrapper import Wrapper
from nanokeras.layers.core.dense import Dense
from nanokeras.layers.core.input_layer import Input, InputLayer
from nanokeras.layers.input_spec import InputSpec
from nanokeras.layers.layer import Layer
from nanokeras.layers.normalization.batch_normalization import BatchNormalization
from nanokeras.layers.normalization.group_normalization import GroupNormalization
from nanokeras.layers.normalization.layer_normalization import LayerNormalization
from nanokeras.layers.normalization.rms_normalization import RMSNormalization
from nanokeras.layers.normalization.spectral_normalization import SpectralNormalization
from nanokeras.layers.normalization.unit_normalization import UnitNormalization
from nanokeras.layers.preprocessing.category_encoding import CategoryEncoding
from nanokeras.layers.preprocessing.discretization import Discretization
from nanokeras.layers.preprocessing.hashed_crossing import HashedCrossing
from nanokeras.layers.preprocessing.hashing import Hashing
from nanokeras.layers.preprocessing.integer_lookup import IntegerLookup
from nanokeras.layers.preprocessing.normalization import Normalization
from nanokeras.layers.preprocessing.pipeline import Pipeline
from nanokeras.layers.preprocessing.rescaling import Rescaling
from nanokeras.layers.preprocessing.string_lookup import StringLookup
from nanokeras.layers.regularization.activity_regularization import ActivityRegularization
from nanokeras.layers.regularization.alpha_dropout import AlphaDropout
from nanokeras.layers.regularization.dropout import Dropout
from nanokeras.layers.regularization.gaussian_dropout import GaussianDropout
from nanokeras.layers.regularization.gaussian_noise import GaussianNoise
from nanokeras.layers.reshaping.flatten import Flatten
from nanokeras.layers.reshaping.permute import Permute
from nanokeras.layers.reshaping.repeat_vector import RepeatVector
from nanokeras.layers.reshaping.reshape import Reshape
from nanokeras.layers.core.lambda_layer import Lambda
from nanokeras.layers.merging.base_merge import Merge
from nanokeras.layers.merging.concatenate import Concatenate, concatenate
from nanokeras.layers.merging.dot import Dot, dot
from nanokeras.layers.merging.elementwise import (
    Add, Average, Maximum, Minimum, Multiply, Subtract, add, average, maximum, minimum, multiply, subtract,
)
from nanokeras.layers import experimental  # Keras 2's experimental.preprocessing names


def serialize(layer):
    """A layer's config as Keras serializes it (`{"module", "class_name", "config", ...}`)."""
    from nanokeras.saving.serialization_lib import serialize_keras_object

    return serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """The layer described by `serialize`'s output (only known or registered classes)."""
    from nanokeras.saving.serialization_lib import deserialize_keras_object

    return deserialize_keras_object(config, custom_objects=custom_objects)
