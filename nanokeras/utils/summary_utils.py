"""`model.summary()`: the table of layers, output shapes and parameter counts, drawn as Keras 3 draws it."""

import shutil

import numpy as np

# Column boundaries as fractions of the line, and the header, for sequential-like models.
_POSITIONS = (0.45, 0.80, 1.0)
_HEADER = ("Layer (type)", "Output Shape", "Param #")
_ALIGN = ("left", "left", "right")
# Keras's table renderer gives each cell (padding included) its column width less these.
_CELL_SHRINK = (1, 2, 1)


def readable_memory_size(size_in_bytes):
    """`15.63 KB` style: bytes scaled by 1024 with two decimals."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size_in_bytes / 1024 < 1:
            return f"{size_in_bytes:.2f} {unit}"
        size_in_bytes /= 1024
    return f"{size_in_bytes:.2f} PB"


def _count_and_size(weights):
    unique = {id(w): w for w in weights}.values()
    count = sum(int(np.prod(w.shape, dtype=np.int64)) for w in unique)
    size = sum(int(np.prod(w.shape, dtype=np.int64)) * np.dtype(w.dtype).itemsize for w in unique)
    return count, size


def _format_shape(shape):
    if shape is None:
        return "?"
    if isinstance(shape, list):
        return "[" + ", ".join(_format_shape(s) for s in shape) + "]"
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def _wrap(text, width):
    """Greedy word wrap to `width`, splitting words longer than a line (as Keras's table renderer)."""
    lines, line = [], ""
    for word in text.split(" "):
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def _row_lines(values, cells, border):
    """The text lines of one table row, each cell wrapped to its width."""
    wrapped = [_wrap(v, c - 2) for v, c in zip(values, cells)]
    height = max(len(w) for w in wrapped)
    lines = []
    for i in range(height):
        parts = []
        for lines_of_cell, cell, align in zip(wrapped, cells, _ALIGN):
            text = lines_of_cell[i] if i < len(lines_of_cell) else ""
            text = text.ljust(cell - 2) if align == "left" else text.rjust(cell - 2)
            parts.append(" " + text + " ")
        lines.append(border + border.join(parts) + border)
    return lines


def print_summary(model, line_length=None, positions=None, print_fn=None, rows=None):
    """Prints `model`'s summary table.

    Args:
        model: a built or unbuilt model.
        line_length: total width; by default 88 columns, narrower on a narrow terminal.
        positions: relative or absolute right edges of the three columns.
        print_fn: called with the whole summary as one string; `print` by default.
        rows: `(name, class name, output shape or None, param count or None)` per layer.
    """
    if line_length is None:
        line_length = min(88, shutil.get_terminal_size().columns - 4)
    positions = list(positions or _POSITIONS)
    if positions[-1] <= 1:
        positions = [int(p * line_length) for p in positions]
    widths, current = [], 0
    for edge in positions:
        width = edge - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width
    cells = [w - s for w, s in zip(widths, _CELL_SHRINK)]

    def border(left, fill, middle, right):
        return left + middle.join(fill * c for c in cells) + right

    lines = [f'Model: "{model.name}"', border("┏", "━", "┳", "┓")]
    lines += _row_lines(_HEADER, cells, "┃")
    lines.append(border("┡", "━", "╇", "┩"))
    for i, (name, class_name, shape, params) in enumerate(rows):
        params_text = "0 (unbuilt)" if params is None else f"{params:,}"
        lines += _row_lines((f"{name} ({class_name})", _format_shape(shape), params_text), cells, "│")
        lines.append(border("├", "─", "┼", "┤") if i < len(rows) - 1 else border("└", "─", "┴", "┘"))
    if not rows:
        lines.append(border("└", "─", "┴", "┘"))

    trainable_count, trainable_size = _count_and_size(model.trainable_weights)
    frozen_count, frozen_size = _count_and_size(model.non_trainable_weights)
    optimizer = getattr(model, "optimizer", None)
    optimizer_built = bool(getattr(model, "compiled", False) and optimizer is not None and optimizer.built)
    optimizer_count, optimizer_size = _count_and_size(optimizer.variables) if optimizer_built else (0, 0)
    total_count = trainable_count + frozen_count + optimizer_count
    total_size = trainable_size + frozen_size + optimizer_size
    lines.append(f" Total params: {total_count:,} ({readable_memory_size(total_size)})")
    lines.append(f" Trainable params: {trainable_count:,} ({readable_memory_size(trainable_size)})")
    lines.append(f" Non-trainable params: {frozen_count:,} ({readable_memory_size(frozen_size)})")
    if optimizer_built:
        lines.append(f" Optimizer params: {optimizer_count:,} ({readable_memory_size(optimizer_size)})")
    text = "\n".join(lines)
    if print_fn is None:
        print(text)
    else:
        print_fn(text + "\n")
