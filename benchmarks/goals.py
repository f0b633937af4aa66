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


def _at_least(lines, title, ratio, target):
    lines.append(_line(title, ratio, ratio is not None and ratio >= target, ratio is not None and "%.2f×" % ratio))


def evaluate_goals(med):
    """The engine issue's targets (issue 9)."""
    lines = []
    step = med.get(("step_us", "nanokeras"))
    lines.append(_line("(a) tutorial fit step ≤ 5 µs", step, step is not None and step <= 5,
                       step is not None and "%.1f µs" % step))
    for peer, target in (("keras-jax", 20), ("torch", 15)):
        _at_least(lines, "(a) tutorial step ≥ %d× faster than %s" % (target, NAMES[peer]),
                  _speedup(med, "step_us", peer), target)
    for peer, target in (("keras-jax", 1.3), ("torch", 2.0)):
        _at_least(lines, "(b) MLP training, one thread, ≥ %.1f× %s" % (target, NAMES[peer]),
                  _share(med, "train_sps_one_thread", peer), target)
    for peer, target in (("keras-jax", 1.0), ("torch", 1.3)):
        _at_least(lines, "(b) MLP predict ≥ %.1f× %s" % (target, NAMES[peer]), _share(med, "predict_sps", peer), target)
    loaded, alone = med.get(("train_sps_loaded", "nanokeras")), med.get(("train_sps_loaded_one_thread", "nanokeras"))
    ratio = loaded / alone if loaded and alone else None
    lines.append(_line("(b) default-thread MLP training on a busy CPU never slower than one thread there", ratio,
                       ratio is not None and ratio >= 0.9, ratio is not None and "%.2f× the one-thread figure" % ratio))
    seconds = med.get(("import_s", "nanokeras"))
    lines.append(_line("(c) `import nanokeras` ≤ 0.15 s", seconds, seconds is not None and seconds <= 0.15,
                       seconds is not None and "%.3f s" % seconds))
    r = _share(med, "lstm_train_sps", "torch")
    lines.append(_line("(h) LSTM text training ≥ 1× PyTorch's samples/s", r, r is not None and r >= 1,
                       r is not None and "%.2f×" % r))
    r = _share(med, "lstm_train_sps", "keras-jax")
    lines.append(_line("(h) LSTM text training ≥ 0.5× Keras/JAX's samples/s", r, r is not None and r >= 0.5,
                       r is not None and "%.2f×" % r))
    r = _share(med, "tv_sentences_per_s", "keras-tensorflow")
    lines.append(_line("(i) TextVectorization adapt + call ≥ 1× Keras/TF's sentences/s", r, r is not None and r >= 1,
                       r is not None and "%.2f×" % r))
    r = _share(med, "peak_rss_mib", "torch")
    lines.append(_line("(d) peak memory running (b) ≤ 1× PyTorch's", r, r is not None and r <= 1.0,
                       r is not None and "%.2f× PyTorch's" % r))
    lines.extend(cnn_goals(med))
    return lines


def cnn_goals(med):
    """The convolution issue's targets: (f) small CNN, (g) MNIST-shaped CNN."""
    lines = []
    for key, title, target in (("cnn_small_train_sps", "(f) small CNN training", 1.0),
                               ("cnn_mnist_train_sps", "(g) MNIST CNN training", 0.7),
                               ("cnn_mnist_predict_sps", "(g) MNIST CNN predict", 1.0)):
        for peer in ("keras-jax", "torch"):
            r = _share(med, key, peer)
            lines.append(_line("%s ≥ %.1f× %s's samples/s" % (title, target, NAMES[peer]), r,
                               r is not None and r >= target, r is not None and "%.2f×" % r))
    r = _share(med, "cnn_mnist_peak_rss_mib", "torch")
    lines.append(_line("(g) peak memory running (g) ≤ 1.5× PyTorch's", r, r is not None and r <= 1.5,
                       r is not None and "%.2f× PyTorch's" % r))
    return lines
