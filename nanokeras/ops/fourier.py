"""Fourier transforms of `keras.ops`: `fft`, `fft2`, `ifft2`, `rfft`, `irfft`, `stft`, `istft`,
and `extract_sequences` (the frames an STFT transforms).

As in Keras, complex values travel as a pair `(real, imaginary)` of float arrays.
The transforms are linear, so each gradient is the adjoint transform: for
`fft` of length `n`, `n * ifft` of the upstream gradient (taken as
`g_real + 1j * g_imag`). `stft` and `istft` are built from framing, windows,
`rfft`/`irfft` and overlap-add, and are differentiable through them.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> real, imag = ops.rfft(np.array([1.0, 0.0, -1.0, 0.0], "float32"))
    >>> real.tolist(), imag.tolist()
    ([0.0, 2.0, 0.0], [0.0, 0.0, 0.0])
"""

import numpy as np

from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import _recording_tapes, as_recordable, record, to_array
from nanokeras.ops.math import segment_sum
from nanokeras.ops.op_builders import as_float, cast_to

__all__ = []
MATH_NAMES = ["fft", "fft2", "ifft2", "rfft", "irfft", "stft", "istft", "extract_sequences"]


def _complex_pair(x, op):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(f"`{op}` takes `x` as a pair (real, imaginary) of float tensors, got {type(x).__name__}.")
    real, imag = x
    if np.shape(to_array(real)) != np.shape(to_array(imag)):
        raise ValueError(f"`{op}`: the real and imaginary parts need one shape, got {np.shape(to_array(real))} "
                         f"and {np.shape(to_array(imag))}.")
    for part in (real, imag):
        if to_array(part).dtype.kind != "f":
            raise ValueError(f"`{op}`: the real and imaginary parts must be floats, got {to_array(part).dtype}.")
    return real, imag


def _complex_value(real, imag):
    r, i = to_array(real), to_array(imag)
    return r + 1j * i if r.dtype == np.float64 else (r + 1j * i).astype(np.complex64)


def _linear_complex_op(op, x, forward, adjoint):
    """A linear map of complex numbers on (real, imag) pairs: `forward(z)`, whose gradient is `adjoint(g)`."""
    real, imag = _complex_pair(x, op)
    dtype = to_array(real).dtype

    def compute():
        out = forward(_complex_value(real, imag))
        return out.real.astype(dtype), out.imag.astype(dtype)

    out_real, out_imag = compute()
    if not _recording_tapes:
        return out_real, out_imag
    out_real, out_imag = as_recordable(out_real), as_recordable(out_imag)

    def forward_both():
        r, i = compute()
        np.copyto(out_real, r)
        np.copyto(out_imag, i)

    def vjp_of(part):
        def vjp(g):
            g_real, g_imag = (g, ops.zeros_like(to_array(g))) if part == 0 else (ops.zeros_like(to_array(g)), g)
            return adjoint(g_real, g_imag)
        return vjp

    first = record(out_real, (real, imag), vjp_of(0), forward_both)
    second = record(out_imag, (real, imag), vjp_of(1), lambda: None)  # computed by the first node's replay
    return first, second


def _adjoint_pair(transform):
    """The adjoint as a differentiable pair op: (g_real, g_imag) -> (real, imag) of `transform(g)`."""
    def adjoint(g_real, g_imag):
        return _linear_complex_op("fft gradient", (g_real, g_imag), transform[0], transform[1])
    return adjoint


def fft(x):
    """The discrete Fourier transform along the last axis of `x = (real, imag)`; returns `(real, imag)`."""
    n = np.shape(to_array(_complex_pair(x, "fft")[0]))[-1]
    return _linear_complex_op("fft", x, np.fft.fft, _adjoint_pair((lambda z: n * np.fft.ifft(z),
                                                                   lambda g_r, g_i: fft((g_r, g_i)))))


def fft2(x):
    """The 2-D discrete Fourier transform over the last two axes of `x = (real, imag)`."""
    shape = np.shape(to_array(_complex_pair(x, "fft2")[0]))
    size = shape[-1] * shape[-2]
    return _linear_complex_op("fft2", x, np.fft.fft2, _adjoint_pair((lambda z: size * np.fft.ifft2(z),
                                                                     lambda g_r, g_i: fft2((g_r, g_i)))))


def ifft2(x):
    """The inverse 2-D discrete Fourier transform over the last two axes of `x = (real, imag)`."""
    shape = np.shape(to_array(_complex_pair(x, "ifft2")[0]))
    size = shape[-1] * shape[-2]
    return _linear_complex_op("ifft2", x, np.fft.ifft2, _adjoint_pair((lambda z: np.fft.fft2(z) / size,
                                                                       lambda g_r, g_i: ifft2((g_r, g_i)))))


def _fit_length(x, n):
    """`x` cut or zero-padded along its last axis to length `n`."""
    length = np.shape(to_array(x))[-1]
    if length > n:
        return ops.getitem(x, (Ellipsis, slice(0, n)))
    if length < n:
        return ops.pad(x, [(0, 0)] * (np.ndim(to_array(x)) - 1) + [(0, n - length)])
    return x


def rfft(x, fft_length=None):
    """The Fourier transform of a real signal along its last axis (the `fft_length // 2 + 1`
    non-negative frequencies); the signal is cut or zero-padded to `fft_length` first."""
    x = as_float(x)
    n = np.shape(to_array(x))[-1] if fft_length is None else int(fft_length)
    x = _fit_length(x, n)
    a = to_array(x)
    dtype = a.dtype

    def compute():
        out = np.fft.rfft(a, n=n, axis=-1)
        return out.real.astype(dtype), out.imag.astype(dtype)

    real, imag = compute()
    if not _recording_tapes:
        return real, imag
    real, imag = as_recordable(real), as_recordable(imag)

    def forward():
        r, i = compute()
        np.copyto(real, r)
        np.copyto(imag, i)

    def vjp_of(part):
        def vjp(g):
            zeros = ops.zeros_like(to_array(g))
            g_real, g_imag = (g, zeros) if part == 0 else (zeros, g)
            # Re(n * ifft(g padded to n)): the adjoint of taking the non-negative frequencies.
            padded = (_fit_length(g_real, n), _fit_length(g_imag, n))
            full_real, _ = _linear_complex_op("rfft gradient", padded, lambda z: n * np.fft.ifft(z),
                                              _adjoint_pair((np.fft.fft, lambda r, i: fft((r, i)))))
            return (full_real,)
        return vjp

    return record(real, (x,), vjp_of(0), forward), record(imag, (x,), vjp_of(1), lambda: None)


def irfft(x, fft_length=None):
    """The real signal (length `fft_length`, by default `2 * (m - 1)`) whose `rfft` is `x = (real, imag)`."""
    real, imag = _complex_pair(x, "irfft")
    m = np.shape(to_array(real))[-1]
    n = 2 * (m - 1) if fft_length is None else int(fft_length)
    bins = n // 2 + 1
    real, imag = _fit_length(real, bins), _fit_length(imag, bins)
    dtype = to_array(real).dtype

    def compute():
        return np.fft.irfft(_complex_value(real, imag), n=n, axis=-1).astype(dtype)

    out = compute()
    if not _recording_tapes:
        return out
    out = as_recordable(out)
    # Bins counted twice by the Hermitian symmetry get twice the gradient: all but 0 and n/2.
    counted = np.full(bins, 2.0, dtype)
    counted[0] = 1.0
    if n % 2 == 0:
        counted[-1] = 1.0
    counted /= n

    def vjp(g):
        g_real, g_imag = rfft(g, n)
        return ops.multiply(g_real, counted), ops.multiply(g_imag, counted)

    return record(out, (real, imag), vjp, lambda: np.copyto(out, compute()))


def extract_sequences(x, sequence_length, sequence_stride):
    """The frames of length `sequence_length`, `sequence_stride` apart, along the last axis:
    shape `(..., frames, sequence_length)`."""
    length = np.shape(to_array(x))[-1]
    if sequence_length < 1 or sequence_stride < 1:
        raise ValueError(f"`sequence_length` and `sequence_stride` must be positive, got {sequence_length} and "
                         f"{sequence_stride}.")
    frames = max((length - sequence_length) // sequence_stride + 1, 0)
    positions = np.arange(frames)[:, None] * sequence_stride + np.arange(sequence_length)[None, :]
    batch = np.shape(to_array(x))[:-1]
    flat = ops.reshape(x, (-1, length))
    out = ops.take(flat, positions, axis=1)
    return ops.reshape(out, batch + (frames, sequence_length))


def _window(window, sequence_length, fft_length, dtype):
    if window is None:
        values = np.ones(sequence_length)
    elif isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f"`window` must be 'hann', 'hamming', an array or None, got {window!r}.")
        k = np.arange(sequence_length)
        # The periodic windows (scipy's `get_window`), as Keras uses them.
        cosine = np.cos(2 * np.pi * k / sequence_length)
        values = 0.5 - 0.5 * cosine if window == "hann" else 0.54 - 0.46 * cosine
    else:
        values = np.asarray(to_array(window), np.float64)
        if values.shape != (sequence_length,):
            raise ValueError(f"The shape of `window` must be ({sequence_length},), got {values.shape}.")
    left = (fft_length - sequence_length) // 2
    return np.pad(values, (left, fft_length - sequence_length - left)).astype(dtype)


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """The short-time Fourier transform of real signals along the last axis: `(real, imag)` of shape
    `(..., frames, fft_length // 2 + 1)`.

    Frames of `sequence_length` samples, `sequence_stride` apart, are windowed and
    transformed; with `center`, the signal is first padded (reflecting) by
    `fft_length // 2` on both sides.
    """
    dtype = to_array(x).dtype
    if dtype not in (np.float32, np.float64):
        raise TypeError(f"`stft` needs a float32 or float64 input, got {dtype}.")
    if fft_length < sequence_length:
        raise ValueError(f"`fft_length` ({fft_length}) must be at least `sequence_length` ({sequence_length}).")
    win = _window(window, sequence_length, fft_length, dtype)
    if center:
        x = ops.pad(x, [(0, 0)] * (np.ndim(to_array(x)) - 1) + [(fft_length // 2, fft_length // 2)], mode="reflect")
    frames = extract_sequences(x, fft_length, sequence_stride)
    return rfft(ops.multiply(frames, win), fft_length)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """The signal whose `stft` (with the same arguments) is `x = (real, imag)`: inverse transforms of
    the frames, windowed and overlap-added, normalized by the overlapping squared windows.

    With `window=None` (a rectangular window) this inverts `stft` exactly too; Keras 3 scales
    that case differently (its result does not give the signal back).
    """
    real, imag = _complex_pair(x, "istft")
    shape = np.shape(to_array(real))
    if len(shape) < 2:
        raise ValueError(f"`istft` needs an input of at least 2 dimensions (frames, bins), got shape {shape}.")
    dtype = to_array(real).dtype
    win = _window(window, sequence_length, fft_length, dtype)
    frames = shape[-2]
    total = fft_length + sequence_stride * (frames - 1)
    signal_frames = ops.multiply(irfft((real, imag), fft_length), win)
    # Overlap-add: each frame's samples are summed into their positions of the signal.
    batch = shape[:-2]
    batch_size = int(np.prod(batch, dtype=np.int64))
    positions = (np.arange(frames)[:, None] * sequence_stride + np.arange(fft_length)[None, :]).ravel()
    segment_ids = (np.arange(batch_size)[:, None] * total + positions[None, :]).ravel()
    flat = ops.reshape(signal_frames, (-1,))
    signal = ops.reshape(segment_sum(flat, segment_ids, num_segments=batch_size * total), batch + (total,))
    squares = np.zeros(total, np.float64)
    np.add.at(squares, positions, np.tile(np.asarray(win, np.float64) ** 2, frames))
    scale = np.where(squares > 1e-10, 1.0 / np.where(squares > 1e-10, squares, 1.0), 1.0)
    signal = ops.multiply(signal, scale.astype(dtype))
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    elif center:
        end = total - fft_length // 2
    else:
        end = total
    return ops.getitem(signal, (Ellipsis, slice(start, end)))
