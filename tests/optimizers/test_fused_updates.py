"""The `fast` extra's compiled optimizer kernels give the numpy update's numbers bit for bit,
load only when asked for (never at `import nanokeras`), and fall back to numpy silently."""

import os
import subprocess
import sys

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import optimizers
from nanokeras.optimizers import fused_updates

from tests.fused_paths import require_fused_kernels

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _adamw_excluding_bias():
    opt = optimizers.AdamW(0.01, weight_decay=0.1)
    opt.exclude_from_weight_decay(var_names=["bias"])
    return opt


FUSED = [
    ("sgd", lambda: optimizers.SGD(0.1)),
    ("sgd_momentum", lambda: optimizers.SGD(0.1, momentum=0.9)),
    ("sgd_nesterov", lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True)),
    ("sgd_weight_decay", lambda: optimizers.SGD(0.1, weight_decay=0.05)),
    ("adam", lambda: optimizers.Adam(0.01)),
    ("adam_amsgrad", lambda: optimizers.Adam(0.01, amsgrad=True)),
    ("adamw", lambda: optimizers.AdamW(0.01, weight_decay=0.1)),
    ("adamw_excluding_bias", _adamw_excluding_bias),
    ("adamw_amsgrad", lambda: optimizers.AdamW(0.003, weight_decay=0.01, amsgrad=True)),
    ("rmsprop", lambda: optimizers.RMSprop(0.01)),
    ("rmsprop_momentum", lambda: optimizers.RMSprop(0.01, momentum=0.5)),
    ("rmsprop_centered", lambda: optimizers.RMSprop(0.01, centered=True)),
    ("rmsprop_centered_momentum", lambda: optimizers.RMSprop(0.01, momentum=0.5, centered=True)),
    ("adagrad", lambda: optimizers.Adagrad(0.1)),
    ("adadelta", lambda: optimizers.Adadelta(1.0)),
    ("adamax", lambda: optimizers.Adamax(0.01)),
    ("nadam", lambda: optimizers.Nadam(0.01)),
    ("lion", lambda: optimizers.Lion(0.01)),
    ("adam_schedule_ema_clipnorm", lambda: optimizers.Adam(
        optimizers.schedules.ExponentialDecay(0.01, 2, 0.5), use_ema=True, ema_overwrite_frequency=3,
        clipnorm=5.0)),
    ("sgd_accumulation", lambda: optimizers.SGD(0.1, momentum=0.5, gradient_accumulation_steps=2)),
]


def _variables(dtype, rng, sizes=((37, 29), (29,), (5, 3, 7))):
    return [keras.Variable(rng.normal(size=s).astype(dtype), name=name)
            for s, name in zip(sizes, ("kernel", "bias", "scale"))]


def _gradients(rng, variables, special):
    grads = []
    for v in variables:
        # magnitudes spread over many orders, so every rounding of the update is exercised
        g = (rng.normal(size=v.shape) * 10.0 ** rng.uniform(-8, 3, size=v.shape)).astype(v.dtype)
        if special:
            flat = g.reshape(-1)
            flat[:6] = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45]
        grads.append(g)
    return grads


def _bits(arrays):
    """Arrays as integers of the same width: equal bits, NaN payloads included, compare equal."""
    return [np.ascontiguousarray(a).view("i%d" % a.dtype.itemsize) for a in arrays]


def _train_both_ways(make, dtype, steps=7, special=False, seed=0):
    variables = {}
    opts = {}
    for path in ("numpy", "fused"):
        variables[path] = _variables(dtype, np.random.default_rng(seed))
        opts[path] = make()
    rng = np.random.default_rng(seed + 1)
    try:
        for _ in range(steps):
            grads = _gradients(rng, variables["numpy"], special)
            for path, mode in (("numpy", "off"), ("fused", "on")):
                fused_updates.set_fused_updates(mode)
                opts[path].apply([g.copy() for g in grads], variables[path])
    finally:
        fused_updates.set_fused_updates(None)
    return variables, opts


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("make", [c[1] for c in FUSED], ids=[c[0] for c in FUSED])
def test_fused_update_equals_numpy_update_bit_for_bit(make, dtype):
    require_fused_kernels()
    with _floatx(dtype):
        for seed in range(3):
            variables, opts = _train_both_ways(make, dtype, seed=seed)
            assert opts["fused"]._fusable, "the packed update should have a kernel"
            expected = [v.numpy() for v in variables["numpy"]] + [v.numpy() for v in opts["numpy"].variables]
            got = [v.numpy() for v in variables["fused"]] + [v.numpy() for v in opts["fused"].variables]
            for e, g in zip(_bits(expected), _bits(got)):
                np.testing.assert_array_equal(g, e)
    assert fused_updates.why_not_loaded() is None


@pytest.mark.parametrize("make", [c[1] for c in FUSED], ids=[c[0] for c in FUSED])
def test_fused_update_handles_zeros_infinities_and_nans_as_numpy_does(make):
    require_fused_kernels()
    variables, opts = _train_both_ways(make, "float32", steps=3, special=True)
    expected = [v.numpy() for v in variables["numpy"]] + [v.numpy() for v in opts["numpy"].variables]
    got = [v.numpy() for v in variables["fused"]] + [v.numpy() for v in opts["fused"].variables]
    for e, g in zip(expected, got):
        np.testing.assert_array_equal(np.isnan(g), np.isnan(e))
        np.testing.assert_array_equal(_bits([np.where(np.isnan(g), 0, g)])[0], _bits([np.where(np.isnan(e), 0, e)])[0])


class _floatx:
    """floatx() set for the duration of a `with` block."""

    def __init__(self, dtype):
        self.dtype = dtype

    def __enter__(self):
        self.previous = keras.backend.floatx()
        keras.backend.set_floatx(self.dtype)

    def __exit__(self, *exc):
        keras.backend.set_floatx(self.previous)


def test_kernels_really_run_and_numpy_is_not_called(monkeypatch):
    require_fused_kernels()
    variables = _variables("float32", np.random.default_rng(0))
    opt = optimizers.Adam(0.01)
    fused_updates.set_fused_updates("on")
    try:
        opt.apply(_gradients(np.random.default_rng(1), variables, False), variables)
        monkeypatch.setattr(type(opt), "_backend_update_step", _refuse)
        opt.apply(_gradients(np.random.default_rng(2), variables, False), variables)
    finally:
        fused_updates.set_fused_updates(None)


def _refuse(*args):
    raise AssertionError("the numpy update ran although the kernels are on")


def test_off_and_unfusable_optimizers_use_numpy(monkeypatch):
    variables = _variables("float32", np.random.default_rng(0))
    calls = []
    monkeypatch.setattr(fused_updates, "load_kernels", lambda: calls.append(1))
    fused_updates.set_fused_updates("off")
    try:
        optimizers.Adam(0.01).apply(_gradients(np.random.default_rng(1), variables, False), variables)
        fused_updates.set_fused_updates("on")
        ftrl = optimizers.Ftrl(0.1)  # np.power: no kernel can promise numpy's bits
        ftrl.apply(_gradients(np.random.default_rng(1), variables, False), variables)
        assert not ftrl._fusable

        class MyAdam(optimizers.Adam):
            def _update_variable(self, i, gradient, x, alpha):  # a different update: no kernel
                super()._update_variable(i, gradient * 2, x, alpha)

        mine = MyAdam(0.01)
        mine.apply(_gradients(np.random.default_rng(1), variables, False), variables)
        assert not mine._fusable
    finally:
        fused_updates.set_fused_updates(None)
    assert calls == []


def test_auto_waits_until_the_kernels_pay(monkeypatch):
    variables = _variables("float32", np.random.default_rng(0))
    size = sum(v.numpy().size for v in variables)
    monkeypatch.setattr(fused_updates, "AUTO_AFTER_ELEMENTS", 3 * size)
    loads = []
    monkeypatch.setattr(fused_updates, "load_kernels", lambda: loads.append(1))
    fused_updates.set_fused_updates("auto")
    try:
        opt = optimizers.SGD(0.1)
        for _ in range(3):
            opt.apply(_gradients(np.random.default_rng(1), variables, False), variables)
        assert loads == []
        opt.apply(_gradients(np.random.default_rng(1), variables, False), variables)
        assert loads == [1]
    finally:
        fused_updates.set_fused_updates(None)


def test_a_kernel_that_fails_to_compile_leaves_numpy_doing_the_step(monkeypatch):
    require_fused_kernels()
    reference = _variables("float32", np.random.default_rng(0))
    variables = _variables("float32", np.random.default_rng(0))
    grads = _gradients(np.random.default_rng(1), variables, False)
    fused_updates.set_fused_updates("off")
    optimizers.Nadam(0.01).apply([g.copy() for g in grads], reference)
    kernels = fused_updates.load_kernels()

    def broken(*args):
        raise OSError("cache directory vanished")

    monkeypatch.setattr(kernels, "nadam", broken)
    monkeypatch.setitem(fused_updates._state, "why_not", None)
    fused_updates.set_fused_updates("on")
    try:
        optimizers.Nadam(0.01).apply([g.copy() for g in grads], variables)
        assert "cache directory vanished" in fused_updates.why_not_loaded()
        assert fused_updates.load_kernels() is None
    finally:
        fused_updates.set_fused_updates(None)
        fused_updates._state["why_not"] = None
        fused_updates._state["kernels"] = kernels
    for a, b in zip(reference, variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_bad_setting_names_the_choices():
    with pytest.raises(ValueError, match="'auto', 'on'.*Did you mean 'off'"):
        fused_updates.set_fused_updates("offf")
    assert fused_updates.fused_updates_mode() in ("auto", "on", "off")


def _run(code, **env):
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, **env), timeout=300)


def test_import_nanokeras_never_imports_numba():
    out = _run("import sys, nanokeras as k; k.Sequential; k.optimizers.Adam(); "
               "print('numba' in sys.modules, 'llvmlite' in sys.modules)")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]


def test_kernels_compile_from_a_read_only_copy_without_a_cache(tmp_path):
    """Installed read-only (no __pycache__ to write, no user cache dir): compiled per process."""
    require_fused_kernels()
    import shutil

    site = tmp_path / "site"
    shutil.copytree(os.path.join(ROOT, "nanokeras"), site / "nanokeras",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.nbi", "*.nbc"))
    (site / "nanokeras" / "optimizers" / "__pycache__").write_text("a file: no cache can go here")
    (tmp_path / "blocker").write_text("a file: no cache directory below it")
    for folder, _, _ in os.walk(site):
        os.chmod(folder, 0o555)  # read-only (root ignores this, hence the blocking files)
    code = ("import numpy as np, nanokeras as k\n"
            "from nanokeras.optimizers import fused_updates\n"
            "w = k.Variable(np.ones(4, 'float32'))\n"
            "o = k.optimizers.Adam(0.1)\n"
            "o.apply([np.full(4, 0.5, 'float32')], [w])\n"
            "print(fused_updates.why_not_loaded(), fused_updates._state['kernels'] is not None, "
            "w.numpy().tobytes().hex())\n")
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(NANOKERAS_FAST="1", PYTHONDONTWRITEBYTECODE="1", XDG_CACHE_HOME=str(tmp_path / "blocker" / "cache"),
               HOME=str(tmp_path / "blocker"))
    try:
        out = subprocess.run([sys.executable, "-c", code], cwd=str(site), capture_output=True, text=True,
                             timeout=300, env=env)
    finally:
        for folder, _, _ in os.walk(site):
            os.chmod(folder, 0o755)
    assert out.returncode == 0, out.stderr
    w = keras.Variable(np.ones(4, "float32"))
    fused_updates.set_fused_updates("off")
    try:
        optimizers.Adam(0.1).apply([np.full(4, 0.5, "float32")], [w])
    finally:
        fused_updates.set_fused_updates(None)
    assert out.stdout.split() == ["None", "True", w.numpy().tobytes().hex()], out.stdout + out.stderr
    assert not list(site.rglob("*.nbi"))


def test_auto_switching_mid_fit_changes_no_number(monkeypatch):
    """A fit that crosses the "auto" threshold ends with the weights of a numpy-only fit."""
    require_fused_kernels()
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(64, 5)).astype("float32"), rng.integers(0, 3, 64)

    def train(mode):
        keras.utils.set_random_seed(1)
        model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(7, activation="relu"),
                                  keras.layers.Dense(3, activation="softmax")])
        model.compile(optimizer=optimizers.Nadam(0.01), loss="sparse_categorical_crossentropy")
        fused_updates.set_fused_updates(mode)
        try:
            model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
        finally:
            fused_updates.set_fused_updates(None)
        return model

    size = 5 * 7 + 7 + 7 * 3 + 3
    monkeypatch.setattr(fused_updates, "AUTO_AFTER_ELEMENTS", 10 * size)  # switches at step 11 of 24
    numpy_model, auto_model = train("off"), train("auto")
    assert auto_model.optimizer._numpy_elements == 10 * size
    for a, b in zip(numpy_model.weights + numpy_model.optimizer.variables,
                    auto_model.weights + auto_model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_no_kernel_contracts_a_multiply_and_an_add_into_an_fma(tmp_path):
    """The machine code itself: no fused multiply-add anywhere (x86-64 and arm64 spellings)."""
    require_fused_kernels()
    code = (
        "import inspect, re, numpy as np\n"
        "from nanokeras.optimizers.fused_kernels import kernels, _KERNELS\n"
        "slots = {'x', 'g', 'm', 'v', 'v_hat', 'u', 'mom', 'avg', 'acc', 'acc_g', 'acc_dx'}\n"
        "for name, function in _KERNELS.items():\n"
        "    params = list(inspect.signature(function).parameters)\n"
        "    kernel = getattr(kernels, name)\n"
        "    kernel(*[np.ones(64, 'float32') if p in slots else np.float32(0.5) for p in params])\n"
        "    asm = kernel.inspect_asm(kernel.signatures[0])\n"
        "    fma = re.findall(r'\\b(v?f(n)?m(add|sub)\\d\\w*|fml[as]|f(n)?m(add|sub))\\b', asm)\n"
        "    print(name, len(fma), len(asm))\n")
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))  # compiled afresh: cached code has no assembly
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    lines = [line.split() for line in out.stdout.splitlines()]
    assert len(lines) >= 15
    for name, fma, size in lines:
        assert int(size) > 1000, f"no assembly for {name}"
        assert fma == "0", f"kernel {name} contains {fma} fused multiply-add instructions"
