"""`keras.layers`: the layers models are built from."""

from nanokeras.layers.activations.activation import Activation
from nanokeras.layers.core.dense import Dense
from nanokeras.layers.core.input_layer import Input, InputLayer
from nanokeras.layers.layer import Layer
