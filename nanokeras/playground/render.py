"""The playground's pictures without a browser: the decision boundary and the curves, as a PNG.

It samples the model exactly as the page does (`pictures.ModelView`) and uses the
page's colours: class 0 orange, class 1 blue, fading to white where the model is
unsure. Needs matplotlib (`pip install matplotlib`, or nanokeras's `examples` extra),
imported only when a picture is drawn.

Example:
    >>> import numpy as np
    >>> from nanokeras.playground.render import boundary_rgb
    >>> boundary_rgb(np.array([[[0.5, 0.5], [0.0, 1.0]]])).round(2).tolist()  # unsure: white; sure: blue
    [[[1.0, 1.0, 1.0], [0.27, 0.6, 0.81]]]
    >>> from nanokeras.playground import save_png
    >>> save_png("boundary.png", model, x, y, history=history)  # doctest: +SKIP
"""

import os

import numpy as np

from nanokeras.playground.pictures import ModelView, data_extent

# The page's palette (static/playground.js uses the same values).
CLASS_COLORS = ("#f59322", "#0877bd", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                "#bcbd22", "#17becf")


def boundary_rgb(probabilities):
    """`(h, w, 3)` colours in [0, 1] for `(h, w, classes)` probabilities: the likeliest class's
    colour, faded to white as its probability falls to chance (1 / classes)."""
    classes = probabilities.shape[-1]
    predicted = probabilities.argmax(axis=-1)
    confidence = probabilities.max(axis=-1)
    strength = np.clip((confidence - 1.0 / classes) / (1.0 - 1.0 / classes), 0, 1)[..., None] * 0.75
    colors = np.array([_rgb(CLASS_COLORS[c % len(CLASS_COLORS)]) for c in range(classes)])
    return (1 - strength) * 1.0 + strength * colors[predicted]


def save_png(path, model=None, x=None, y=None, history=None, x_test=None, y_test=None, title=None,
             mark_epoch=None, size=96, dpi=100):
    """Writes the boundary of `model` over the points `x`, `y` and/or the curves of `history` to `path`.

    Args:
        path: the PNG file to write (its folder must exist).
        model: a model with two input features (with `x` and `y`: draws the boundary panel).
        x, y: training points (drawn filled); x_test, y_test: test points (drawn hollow).
        history: a `History` or its `.history` dict: draws the loss and accuracy curves.
        title: a title over the whole picture.
        mark_epoch: an epoch (1-based) to mark on the curves with a dashed line (e.g. the best one).
        size: pixels per side of the sampled boundary.

    Returns:
        `path`.
    """
    figure_class = _matplotlib_figure()
    history = getattr(history, "history", history) or {}
    draw_boundary = model is not None and x is not None and y is not None
    curve_groups = _curve_groups(history)
    panels = int(draw_boundary) + len(curve_groups)
    if panels == 0:
        raise ValueError("Nothing to draw: pass `model`, `x` and `y` for the boundary, and/or `history` for curves.")
    figure = figure_class(figsize=(4.2 * panels, 4.0), dpi=dpi)
    axes = figure.subplots(1, panels, squeeze=False)[0]
    if draw_boundary:
        _draw_boundary(axes[0], model, x, y, x_test, y_test, size)
    for ax, (label, names) in zip(axes[int(draw_boundary):], curve_groups):
        _draw_curves(ax, history, label, names, mark_epoch)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    temporary = f"{path}.{os.getpid()}.tmp.png"
    figure.savefig(temporary, format="png")
    os.replace(temporary, path)  # atomic: a reader never sees half a picture
    return path


def _draw_boundary(ax, model, x, y, x_test, y_test, size):
    arrays = [np.asarray(x)] + ([np.asarray(x_test)] if x_test is not None else [])
    extent = data_extent(*arrays)
    view = ModelView(model, extent, size=size, unit_size=1)
    ax.imshow(boundary_rgb(view.probabilities()), extent=extent, interpolation="bilinear", origin="upper")
    for points, labels, hollow in ((x, y, False), (x_test, y_test, True)):
        if points is None:
            continue
        labels = np.asarray(labels).reshape(len(labels), -1)
        labels = labels.argmax(axis=1) if labels.shape[1] > 1 else labels[:, 0].astype(int)
        colors = [CLASS_COLORS[int(c) % len(CLASS_COLORS)] for c in labels]
        points = np.asarray(points)
        if hollow:
            ax.scatter(points[:, 0], points[:, 1], s=22, facecolors="white", edgecolors=colors, linewidths=1.5)
        else:
            ax.scatter(points[:, 0], points[:, 1], s=22, c=colors, edgecolors="white", linewidths=0.6)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal")
    ax.set_title("decision boundary")


def _curve_groups(history):
    """`[(label, [names...]), ...]`: the loss panel, then one for accuracy if it was measured."""
    groups = []
    if "loss" in history:
        groups.append(("loss", [n for n in ("loss", "val_loss") if n in history]))
    accuracy = next((n for n in history if not n.startswith("val_") and "acc" in n), None)
    if accuracy is not None:
        groups.append((accuracy, [n for n in (accuracy, "val_" + accuracy) if n in history]))
    return groups


def _draw_curves(ax, history, label, names, mark_epoch):
    for name in names:
        values = np.asarray(history[name], dtype=np.float64)
        style = "--" if name.startswith("val_") else "-"
        ax.plot(np.arange(1, len(values) + 1), values, style, color="#555555" if name.startswith("val_") else
                "#0877bd", label="test / validation" if name.startswith("val_") else "training")
    if mark_epoch is not None:
        ax.axvline(mark_epoch, color="gray", linestyle=":", label=f"epoch {mark_epoch}")
    ax.set_xlabel("epoch")
    ax.set_ylabel(label)
    ax.legend()
    ax.set_title(label)


def _rgb(hex_color):
    return [int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)]


def _matplotlib_figure():
    try:
        from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global state
    except ImportError:
        raise ImportError("Drawing PNG pictures needs matplotlib: pip install matplotlib "
                          "(or pip install 'nanokeras[examples]').") from None
    return Figure
