"""The package floors: a package imports only from packages on lower floors.

The order is written once, here (and drawn in docs/CONTRIBUTING.md). Every
`import` in every module counts, including imports inside functions: a lazy
import upwards is still a cycle, just one that shows up later.
"""

import ast
import pathlib

import pytest

# Bottom first. Packages on the same floor may not import each other either.
FLOORS = [
    ["backend"],                      # floatx, epsilon, dtypes, names, seeds: imports nothing of ours
    ["tree", "dtype_policies"],       # nested structures; the dtype policies namespace
    ["ops"],                          # Tensor, Variable, GradientTape and the differentiable ops
    ["random"],                       # SeedGenerator and the random ops (drawn inside recorded ops)
    ["utils"],                        # progress bars, identifier lookup, summaries, files
    ["graph"],                        # KerasTensor, Node, Operation: the functional API's graph
    ["saving"],                       # configs <-> objects, model files
    ["activations", "initializers", "regularizers", "constraints"],
    ["layers"],
    ["losses"],
    ["metrics"],
    ["optimizers"],
    ["callbacks"],
    ["trainers"],
    ["models"],
    ["datasets", "preprocessing", "playground", "config", "keras2_backend", "engine", "wrappers", "legacy",
     "distillation", "mixed_precision"],  # keras2_backend: K.mean, ...; engine: Keras 2 paths
]

PACKAGE_ROOT = pathlib.Path(__file__).resolve().parents[2] / "nanokeras"
FLOOR_OF = {package: level for level, packages in enumerate(FLOORS) for package in packages}


def _package_of(path):
    relative = path.relative_to(PACKAGE_ROOT)
    return relative.parts[0] if len(relative.parts) > 1 else None  # None: a top-level module


def _imported_packages(path):
    """(package, line) for every `nanokeras.<package>` a module imports, anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "nanokeras":
                names = [f"nanokeras.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "nanokeras" and len(parts) > 1:
                yield parts[1], node.lineno


def _modules():
    return sorted(p for p in PACKAGE_ROOT.rglob("*.py") if _package_of(p) is not None)


def test_every_package_has_a_floor():
    packages = {_package_of(p) for p in _modules()}
    missing = sorted(packages - set(FLOOR_OF))
    assert not missing, f"packages without a floor in FLOORS: {missing}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE_ROOT)))
def test_imports_only_from_lower_floors(path):
    own = _package_of(path)
    wrong = []
    for package, line in _imported_packages(path):
        if package == own or package not in FLOOR_OF:
            continue  # same package, or a top-level module such as `version`
        if FLOOR_OF[package] >= FLOOR_OF[own]:
            wrong.append(f"line {line}: nanokeras.{package} (floor {FLOOR_OF[package]}) "
                         f"from nanokeras.{own} (floor {FLOOR_OF[own]})")
    assert not wrong, f"{path.relative_to(PACKAGE_ROOT)} imports upwards:\n" + "\n".join(wrong)


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from nanokeras.layers import Dense\n    import nanokeras.models\n")
    assert list(_imported_packages(module)) == [("layers", 2), ("models", 3)]
