"""`MultiOptimizer` and `OptimizerMap`: different optimizers for different weights.

Example:
    >>> import nanokeras as keras
    >>> mapping = keras.optimizers.OptimizerMap(keras.optimizers.SGD(0.1), {".*bias": keras.optimizers.Adam()})
    >>> optimizer = keras.optimizers.MultiOptimizer(mapping)
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> optimizer.build(model.trainable_weights)
    >>> [type(o).__name__ for o in optimizer.optimizers]
    ['Adam', 'SGD']
"""

import re
from collections.abc import MutableMapping

from nanokeras.optimizers.base_optimizer import Optimizer
from nanokeras.optimizers.loss_scale_optimizer import LossScaleOptimizer
from nanokeras.utils.keyword_arguments import check_keyword_arguments
from nanokeras.utils.keyword_arguments import check_keyword_arguments


def _check_inner(optimizer):
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"optimizer must be a Keras Optimizer instance. Received: {optimizer!r}")
    if isinstance(optimizer, LossScaleOptimizer):
        raise ValueError("optimizer cannot be LossScaleOptimizer.")
    if isinstance(optimizer, MultiOptimizer):
        raise ValueError("optimizer cannot be MultiOptimizer.")


class OptimizerMap(MutableMapping):
    """Chooses an optimizer for a weight from its path: the entry whose key equals the path, else the
    one whose regular expression matches the whole path, else `default_optimizer`.

    Args:
        default_optimizer: for weights no key matches.
        optimizer_map: `{path or regular expression: optimizer}`.
    """

    def __new__(cls, *args, **kwargs):
        check_keyword_arguments(cls, kwargs)
        return super().__new__(cls)

    def __new__(cls, *args, **kwargs):
        check_keyword_arguments(cls, kwargs)
        return super().__new__(cls)

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError(f"default_optimizer must be a Keras Optimizer instance. Received: {default_optimizer!r}")
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"optimizer_map must be a dictionary. Received: {optimizer_map!r}")
        self._default_optimizer = default_optimizer
        self._optimizer_map = {}
        for key, optimizer in (optimizer_map or {}).items():
            self[key] = optimizer

    @property
    def default_optimizer(self):
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matching = [pattern for pattern in self._optimizer_map if re.fullmatch(pattern, key)]
        if len(matching) > 1:
            raise ValueError(f"Multiple optimizers assigned to variable {key}: patterns {matching} all match.")
        return self._optimizer_map[matching[0]] if matching else self._default_optimizer

    def __setitem__(self, key, optimizer):
        if key in self._optimizer_map:
            raise ValueError(f"'{key}' already exists in the OptimizerMap with value {self._optimizer_map[key]}. "
                             "Please make sure to not use duplicated keys.")
        if not isinstance(key, str):
            raise ValueError(f"key must be a string. Received: {key!r}")
        _check_inner(optimizer)
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[variable.path]

    def get_config(self):
        from nanokeras.saving.serialization_lib import serialize_keras_object

        return {"default_optimizer": serialize_keras_object(self._default_optimizer),
                "optimizer_map": serialize_keras_object(self._optimizer_map)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from nanokeras.saving.serialization_lib import deserialize_keras_object

        return cls(deserialize_keras_object(config["default_optimizer"], custom_objects=custom_objects),
                   deserialize_keras_object(config["optimizer_map"], custom_objects=custom_objects))


class MultiOptimizer(Optimizer):
    """Hands each weight's gradient to the optimizer `optimizer_map` chooses for it.

    Args:
        optimizer_map: an `OptimizerMap`, or a function `variable -> optimizer`.
        loss_scale_factor: as for any optimizer (given to every inner optimizer).
        name: the optimizer's name.

    Its own state is `iteration` and `learning_rate` (unused, as in Keras), then each inner
    optimizer's. `learning_rate` cannot be read or set here: set it on `optimizers`.
    """

    def __new__(cls, *args, **kwargs):
        check_keyword_arguments(cls, kwargs)  # "did you mean", before anything is built
        return super().__new__(cls)

    def __new__(cls, *args, **kwargs):
        check_keyword_arguments(cls, kwargs)  # "did you mean", before anything is built
        return super().__new__(cls)

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        if not callable(optimizer_map):
            raise TypeError(f"MultiOptimizer: `optimizer_map` must be an OptimizerMap or a function "
                            f"`variable -> optimizer`, got {optimizer_map!r}.")
        self._optimizer_map = optimizer_map
        self._inner_optimizers = []
        inner = list(optimizer_map.values()) if hasattr(optimizer_map, "values") else []
        default = getattr(optimizer_map, "default_optimizer", None)
        for optimizer in inner + ([default] if default is not None else []):
            if all(optimizer is not known for known in self._inner_optimizers):
                optimizer.loss_scale_factor = loss_scale_factor
                self._inner_optimizers.append(optimizer)

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        self._variable_optimizer = {}
        for variable in var_list:
            optimizer = self._optimizer_map(variable)
            _check_inner(optimizer)
            if all(optimizer is not known for known in self._inner_optimizers):
                optimizer.loss_scale_factor = self.loss_scale_factor
                self._inner_optimizers.append(optimizer)
            self._variable_optimizer[id(variable)] = optimizer
        for optimizer in self._inner_optimizers:
            owned = [v for v in var_list if self._variable_optimizer[id(v)] is optimizer]
            if owned:
                optimizer.build(owned)
        super().build(var_list)

    def _pack_variables(self):
        # (A compiled step packs the weights before recording: each inner optimizer packs its own.)
        self._pack_pending = False
        for optimizer in self._inner_optimizers:
            if optimizer.built and optimizer._pack_pending:
                optimizer._pack_variables()

    @property
    def optimizers(self):
        return self._inner_optimizers

    @property
    def variables(self):
        result = self._variables[:]
        for optimizer in self._inner_optimizers:
            result.extend(optimizer.variables)
        return result

    @property
    def learning_rate(self):
        raise AttributeError("Learning rate cannot be accessed on a MultiOptimizer. Access the learning rate on "
                             "the individual sub-optimizers instead.")

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError("Learning rate cannot be set on a MultiOptimizer. Set the learning rate on the "
                             "individual sub-optimizers instead.")

    @property
    def loss_scale_factor(self):
        return self.__dict__.get("_loss_scale_factor")

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self.__dict__["_loss_scale_factor"] = value
        for optimizer in self.__dict__.get("_inner_optimizers", ()):
            optimizer.loss_scale_factor = value

    @property
    def iterations(self):
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError("When passing `grads` without `variables`, the optimizer must already be built on a "
                                 "list of variables. Call `optimizer.build(trainable_variables)` first.")
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            self.build(trainable_variables)
        if len(grads) != len(trainable_variables):
            raise ValueError(f"Gradients must match trainable variables one-to-one. Received {len(grads)} "
                             f"gradients and {len(trainable_variables)} variables.")
        unknown = [v for v in trainable_variables if id(v) not in self._variable_optimizer]
        if unknown:
            raise ValueError(f"MultiOptimizer was built for other variables; {unknown[0].path!r} is new to it.")
        for optimizer in self._inner_optimizers:
            pairs = [(g, v) for g, v in zip(grads, trainable_variables) if self._variable_optimizer[id(v)] is optimizer]
            if pairs:
                optimizer.apply([g for g, _ in pairs], [v for _, v in pairs])
        self._iterations.value[...] += 1

    def finalize_variable_values(self, var_list):
        for optimizer in self._inner_optimizers:
            owned = [v for v in var_list if self._variable_optimizer.get(id(v)) is optimizer]
            if owned:
                optimizer.finalize_variable_values(owned)

    def set_weights(self, weights):
        if not self.built:
            raise ValueError("`set_weights()` needs a built optimizer: call `optimizer.build(trainable_variables)` "
                             "first.")
        weights = list(weights)
        expected = len(self.variables)
        if len(weights) != expected:
            raise ValueError(f"MultiOptimizer.set_weights: expected {expected} arrays (one per variable of "
                             f"`optimizer.variables`), got {len(weights)}.")
        count = len(self._variables)
        for variable, weight in zip(self._variables, weights[:count]):
            variable.assign(weight)
        for optimizer in self._inner_optimizers:
            chunk = weights[count:count + len(optimizer.variables)]
            count += len(chunk)
            if optimizer.built:
                optimizer.set_weights(chunk)
            else:  # no variable was assigned to it: only its own counters
                for variable, weight in zip(optimizer.variables, chunk):
                    variable.assign(weight)

    def get_config(self):
        from nanokeras.saving.serialization_lib import serialize_keras_object

        return {"optimizer_map": serialize_keras_object(self._optimizer_map),
                "loss_scale_factor": self.loss_scale_factor, "name": self.name}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from nanokeras.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        config["optimizer_map"] = deserialize_keras_object(config["optimizer_map"], custom_objects=custom_objects)
        return cls(**config)
