"""`STFTSpectrogram`: spectrograms of 1-D signals, the short-time Fourier transform written as a
strided convolution (as Keras computes it).

Each channel of the signal is convolved, `frame_step` samples apart, with two kernels
of `frame_length` taps: the windowed cosines (real part) and minus sines (imaginary
part) of the `fft_length // 2 + 1` frequencies up to Nyquist (`keras.initializers.STFT`).
The kernels are weights, trainable by default, so a model can fine-tune them; gradients
flow through the convolution and the output's mode (log, magnitude, power, phase).
"""

import math
import numbers
import warnings

import numpy as np

from nanokeras.initializers.stft_initializer import STFT, get_window
from nanokeras.layers.input_spec import InputSpec
from nanokeras.layers.layer import Layer
from nanokeras.backend import epsilon
from nanokeras.ops import numpy as ops
from nanokeras.ops.convolution import conv
from nanokeras.ops.convolution_geometry import data_format_of
from nanokeras.ops.core import cast
from nanokeras.ops.gradient_utils import to_array

MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


def _positive_int(value, argument, allow_none=False):
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"STFTSpectrogram: `{argument}` must be a positive integer{' or None' if allow_none else ''}, "
                         f"got {argument}={value!r}.")


class STFTSpectrogram(Layer):
    """Spectrograms of signals `(batch, time, channels)` (or `(batch, channels, time)`), each channel
    transformed on its own.

    Args:
        mode: the output: `"log"` (log of the magnitude, default), `"magnitude"`, `"psd"` (power, the
            interior bins doubled for the mirrored negative frequencies), `"real"`, `"imag"`,
            `"angle"` (phase), or `"stft"` (real and imaginary parts side by side).
        frame_length: samples per frame (the kernels' size), 256 by default.
        frame_step: samples between frames (default `frame_length // 2`), at most `frame_length`.
        fft_length: the transform's length, at least `frame_length` (default: the next power of two).
        window: a window name (`"hann"`, `"hamming"`, ...), an array of `frame_length` values, or None.
        periodic: use the periodic form of a named window (default: symmetric).
        scaling: divide the window by its L2 norm (`"density"`), its L1 norm (`"spectrum"`), or None.
        padding: `"valid"` or `"same"` (frames past the ends are zero-padded).
        expand_dims: give `(batch, frames, bins, channels)` (channels last) instead of folding the
            channels into the bins axis.
        data_format: `"channels_last"` or `"channels_first"` (default `keras.config.image_data_format()`).

    Output shape (channels last): `(batch, frames, channels * bins)`, or with `expand_dims`
    `(batch, frames, bins, channels)`; `bins = fft_length // 2 + 1` (twice that for `"stft"`).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.STFTSpectrogram(mode="magnitude", frame_length=16, frame_step=8)
        >>> layer(np.zeros((2, 64, 1), "float32")).shape
        (2, 7, 9)
    """

    _replayable = True
    _keeps_integer_inputs = True  # integer signals are rejected, as Keras does, not silently cast

    def __init__(self, mode="log", frame_length=256, frame_step=None, fft_length=None, window="hann",
                 periodic=False, scaling="density", padding="valid", expand_dims=False, data_format=None, **kwargs):
        _positive_int(frame_length, "frame_length")
        _positive_int(frame_step, "frame_step", allow_none=True)
        _positive_int(fft_length, "fft_length", allow_none=True)
        if frame_step is not None and frame_step > frame_length:
            raise ValueError("`frame_step` should be a positive integer not greater than `frame_length`. "
                             f"Received frame_step={frame_step}, frame_length={frame_length}")
        if fft_length is not None and fft_length < frame_length:
            raise ValueError("`fft_length` should be not less than `frame_length`. "
                             f"Received fft_length={fft_length}, frame_length={frame_length}")
        if fft_length is not None and fft_length & (fft_length - 1):
            warnings.warn(f"`fft_length` is recommended to be a power of two. Received fft_length={fft_length}",
                          stacklevel=2)
        if mode not in MODES:
            raise ValueError(f"Output mode is invalid, it must be one of {', '.join(MODES)}. Received: mode={mode!r}")
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError("Scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                             f"Received scaling={scaling!r}")
        if padding not in ("valid", "same"):
            raise ValueError(f"Padding is invalid, it should be 'valid', 'same'. Received: padding={padding!r}")
        if isinstance(window, str):
            get_window(window, 1)  # an unknown name fails now, not at build
        elif window is not None:
            values = np.asarray(to_array(window))
            if values.shape != (frame_length,) or values.dtype.kind not in "fiu":
                raise ValueError(f"STFTSpectrogram: `window` must be a window name, None, or {frame_length} numbers "
                                 f"(`frame_length`), got an array of shape {values.shape} and dtype {values.dtype}.")
        data_format = data_format_of(data_format, "STFTSpectrogram")
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = int(frame_length)
        self.frame_step = frame_step
        self._frame_step = int(frame_step or self.frame_length // 2)
        if self._frame_step < 1:
            raise ValueError(f"STFTSpectrogram: the default `frame_step` (`frame_length // 2`) is 0 for "
                             f"frame_length={frame_length}; give frame_step=1.")
        self.fft_length = fft_length
        self._fft_length = int(fft_length or 2 ** int(math.ceil(math.log2(frame_length))))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = data_format
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        if self.mode != "imag":
            self.real_kernel = self.add_weight(name="real_kernel", shape=shape,
                                               initializer=STFT("real", self.window, self.scaling, self.periodic))
        if self.mode != "real":
            self.imag_kernel = self.add_weight(name="imag_kernel", shape=shape,
                                               initializer=STFT("imag", self.window, self.scaling, self.periodic))
        self.built = True

    def _convolve(self, inputs, kernel):
        """`(batch, channels, bins, frames)`: each channel convolved with `kernel` on its own."""
        shape = np.shape(to_array(inputs))
        if self.data_format == "channels_last":
            _, time, channels = shape
            signals = ops.reshape(ops.transpose(inputs, (0, 2, 1)), (-1, time, 1))
        else:
            _, channels, time = shape
            signals = ops.reshape(inputs, (-1, 1, time))
        out = conv(signals, cast(kernel, to_array(inputs).dtype), strides=self._frame_step, padding=self.padding,
                   data_format=self.data_format)
        if self.data_format == "channels_last":
            out = ops.transpose(out, (0, 2, 1))
        bins, frames = np.shape(to_array(out))[1:]
        return ops.reshape(out, (-1, channels, bins, frames))

    def _arrange(self, outputs):
        """`(batch, channels, bins, frames)` laid out as the layer's output (see the class docstring)."""
        _, channels, bins, frames = np.shape(to_array(outputs))
        if self.expand_dims:
            return ops.transpose(outputs, (0, 3, 2, 1) if self.data_format == "channels_last" else (0, 1, 3, 2))
        outputs = ops.reshape(outputs, (-1, channels * bins, frames))
        return ops.transpose(outputs, (0, 2, 1)) if self.data_format == "channels_last" else outputs

    def call(self, inputs):
        dtype = to_array(inputs).dtype
        if dtype not in (np.float16, np.float32, np.float64):
            raise TypeError(f"Invalid input type. Expected `float16`, `float32` or `float64`. Received: input "
                            f"type={dtype}")
        time = np.shape(to_array(inputs))[1 if self.data_format == "channels_last" else 2]
        if self.padding == "valid" and time < self.frame_length:
            raise ValueError(f"STFTSpectrogram {self.name!r}: with padding='valid' the signal needs at least "
                             f"`frame_length` ({self.frame_length}) samples, got {time} (input shape "
                             f"{np.shape(to_array(inputs))}).")
        real = self._convolve(inputs, self.real_kernel) if self.mode != "imag" else None
        imag = self._convolve(inputs, self.imag_kernel) if self.mode != "real" else None
        if self.mode == "real":
            return self._arrange(real)
        if self.mode == "imag":
            return self._arrange(imag)
        if self.mode == "angle":
            return self._arrange(ops.arctan2(imag, real))
        if self.mode == "stft":
            return self._arrange(ops.concatenate([real, imag], axis=2))
        power = ops.add(ops.square(real), ops.square(imag))
        if self.mode == "psd":
            # The bins strictly between 0 and Nyquist also stand for their negative frequencies.
            interior = ops.pad(ops.getitem(power, (slice(None), slice(None), slice(1, -1))),
                               [(0, 0), (0, 0), (1, 1), (0, 0)])
            return self._arrange(ops.add(power, interior))
        magnitude = self._arrange(ops.sqrt(ops.maximum(power, epsilon())))
        if self.mode == "magnitude":
            return magnitude
        return ops.log(ops.maximum(magnitude, epsilon()))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise ValueError(f"STFTSpectrogram {self.name!r} expects inputs of rank 3 (batch, time, channels), got "
                             f"shape {input_shape}.")
        channels_last = self.data_format == "channels_last"
        channels = input_shape[2] if channels_last else input_shape[1]
        time = input_shape[1] if channels_last else input_shape[2]
        bins = (self._fft_length // 2 + 1) * (2 if self.mode == "stft" else 1)
        if time is None:
            frames = None
        elif self.padding == "same":
            frames = -(-time // self._frame_step)
        else:
            frames = (time - self.frame_length) // self._frame_step + 1
        if self.expand_dims:
            return (input_shape[0], frames, bins, channels) if channels_last else (input_shape[0], channels, frames, bins)
        folded = None if channels is None else channels * bins
        return (input_shape[0], frames, folded) if channels_last else (input_shape[0], folded, frames)

    def get_config(self):
        config = super().get_config()
        window = self.window
        if not isinstance(window, (str, type(None), list)):
            window = np.asarray(to_array(window)).tolist()
        config.update({"mode": self.mode, "frame_length": self.frame_length, "frame_step": self.frame_step,
                       "fft_length": self.fft_length, "window": window, "periodic": self.periodic,
                       "scaling": self.scaling, "padding": self.padding, "data_format": self.data_format,
                       "expand_dims": self.expand_dims})
        return config
