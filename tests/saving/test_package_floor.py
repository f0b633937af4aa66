"""`nanokeras.saving` sits below layers, models, optimizers...: it never imports them.

Built-in classes are reached only through the fixed table in `builtin_registry`
(Keras module name -> nanokeras package), with `importlib` on that table.
"""

import ast
import pathlib

import nanokeras
from nanokeras.saving import builtin_registry

SAVING = pathlib.Path(nanokeras.__file__).parent / "saving"
ABOVE = ("layers", "models", "optimizers", "losses", "metrics", "callbacks", "trainers", "initializers",
         "activations", "regularizers", "constraints")


def _imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            if node.module == "nanokeras":
                for alias in node.names:
                    yield f"nanokeras.{alias.name}"


def test_saving_imports_nothing_from_higher_packages():
    offenders = []
    for path in sorted(SAVING.rglob("*.py")):
        for module in _imported_modules(ast.parse(path.read_text())):
            if any(module == f"nanokeras.{name}" or module.startswith(f"nanokeras.{name}.") for name in ABOVE):
                offenders.append(f"{path.name}: {module}")
    assert offenders == []


def test_higher_packages_are_named_only_in_the_fixed_table():
    for path in sorted(SAVING.rglob("*.py")):
        if path.name == "builtin_registry.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not any(f"nanokeras.{name}" in node.value for name in ABOVE
                               if not node.value.lstrip().startswith(">>>")), (path.name, node.value[:80])


def test_registry_accepts_only_public_classes_of_the_expected_kind():
    assert builtin_registry.find_class("keras.layers", "Dense").__name__ == "Dense"
    assert builtin_registry.find_class("keras.optimizers", "Adam").__name__ == "Adam"
    # A function, a module attribute, a class of another kind, a private name: all refused.
    assert builtin_registry.find_class("keras.layers", "Input") is None
    assert builtin_registry.find_class("keras.layers", "np") is None
    assert builtin_registry.find_class("keras.layers", "Adam") is None
    assert builtin_registry.find_class("keras.optimizers", "Dense") is None
    assert builtin_registry.find_class("keras.layers", "__builtins__") is None
    # A module outside the table is never imported, whatever the file says.
    assert builtin_registry.find_class("os", "system") is None
    assert builtin_registry.find_class("nanokeras.layers", "Dense") is None


def test_legacy_configs_without_module_and_internal_module_names():
    assert builtin_registry.find_class(None, "Dense").__name__ == "Dense"
    assert builtin_registry.find_class(None, "Functional").__name__ == "Functional"
    cls = builtin_registry.find_class("keras.src.optimizers.schedules.learning_rate_schedule", "ExponentialDecay")
    assert cls.__name__ == "ExponentialDecay"
