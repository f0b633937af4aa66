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
from nanokeras.layers.attention.additive_attention import AdditiveAttention
from nanokeras.layers.attention.attention import Attention
from nanokeras.layers.attention.multi_head_attention import MultiHeadAttention
from nanokeras.layers.attention.grouped_query_attention import GroupedQueryAttention as GroupQueryAttention
from nanokeras.layers.convolutional.conv1d import Conv1D
from nanokeras.layers.convolutional.conv1d_transpose import Conv1DTranspose
from nanokeras.layers.convolutional.conv2d import Conv2D
from nanokeras.layers.convolutional.conv2d_transpose import Conv2DTranspose
from nanokeras.layers.convolutional.conv3d import Conv3D
from nanokeras.layers.convolutional.conv3d_transpose import Conv3DTranspose
from nanokeras.layers.convolutional.depthwise_conv1d import DepthwiseConv1D
from nanokeras.layers.convolutional.depthwise_conv2d import DepthwiseConv2D
from nanokeras.layers.convolutional.separable_conv1d import SeparableConv1D
from nanokeras.layers.convolutional.separable_conv2d import SeparableConv2D
from nanokeras.layers.pooling.adaptive_average_pooling import (
    AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D,
)
from nanokeras.layers.pooling.adaptive_max_pooling import (
    AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D,
)
from nanokeras.layers.pooling.average_pooling1d import AveragePooling1D
from nanokeras.layers.pooling.average_pooling2d import AveragePooling2D
from nanokeras.layers.pooling.average_pooling3d import AveragePooling3D
from nanokeras.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D
from nanokeras.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from nanokeras.layers.pooling.global_average_pooling3d import GlobalAveragePooling3D
from nanokeras.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D
from nanokeras.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D
from nanokeras.layers.pooling.global_max_pooling3d import GlobalMaxPooling3D
from nanokeras.layers.pooling.max_pooling1d import MaxPooling1D
from nanokeras.layers.pooling.max_pooling2d import MaxPooling2D
from nanokeras.layers.pooling.max_pooling3d import MaxPooling3D
from nanokeras.layers.preprocessing.image_preprocessing.center_crop import CenterCrop
from nanokeras.layers.preprocessing.image_preprocessing.random_brightness import RandomBrightness
from nanokeras.layers.preprocessing.image_preprocessing.auto_contrast import AutoContrast
from nanokeras.layers.preprocessing.image_preprocessing.random_color_degeneration import RandomColorDegeneration
from nanokeras.layers.preprocessing.image_preprocessing.random_contrast import RandomContrast
from nanokeras.layers.preprocessing.image_preprocessing.random_posterization import RandomPosterization
from nanokeras.layers.preprocessing.image_preprocessing.random_grayscale import RandomGrayscale
from nanokeras.layers.preprocessing.image_preprocessing.random_hue import RandomHue
from nanokeras.layers.preprocessing.image_preprocessing.random_saturation import RandomSaturation
from nanokeras.layers.preprocessing.image_preprocessing.random_color_jitter import RandomColorJitter
from nanokeras.layers.preprocessing.image_preprocessing.rand_augment import RandAugment
from nanokeras.layers.preprocessing.image_preprocessing.aug_mix import AugMix
from nanokeras.layers.preprocessing.image_preprocessing.random_sharpness import RandomSharpness
from nanokeras.layers.preprocessing.image_preprocessing.random_gaussian_blur import RandomGaussianBlur
from nanokeras.layers.preprocessing.image_preprocessing.equalization import Equalization
from nanokeras.layers.preprocessing.image_preprocessing.clahe import ContrastLimitedAdaptiveHistogramEqualization
from nanokeras.layers.preprocessing.image_preprocessing.random_invert import RandomInvert
from nanokeras.layers.preprocessing.image_preprocessing.solarization import Solarization
from nanokeras.layers.preprocessing.image_preprocessing.random_crop import RandomCrop
from nanokeras.layers.preprocessing.image_preprocessing.random_flip import RandomFlip
from nanokeras.layers.preprocessing.image_preprocessing.random_rotation import RandomRotation
from nanokeras.layers.preprocessing.image_preprocessing.mix_up import MixUp
from nanokeras.layers.preprocessing.image_preprocessing.cut_mix import CutMix
from nanokeras.layers.preprocessing.image_preprocessing.random_erasing import RandomErasing
from nanokeras.layers.preprocessing.image_preprocessing.random_shear import RandomShear
from nanokeras.layers.preprocessing.image_preprocessing.random_perspective import RandomPerspective
from nanokeras.layers.preprocessing.image_preprocessing.random_elastic_transform import RandomElasticTransform
from nanokeras.layers.preprocessing.image_preprocessing.random_translation import RandomTranslation
from nanokeras.layers.preprocessing.image_preprocessing.random_zoom import RandomZoom
from nanokeras.layers.preprocessing.image_preprocessing.resizing import Resizing
from nanokeras.layers.regularization.spatial_dropout import SpatialDropout1D, SpatialDropout2D, SpatialDropout3D
from nanokeras.layers.reshaping.cropping import Cropping1D, Cropping2D, Cropping3D
from nanokeras.layers.reshaping.up_sampling import UpSampling1D, UpSampling2D, UpSampling3D
from nanokeras.layers.reshaping.zero_padding import ZeroPadding1D, ZeroPadding2D, ZeroPadding3D
from nanokeras.layers.core.dense import Dense
from nanokeras.layers.core.embedding import Embedding
from nanokeras.layers.core.reversible_embedding import ReversibleEmbedding
from nanokeras.layers.core.masking import Masking
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
from nanokeras.layers.preprocessing.stft_spectrogram import STFTSpectrogram
from nanokeras.layers.preprocessing.mel_spectrogram import MelSpectrogram
from nanokeras.layers.preprocessing.text_vectorization import TextVectorization
from nanokeras.layers.regularization.activity_regularization import ActivityRegularization
from nanokeras.layers.regularization.alpha_dropout import AlphaDropout
from nanokeras.layers.regularization.dropout import Dropout
from nanokeras.layers.regularization.gaussian_dropout import GaussianDropout
from nanokeras.layers.regularization.gaussian_noise import GaussianNoise
from nanokeras.layers.reshaping.flatten import Flatten
from nanokeras.layers.reshaping.permute import Permute
from nanokeras.layers.reshaping.repeat_vector import RepeatVector
from nanokeras.layers.reshaping.reshape import Reshape
from nanokeras.layers.rnn.bidirectional import Bidirectional
from nanokeras.layers.rnn.conv_lstm1d import ConvLSTM1D
from nanokeras.layers.rnn.conv_lstm2d import ConvLSTM2D
from nanokeras.layers.rnn.conv_lstm3d import ConvLSTM3D
from nanokeras.layers.rnn.gru import GRU, GRUCell
from nanokeras.layers.rnn.lstm import LSTM, LSTMCell
from nanokeras.layers.rnn.rnn import RNN
from nanokeras.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from nanokeras.layers.rnn.stacked_rnn_cells import StackedRNNCells
from nanokeras.layers.rnn.time_distributed import TimeDistributed
from nanokeras.layers.core.lambda_layer import Lambda
from nanokeras.layers.merging.base_merge import Merge
from nanokeras.layers.merging.concatenate import Concatenate, concatenate
from nanokeras.layers.merging.dot import Dot, dot
from nanokeras.layers.merging.elementwise import (
    Add, Average, Maximum, Minimum, Multiply, Subtract, add, average, maximum, minimum, multiply, subtract,
)
from nanokeras.layers import experimental  # Keras 2's experimental.preprocessing names

# Keras's other names for the same classes.
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution1DTranspose, Convolution2DTranspose, Convolution3DTranspose = (
    Conv1DTranspose, Conv2DTranspose, Conv3DTranspose)
SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = (
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D)
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D


def serialize(layer):
    """A layer's config as Keras serializes it (`{"module", "class_name", "config", ...}`)."""
    from nanokeras.saving.serialization_lib import serialize_keras_object

    return serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """The layer described by `serialize`'s output (only known or registered classes)."""
    from nanokeras.saving.serialization_lib import deserialize_keras_object

    return deserialize_keras_object(config, custom_objects=custom_objects)


# What `from keras.layers import *` gives: the public names (and Keras 2's `experimental`), never the
# implementation modules (`core`, `rnn`, `activations`, ...), which would clobber the user's names.
__all__ = sorted(
    {_n for _n, _v in globals().items() if not _n.startswith("_") and type(_v).__name__ != "module"} - {"Merge"}
) + ["experimental"]
