"""`STFT`: the kernels of a short-time Fourier transform written as a convolution.

A frame of `T` samples convolved with `cos(2 pi t f / F)` (the real side) or
`-sin(2 pi t f / F)` (the imaginary side) gives the Fourier coefficients of the
frame, for the `F // 2 + 1` frequencies up to Nyquist. A window (Hann by default)
tapers each frame, scaled so that its L2 norm (`"density"`) or L1 norm
(`"spectrum"`) is 1, as Keras does.

Example:
    >>> import nanokeras as keras
    >>> kernel = keras.initializers.STFT("real", window=None)((4, 1, 3))
    >>> kernel[:, 0, 0].tolist()  # frequency 0: the frame's sum
    [1.0, 1.0, 1.0, 1.0]
"""

import numpy as np

from nanokeras.initializers.initializer import Initializer
from nanokeras.ops.variable import standardize_dtype

# The windows of scipy.signal.windows that STFT kernels commonly use, by name:
# `symmetric` windows (periodic=False) or periodic ones (one point longer, cut).
_COSINE_SUMS = {
    "hann": (0.5, 0.5),
    "hanning": (0.5, 0.5),
    "hamming": (0.54, 0.46),
    "blackman": (0.42, 0.5, 0.08),
    "nuttall": (0.3635819, 0.4891775, 0.1365995, 0.0106411),
    "blackmanharris": (0.35875, 0.48829, 0.14128, 0.01168),
}
_OTHER = ("boxcar", "rectangular", "ones", "bartlett", "triang")
WINDOWS = tuple(_COSINE_SUMS) + _OTHER


def get_window(name, length, periodic=False):
    """The window `name` of `length` points, as `scipy.signal.get_window(name, length, periodic)`."""
    if name not in WINDOWS:
        try:
            import scipy.signal
        except ImportError:
            raise ValueError(
                f"Unknown window {name!r}: nanokeras knows {sorted(WINDOWS)}; other scipy windows need scipy "
                "(`pip install scipy`)."
            ) from None
        return np.asarray(scipy.signal.get_window(name, length, periodic), dtype=np.float64)
    if length == 1:
        return np.ones(1)
    points = length + 1 if periodic else length
    n = np.arange(points, dtype=np.float64)
    if name in _COSINE_SUMS:
        window = np.zeros(points)
        for k, coefficient in enumerate(_COSINE_SUMS[name]):
            window += (-1) ** k * coefficient * np.cos(2 * np.pi * k * n / (points - 1))
    elif name in ("boxcar", "rectangular", "ones"):
        window = np.ones(points)
    elif name == "bartlett":
        window = 1.0 - np.abs(2.0 * n / (points - 1) - 1.0)
    else:  # triang: a triangle that does not reach zero at the ends
        middle = (points + 1) // 2
        half = np.arange(1, middle + 1, dtype=np.float64)
        half = 2 * half / (points + 1) if points % 2 else (2 * half - 1) / points
        window = np.concatenate([half, half[::-1][points % 2:]])
    return window[:length]


class STFT(Initializer):
    """Convolution kernels computing the real or imaginary part of a windowed Fourier transform.

    Args:
        side: `"real"` (cosines) or `"imag"` (minus sines).
        window: a window name (`"hann"`, `"hamming"`, `"blackman"`, `"bartlett"`, `"boxcar"`,
            ...; other scipy names need scipy), an array of `T` values, or None.
        scaling: `"density"` (window divided by its L2 norm), `"spectrum"` (by its L1 norm) or None.
        periodic: use the periodic form of a named window.

    Called with `shape = (T, 1, F // 2 + 1)`.
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"side should be 'real' or 'imag', not {side}")
        if isinstance(window, str):
            get_window(window, 1)  # an unknown name fails here, not at the first call
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(f"Scaling is invalid, it must be `None`, 'density' or 'spectrum'. Received scaling={scaling}")
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None):
        dtype = standardize_dtype(dtype)
        if len(shape) != 3:
            raise ValueError(f"The STFT initializer needs a shape (frame_length, 1, fft_bins), got {tuple(shape)}.")
        frame_length, _, bins = (int(d) for d in shape)
        window, scale = None, 1.0
        if self.window is not None:
            window = self.window
            if isinstance(window, str):
                window = get_window(window, frame_length, self.periodic)
            window = np.asarray(window, dtype=dtype)
            if window.shape != (frame_length,):
                raise ValueError(f"The shape of `window` must be equal to [frame_length]. Received: window shape="
                                 f"{window.shape}")
            window = window.reshape(frame_length, 1, 1)
            if self.scaling == "density":
                scale = np.sqrt(np.sum(np.square(window)))
            elif self.scaling == "spectrum":
                scale = np.sum(np.abs(window))
        frequency = np.arange(bins, dtype=dtype).reshape(1, 1, bins) / dtype.type((bins - 1) * 2)
        time = np.arange(frame_length, dtype=dtype).reshape(frame_length, 1, 1)
        angle = (dtype.type(-2) * time * frequency) * np.arccos(dtype.type(-1))
        kernel = (np.cos(angle) if self.side == "real" else np.sin(angle)).astype(dtype)
        if window is not None:
            kernel = (kernel * window / scale).astype(dtype)
        return kernel

    def get_config(self):
        window = self.window.tolist() if isinstance(self.window, np.ndarray) else self.window
        return {"side": self.side, "window": window, "periodic": self.periodic, "scaling": self.scaling}
