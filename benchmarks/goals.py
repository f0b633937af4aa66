"""The performance issue's targets, checked against the medians of a run.

Each goal prints as `met` / `NOT met` with the measured ratio, or `not measured` when
the run lacks a number it needs (a peer not installed, a workload left out).
"""

KERAS_PEERS = ("keras-jax", "keras-tensorflow", "keras-torch")
NAMES = {"keras-jax": "Keras/JAX", "keras-tensorflow": "Keras/TF", "keras-torch": "Keras/torch",
         "torch": "PyTorch"}


def _speedup(med, key, peer):
    """peer time / nanokeras time (> 1: nanokeras faster), or None."""
    if (key, "nanokeras") in med and (key, peer) in med:
        return med[(key, peer)] / med[(key, "nanokeras")]
    return None


def _share(med, key, peer):
    """nanokeras value / peer value, or None."""
    if (key, "nanokeras") in med and (key, peer) in med:
        return med[(key, "nanokeras")] / med[(key, peer)]
    return None


def _line(title, ratio, ok, detail):
    if ratio is None:
        return "%s: **not measured**" % title
    return "%s: **%s** (%s)" % (title, "met" if ok else "NOT met", detail)


def evaluate_goals(med):
    lines = []
    for peer, target in (("keras-jax", 6), ("torch", 4), ("keras-tensorflow", 50)):
        r = _speedup(med, "step_us", peer)
        lines.append(_line("(a) tutorial step ≥ %d× faster than %s" % (target, NAMES[peer]), r,
                           r is not None and r >= target, r is not None and "%.2f×" % r))
    for key, what, target in (("train_sps", "training", 0.9), ("predict_sps", "predict", 0.8)):
        r = _share(med, key, "torch")
        lines.append(_line("(b) MLP %s ≥ %.1f× PyTorch's samples/s" % (what, target), r,
                           r is not None and r >= target, r is not None and "%.2f×" % r))
        ratios = [(peer, _share(med, key, peer)) for peer in KERAS_PEERS]
        ratios = [(peer, r) for peer, r in ratios if r is not None]
        detail = ", ".join("%.2f× %s" % (r, NAMES[peer]) for peer, r in ratios)
        missing = [NAMES[p] for p in KERAS_PEERS if p not in dict(ratios)]
        if ratios and missing:
            detail += "; %s not measured" % ", ".join(missing)
        lines.append(_line("(b) MLP %s ahead of Keras on every backend" % what, ratios or None,
                           all(r > 1 for _, r in ratios), detail))
    seconds = med.get(("import_s", "nanokeras"))
    lines.append(_line("(c) `import nanokeras` ≤ 0.2 s", seconds, seconds is not None and seconds <= 0.2,
                       seconds is not None and "%.3f s" % seconds))
    r = _share(med, "lstm_train_sps", "torch")
    lines.append(_line("(f) LSTM text training ≥ 1× PyTorch's samples/s", r, r is not None and r >= 1,
                       r is not None and "%.2f×" % r))
    r = _share(med, "lstm_train_sps", "keras-jax")
    lines.append(_line("(f) LSTM text training ≥ 0.5× Keras/JAX's samples/s", r, r is not None and r >= 0.5,
                       r is not None and "%.2f×" % r))
    r = _share(med, "tv_sentences_per_s", "keras-tensorflow")
    lines.append(_line("(g) TextVectorization adapt + call ≥ 1× Keras/TF's sentences/s", r, r is not None and r >= 1,
                       r is not None and "%.2f×" % r))
    r = _share(med, "peak_rss_mib", "torch")
    lines.append(_line("(d) peak memory running (b) ≤ 1.5× PyTorch's", r, r is not None and r <= 1.5,
                       r is not None and "%.2f× PyTorch's" % r))
    return lines
