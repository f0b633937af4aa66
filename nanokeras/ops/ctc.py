"""Connectionist temporal classification: `ctc_loss` and `ctc_decode` of `keras.ops.nn`.

CTC scores a label sequence against per-step class logits when the alignment
between steps and labels is unknown: a path may repeat a label or emit the
blank class (`mask_index`) between labels, and all paths that collapse to the
labels count. The loss is `-log` of their total probability, computed by the
forward algorithm in log space; its gradient with respect to the logits is
`softmax(logits) - posterior`, from the forward-backward algorithm.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> logits = np.log(np.array([[[0.1, 0.9], [0.9, 0.1]]], "float32"))  # 2 steps, classes (blank, a)
    >>> round(float(ops.ctc_loss(np.array([[1]]), logits, np.array([1]), np.array([2]))[0]), 4)
    0.0943
"""

import numpy as np

from nanokeras.backend.dtypes import result_type
from nanokeras.ops import numpy as ops
from nanokeras.ops.gradient_utils import _recording_tapes, as_recordable, record, to_array, value_of
from nanokeras.ops.op_builders import cast_to, dtype_of, values, without_gradient

__all__ = []
NN_NAMES = ["ctc_loss", "ctc_decode"]


def _log_softmax(x):
    shifted = x - np.max(x, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def _logsumexp(*terms):
    stacked = np.stack(terms)
    top = np.max(stacked, axis=0)
    safe = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.sum(np.exp(stacked - safe), axis=0)) + safe


def _extended(labels, length, blank):
    """The labels with blanks around and between them: blank, l1, blank, l2, ..., blank."""
    out = np.full(2 * labels.shape[0] + 1, blank, np.int64)
    out[1:2 * length:2] = labels[:length]
    return out


def _shifted(values, by):
    """`values` moved `by` places along (later for by > 0, earlier for by < 0), -inf where nothing came."""
    out = np.full_like(values, -np.inf)
    if by > 0:
        out[by:] = values[:-by]
    else:
        out[:by] = values[-by:]
    return out


def _forward_backward(log_probs, labels, label_length, input_length, blank):
    """(loss, gradient of the loss for the logits) of one sequence, in float64."""
    steps, classes = log_probs.shape
    if input_length == 0:
        return (0.0 if label_length == 0 else np.inf), np.zeros((steps, classes))
    extended = _extended(labels, label_length, blank)[:2 * label_length + 1]
    size = extended.shape[0]
    emit = log_probs[:input_length][:, extended]  # (T, S)
    # A path may skip the blank between two labels that differ.
    skip = np.zeros(size, bool)
    skip[2:] = (extended[2:] != blank) & (extended[2:] != extended[:-2])
    alpha = np.full((input_length, size), -np.inf)
    alpha[0, 0] = emit[0, 0]
    if size > 1:
        alpha[0, 1] = emit[0, 1]
    for t in range(1, input_length):
        previous = alpha[t - 1]
        shifted1, shifted2 = _shifted(previous, 1), np.where(skip, _shifted(previous, 2), -np.inf)
        alpha[t] = _logsumexp(previous, shifted1, shifted2) + emit[t]
    beta = np.full((input_length, size), -np.inf)
    beta[-1, -1] = emit[-1, -1]
    if size > 1:
        beta[-1, -2] = emit[-1, -2]
    skip_back = np.zeros(size, bool)
    skip_back[:-2] = skip[2:]
    for t in range(input_length - 2, -1, -1):
        following = beta[t + 1]
        shifted1, shifted2 = _shifted(following, -1), np.where(skip_back, _shifted(following, -2), -np.inf)
        beta[t] = _logsumexp(following, shifted1, shifted2) + emit[t]
    log_likelihood = _logsumexp(alpha[-1, -1], alpha[-1, -2]) if size > 1 else alpha[-1, -1]
    gradient = np.zeros((steps, classes))
    if not np.isfinite(log_likelihood):
        return np.inf, gradient
    occupancy = alpha + beta - emit  # log of (sum over paths through s at t) * p
    posterior = np.full((input_length, classes), -np.inf)
    for s in range(size):
        posterior[:, extended[s]] = _logsumexp(posterior[:, extended[s]], occupancy[:, s])
    gradient[:input_length] = np.exp(log_probs[:input_length]) - np.exp(posterior - log_likelihood)
    return -log_likelihood, gradient


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """The CTC loss of each sequence: `-log p(target | output)`.

    Args:
        target: int labels, (batch, max_label_length), padded after `target_length`.
        output: logits, (batch, max_steps, classes).
        target_length, output_length: the lengths, (batch,).
        mask_index: the blank class.

    Returns:
        The losses, (batch,), in `output`'s float dtype (at least float32).
    """
    labels = np.asarray(value_of(target)).astype(np.int64)
    dtype = np.dtype(result_type(dtype_of(output), "float32"))
    output = cast_to(output, dtype)
    logits = to_array(output)
    if logits.ndim != 3 or labels.ndim != 2 or labels.shape[0] != logits.shape[0]:
        raise ValueError(f"`ctc_loss` needs `target` (batch, labels) and `output` (batch, steps, classes), got "
                         f"shapes {labels.shape} and {logits.shape}.")
    label_lengths = np.asarray(value_of(target_length)).astype(np.int64).reshape(-1)
    input_lengths = np.asarray(value_of(output_length)).astype(np.int64).reshape(-1)
    if (input_lengths > logits.shape[1]).any() or (label_lengths > labels.shape[1]).any():
        raise ValueError("`output_length` and `target_length` cannot exceed the padded lengths of the inputs.")
    gradient = np.zeros(logits.shape)

    def compute():
        # Labels and lengths are read again at each call: a compiled step replays this op on the
        # arrays of every new batch.
        labels = np.asarray(value_of(target)).astype(np.int64)
        label_lengths = np.asarray(value_of(target_length)).astype(np.int64).reshape(-1)
        input_lengths = np.asarray(value_of(output_length)).astype(np.int64).reshape(-1)
        log_probs = _log_softmax(to_array(output).astype(np.float64))
        losses = np.zeros(logits.shape[0])
        for b in range(logits.shape[0]):
            losses[b], gradient[b] = _forward_backward(log_probs[b], labels[b], int(label_lengths[b]),
                                                       int(input_lengths[b]), mask_index)
        return losses.astype(dtype)

    out = compute()
    if not _recording_tapes:
        return out
    out = as_recordable(out)

    def vjp(g):
        # The gradient of the loss is computed with it (first order); it is a constant here.
        return (ops.multiply(ops.reshape(g, (-1, 1, 1)), gradient.astype(dtype)), None, None, None)

    return record(out, (output, target, target_length, output_length), vjp, lambda: np.copyto(out, compute()))


def _greedy(inputs, lengths, merge_repeated, blank):
    batch, steps, _ = inputs.shape
    best = np.argmax(inputs, axis=-1)
    scores = np.max(inputs, axis=-1)
    beyond = np.arange(steps)[None, :] >= lengths[:, None]
    best = np.where(beyond, blank, best)
    scores = np.where(beyond, 0.0, scores)
    if merge_repeated:
        repeated = np.zeros_like(beyond)
        repeated[:, 1:] = best[:, 1:] == best[:, :-1]
        best = np.where(repeated, blank, best)
    decoded = np.full((batch, steps), -1, np.int32)
    for b in range(batch):
        kept = best[b][best[b] != blank]
        decoded[b, :kept.size] = kept
    return decoded[None], (-np.sum(scores, axis=1))[:, None].astype(inputs.dtype)


def _beam_search(inputs, lengths, beam_width, top_paths, blank):
    """CTC prefix beam search: the `top_paths` most probable label sequences and their log probabilities."""
    batch, steps, classes = inputs.shape
    log_probs = _log_softmax(inputs.astype(np.float64))
    decoded = np.full((top_paths, batch, steps), -1, np.int32)
    scores = np.full((batch, top_paths), -np.inf)
    for b in range(batch):
        # prefix -> (log p ending in blank, log p ending in its last label)
        beams = {(): (0.0, -np.inf)}
        for t in range(int(lengths[b])):
            step = log_probs[b, t]
            grown = {}

            def add(prefix, blank_score, label_score):
                old_blank, old_label = grown.get(prefix, (-np.inf, -np.inf))
                grown[prefix] = (np.logaddexp(old_blank, blank_score), np.logaddexp(old_label, label_score))

            for prefix, (p_blank, p_label) in beams.items():
                add(prefix, np.logaddexp(p_blank, p_label) + step[blank], -np.inf)
                for c in range(classes):
                    if c == blank:
                        continue
                    if prefix and prefix[-1] == c:
                        add(prefix + (c,), -np.inf, p_blank + step[c])  # a repeat needs a blank between
                        add(prefix, -np.inf, p_label + step[c])  # the label continued
                    else:
                        add(prefix + (c,), -np.inf, np.logaddexp(p_blank, p_label) + step[c])
            ranked = sorted(grown.items(), key=lambda item: -np.logaddexp(*item[1]))
            beams = dict(ranked[:beam_width])
        ranked = sorted(beams.items(), key=lambda item: -np.logaddexp(*item[1]))[:top_paths]
        for k, (prefix, (p_blank, p_label)) in enumerate(ranked):
            decoded[k, b, :len(prefix)] = prefix
            scores[b, k] = np.logaddexp(p_blank, p_label)
    return decoded, scores.astype(inputs.dtype)


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1, merge_repeated=True,
               mask_index=0):
    """Decodes per-step logits (batch, steps, classes) into label sequences.

    Returns `(decoded, scores)`: `decoded` of shape (top_paths, batch, steps), int32, padded with -1;
    `scores` (batch, top_paths): for "greedy", minus the sum of the chosen logits; for
    "beam_search", the log probability of each sequence.
    """
    if strategy not in ("greedy", "beam_search"):
        raise ValueError(f"Invalid strategy {strategy!r}: use 'greedy' or 'beam_search'.")
    dtype = np.dtype(result_type(dtype_of(inputs), "float32"))
    a = to_array(inputs).astype(dtype)
    if a.ndim != 3:
        raise ValueError(f"`ctc_decode` needs inputs of shape (batch, steps, classes), got {a.shape}.")
    blank = a.shape[-1] - 1 if mask_index is None else int(mask_index)
    lengths = np.asarray(value_of(sequence_lengths)).astype(np.int64).reshape(-1)

    def compute():
        current = values(inputs)[0].astype(dtype)
        if strategy == "greedy":
            return _greedy(current, lengths, merge_repeated, blank)
        return _beam_search(current, lengths, int(beam_width), int(top_paths), blank)

    return without_gradient(compute, (inputs,))
