"""`MelSpectrogram`: audio signals to mel-scaled spectrograms, optionally in decibels.

The magnitudes of `ops.stft` (centred frames), raised to `mag_exp`, are summed into
`num_mel_bins` triangular bands evenly spaced on the mel scale (the HTK formula
`mel(f) = 1127 ln(1 + f / 700)`, each triangle peaking at 1, the DC bin left out, as
Keras does), then turned into decibels relative to `ref_power` and cut `top_db` below
the largest value of the whole batch. Every step is a differentiable op.
"""

import numbers

import numpy as np

from nanokeras.layers.layer import Layer
from nanokeras.ops import numpy as ops
from nanokeras.ops.core import cast
from nanokeras.ops.fourier import stft
from nanokeras.ops.gradient_utils import to_array

_MEL_BREAK_HZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(hertz):
    return _MEL_HIGH_FREQUENCY_Q * np.log(1.0 + hertz / _MEL_BREAK_HZ)


def _check_number(value, argument, positive=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or (positive and not value > 0):
        kind = "a positive number" if positive else "a number"
        raise ValueError(f"MelSpectrogram: `{argument}` must be {kind}, got {argument}={value!r}.")


def _check_int(value, argument, allow_none=False):
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"MelSpectrogram: `{argument}` must be a positive integer{' or None' if allow_none else ''}, "
                         f"got {argument}={value!r}.")


class MelSpectrogram(Layer):
    """Mel spectrograms of signals `(samples,)` or `(batch, samples)`: shape `(..., num_mel_bins, frames)`.

    Args:
        fft_length: the FFT's length (2048).
        sequence_stride: samples between frames (512).
        sequence_length: samples per windowed frame, at most `fft_length` (default `fft_length`).
        window: `"hann"`, `"hamming"`, an array of `sequence_length` values, or None.
        sampling_rate: the signal's samples per second (16000).
        num_mel_bins: the number of mel bands (128).
        min_freq, max_freq: the bands' lowest and highest frequency in Hz (20, default
            `int(sampling_rate / 2)`).
        power_to_db: give `10 log10(power / ref_power)`, cut at `top_db` below the batch's largest value.
        top_db: that cut, in decibels (80).
        mag_exp: the exponent of the magnitudes (2: power, 1: magnitude).
        min_power: the smallest power (and `ref_power`) taken before the logarithm (1e-10).
        ref_power: the power that is 0 dB (1.0).

    A signal of `n` samples gives `1 + n // sequence_stride` frames (frames are centred, the
    signal reflected at its ends).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> layer = keras.layers.MelSpectrogram(fft_length=256, sequence_stride=128, num_mel_bins=16)
        >>> layer(np.zeros((2, 1024), "float32")).shape
        (2, 16, 9)
    """

    _replayable = True

    def __init__(self, fft_length=2048, sequence_stride=512, sequence_length=None, window="hann", sampling_rate=16000,
                 num_mel_bins=128, min_freq=20.0, max_freq=None, power_to_db=True, top_db=80.0, mag_exp=2.0,
                 min_power=1e-10, ref_power=1.0, **kwargs):
        _check_int(fft_length, "fft_length")
        _check_int(sequence_stride, "sequence_stride")
        _check_int(sequence_length, "sequence_length", allow_none=True)
        _check_int(num_mel_bins, "num_mel_bins")
        _check_number(sampling_rate, "sampling_rate", positive=True)
        _check_number(min_freq, "min_freq")
        if max_freq is not None:
            _check_number(max_freq, "max_freq")
        _check_number(top_db, "top_db")
        _check_number(mag_exp, "mag_exp")
        _check_number(min_power, "min_power", positive=True)
        _check_number(ref_power, "ref_power")
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError("`fft_length` must be greater than or equal to `sequence_length`. Received: "
                             f"`sequence_length`={self.sequence_length}, `fft_length`={self.fft_length}.")
        if isinstance(window, str):
            if window not in ("hann", "hamming"):
                raise ValueError(f"MelSpectrogram: `window` must be 'hann', 'hamming', an array of "
                                 f"`sequence_length` values or None, got window={window!r}.")
        elif window is not None:
            shape = np.shape(to_array(window))
            if shape != (self.sequence_length,):
                raise ValueError(f"MelSpectrogram: an array `window` must have shape ({self.sequence_length},) "
                                 f"(`sequence_length`), got shape {shape}.")
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        if not 0 <= self.min_freq < self.max_freq:
            raise ValueError(f"MelSpectrogram: `min_freq` must be at least 0 and below `max_freq`, got "
                             f"min_freq={self.min_freq}, max_freq={self.max_freq}.")
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power
        super().__init__(**kwargs)
        self.built = True

    def call(self, inputs):
        dtype = self.compute_dtype if self.compute_dtype in ("float32", "float64") else "float32"
        signal = cast(inputs, dtype)
        if np.ndim(to_array(signal)) not in (1, 2):
            raise ValueError(f"MelSpectrogram {self.name!r} expects signals of shape (samples,) or (batch, samples), "
                             f"got shape {np.shape(to_array(signal))}.")
        if np.shape(to_array(signal))[-1] == 0:
            raise ValueError(f"MelSpectrogram {self.name!r}: the signal has no samples (input shape "
                             f"{np.shape(to_array(signal))}).")
        window = self.window if self.window is None or isinstance(self.window, str) else \
            np.asarray(to_array(self.window))
        real, imag = stft(signal, self.sequence_length, self.sequence_stride, self.fft_length, window=window,
                          center=True)
        magnitude = ops.sqrt(ops.add(ops.square(real), ops.square(imag)))
        spectrum = ops.power(magnitude, np.asarray(self.mag_exp, dtype))
        matrix = self.linear_to_mel_weight_matrix(self.num_mel_bins, np.shape(to_array(spectrum))[-1],
                                                  self.sampling_rate, self.min_freq, self.max_freq)
        outputs = ops.tensordot(spectrum, matrix.astype(dtype), axes=1)
        if self.power_to_db:
            outputs = self._decibels(outputs, dtype)
        return cast(ops.swapaxes(outputs, -1, -2), self.compute_dtype)

    def _decibels(self, power, dtype):
        ten = np.asarray(10.0, dtype)
        decibels = ops.multiply(ten, ops.log10(ops.maximum(power, np.asarray(self.min_power, dtype))))
        reference = np.maximum(np.abs(np.asarray(self.ref_power, dtype)), np.asarray(self.min_power, dtype))
        decibels = ops.subtract(decibels, ten * np.log10(reference))
        return ops.maximum(decibels, ops.subtract(ops.max(decibels), np.asarray(self.top_db, dtype)))

    def linear_to_mel_weight_matrix(self, num_mel_bins=20, num_spectrogram_bins=129, sampling_rate=8000,
                                    lower_edge_hertz=125.0, upper_edge_hertz=3800.0, dtype="float32"):
        """The `(num_spectrogram_bins, num_mel_bins)` matrix that sums linear-frequency bins (0 to
        `sampling_rate / 2`) into triangular mel bands between the two edges (HTK's mel scale)."""
        dtype = np.dtype(dtype)
        one = dtype.type
        frequencies = np.linspace(one(0), one(sampling_rate) / one(2), int(num_spectrogram_bins), dtype=dtype)[1:]
        bins_mel = _hertz_to_mel(frequencies).astype(dtype)[:, None]
        edges = np.linspace(_hertz_to_mel(one(lower_edge_hertz)), _hertz_to_mel(one(upper_edge_hertz)),
                            num_mel_bins + 2, dtype=dtype)
        lower, center, upper = edges[None, :-2], edges[None, 1:-1], edges[None, 2:]
        rising = (bins_mel - lower) / (center - lower)
        falling = (upper - bins_mel) / (upper - center)
        weights = np.maximum(one(0), np.minimum(rising, falling))
        return np.pad(weights, [(1, 0), (0, 0)]).astype(dtype)  # the DC bin has no band

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        samples = input_shape[-1]
        # Keras's count, one more than the frames computed when `samples + 1` is a multiple of the stride.
        frames = None if samples is None else (samples + self.sequence_stride + 1) // self.sequence_stride
        return (self.num_mel_bins, frames) if len(input_shape) == 1 else (input_shape[0], self.num_mel_bins, frames)

    def get_config(self):
        config = super().get_config()
        window = self.window if self.window is None or isinstance(self.window, (str, list)) else \
            np.asarray(to_array(self.window)).tolist()
        config.update({"fft_length": self.fft_length, "sequence_stride": self.sequence_stride,
                       "sequence_length": self.sequence_length, "window": window,
                       "sampling_rate": self.sampling_rate, "num_mel_bins": self.num_mel_bins,
                       "min_freq": self.min_freq, "max_freq": self.max_freq, "power_to_db": self.power_to_db,
                       "top_db": self.top_db, "mag_exp": self.mag_exp, "min_power": self.min_power,
                       "ref_power": self.ref_power})
        return config
