"""Counting true/false positives/negatives at several thresholds (numpy, as Keras counts).

`update_confusion_counts` adds one batch's counts to the given variables. It
takes Keras's two routes: evenly spaced thresholds (e.g. AUC's 200) use a
bucket histogram; any other thresholds compare every prediction with every
threshold. Predictions count as positive when strictly above a threshold.
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.metrics._utils import as_float, squeeze_or_expand

NEG_INF = -1e10


def check_thresholds(thresholds, default):
    """`thresholds` as a list of floats in [0, 1] (`[default]` when None)."""
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [thresholds]
    bad = [t for t in values if t is None or not 0 <= t <= 1]
    if bad:
        raise ValueError(
            f"`thresholds` must be numbers in [0, 1], got invalid values {bad}. "
            "Pass e.g. thresholds=0.5 or thresholds=[0.3, 0.5, 0.7]."
        )
    return [float(t) for t in values]


def evenly_distributed(thresholds):
    """True for `[0, 1/(n-1), ..., 1]` with n >= 3 (up to epsilon)."""
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(thresholds, even, atol=config.epsilon()))


def filter_top_k(x, k):
    """`x` with everything but the `k` largest entries of the last axis set to NEG_INF."""
    order = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    mask = np.zeros(x.shape, dtype=x.dtype)
    np.put_along_axis(mask, order, 1, axis=-1)
    return x * mask + NEG_INF * (1 - mask)


def update_confusion_counts(variables, y_true, y_pred, thresholds, evenly=False,
                            top_k=None, class_id=None, sample_weight=None,
                            multi_label=False, label_weights=None):
    """Adds this batch's counts to `variables`, a dict from "tp"/"fp"/"tn"/"fn" to Variables."""
    dtype = next(iter(variables.values())).value.dtype
    y_true = as_float(y_true, dtype)
    y_pred = as_float(y_pred, dtype)
    y_pred, y_true = squeeze_or_expand(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = as_float(sample_weight, dtype)[..., None]
        _, sample_weight = squeeze_or_expand(y_true, sample_weight, expand_rank_1=False)
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim == 1:
            raise ValueError(
                "With `class_id`, y_pred must have shape (num_samples, num_classes), "
                f"got shape {y_pred.shape}."
            )
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
    if y_true.shape != y_pred.shape:
        try:
            y_true = np.broadcast_to(y_true, y_pred.shape)
        except ValueError:
            raise ValueError(
                f"y_true of shape {y_true.shape} does not match y_pred of shape {y_pred.shape}. "
                "Confusion metrics expect one label per prediction."
            ) from None
    weights = None
    if sample_weight is not None:
        try:
            weights = np.broadcast_to(sample_weight, y_pred.shape)
        except ValueError:
            raise ValueError(
                f"`sample_weight` of shape {np.shape(sample_weight)} cannot be broadcast to "
                f"y_pred of shape {y_pred.shape}. Pass one weight per sample."
            ) from None
    if label_weights is not None:
        lw = np.broadcast_to(np.asarray(label_weights, dtype)[None], y_pred.shape)
        weights = lw if weights is None else weights * lw
    thresholds = np.asarray(thresholds, dtype=dtype)
    if evenly:
        with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
        counts = _bucketed(y_true, y_pred, weights, len(thresholds), with_epsilon, multi_label)
    else:
        counts = _compared(y_true, y_pred, weights, thresholds, multi_label, variables)
    for kind, variable in variables.items():
        variable.value += counts[kind].astype(dtype, copy=False)


def _bucketed(y_true, y_pred, weights, num_thresholds, with_epsilon, multi_label):
    """Counts via a histogram of bucket indices (thresholds `i / (n - 1)`)."""
    dtype = y_pred.dtype
    y_pred = np.clip(y_pred, np.asarray(0, dtype), np.asarray(1, dtype))
    y_true = (y_true != 0).astype(dtype)
    if weights is None:
        weights = np.ones((), dtype)
    true_labels = y_true * weights
    false_labels = (np.asarray(1, dtype) - y_true) * weights
    true_labels = np.broadcast_to(true_labels, y_pred.shape)
    false_labels = np.broadcast_to(false_labels, y_pred.shape)
    # A prediction p is above threshold i exactly when i <= ceil(p * (n - 1)) - 1.
    buckets = np.ceil(y_pred * np.asarray(num_thresholds - 1, dtype)) - 1
    if with_epsilon:
        buckets = np.maximum(buckets, 0)  # every p in [0, 1] is above -epsilon
    buckets = buckets.astype(np.int64)
    if multi_label:
        num_labels = y_pred.shape[-1]
        buckets = buckets.reshape(-1, num_labels)
        true_labels = true_labels.reshape(-1, num_labels)
        false_labels = false_labels.reshape(-1, num_labels)
        valid = buckets >= 0
        # One histogram per label: offset each label's buckets into its own block.
        flat = (buckets + np.arange(num_labels) * num_thresholds)[valid]
        size = num_thresholds * num_labels
        tp_hist = np.bincount(flat, true_labels[valid], size).reshape(num_labels, num_thresholds).T
        fp_hist = np.bincount(flat, false_labels[valid], size).reshape(num_labels, num_thresholds).T
        total_true = true_labels.sum(axis=0, dtype=np.float64)
        total_false = false_labels.sum(axis=0, dtype=np.float64)
    else:
        buckets = buckets.reshape(-1)
        true_labels = true_labels.reshape(-1)
        false_labels = false_labels.reshape(-1)
        valid = buckets >= 0  # p == 0 is above no threshold when thresholds start at 0
        tp_hist = np.bincount(buckets[valid], true_labels[valid], num_thresholds)
        fp_hist = np.bincount(buckets[valid], false_labels[valid], num_thresholds)
        total_true = true_labels.sum(dtype=np.float64)
        total_false = false_labels.sum(dtype=np.float64)
    tp = np.cumsum(tp_hist[::-1], axis=0)[::-1]
    fp = np.cumsum(fp_hist[::-1], axis=0)[::-1]
    return {"tp": tp, "fp": fp, "tn": total_false - fp, "fn": total_true - tp}


def _compared(y_true, y_pred, weights, thresholds, multi_label, kinds):
    """Counts by comparing every prediction with every threshold."""
    dtype = y_pred.dtype
    if multi_label:
        preds = y_pred.reshape(-1, y_pred.shape[-1])[None]
        labels = (y_true != 0).reshape(-1, y_pred.shape[-1])[None]
        above = preds > thresholds[:, None, None]
        w = None if weights is None else weights.reshape(-1, y_pred.shape[-1])[None]
    else:
        preds = y_pred.reshape(1, -1)
        labels = (y_true != 0).reshape(1, -1)
        above = preds > thresholds[:, None]
        w = None if weights is None else weights.reshape(1, -1)
    below = ~above
    negatives = ~labels

    def count(label_mask, pred_mask):
        hit = label_mask & pred_mask
        if w is None:
            return hit.sum(axis=1).astype(dtype)
        return np.where(hit, w, np.zeros((), dtype)).sum(axis=1, dtype=dtype)

    masks = {"tp": (labels, above), "fp": (negatives, above),
             "tn": (negatives, below), "fn": (labels, below)}
    return {kind: count(*masks[kind]) for kind in kinds}
