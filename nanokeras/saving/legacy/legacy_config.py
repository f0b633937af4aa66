"""Model configs in Keras 2's dialect, translated to and from Keras 3's.

Keras 2 (and tf.keras 2.x) wrote configs that differ from Keras 3's in small,
regular ways: layers without a `module`, `dtype` as a plain name (or a mixed
precision `Policy`), `InputLayer(batch_input_shape=...)`, `BatchNormalization`
axes as lists, extra arguments Keras 3 dropped, functional calls as
`[[layer, node, tensor, kwargs], ...]` lists, and `Lambda` functions as marshalled
bytecode. `from_keras2` rewrites such a config so the ordinary deserializer can
build it; `to_keras2` writes a nanokeras config in the dialect both tf-keras and
Keras 3 read from `.h5` files.

Nothing here runs or imports what a config names; a `Lambda` carrying bytecode
is refused without decoding it.
"""

# Arguments Keras 2 layers wrote that Keras 3 dropped, with the value that means
# Keras 3's behaviour. Any other value cannot be honoured and is refused.
_ANY = object()  # any value: an option Keras 2 wrote but never used (or that only picked an implementation)
_RECURRENT = {"time_major": (False,), "implementation": _ANY}
_GROUPS = {"groups": (1,)}
_RANDOM = {"rng_type": _ANY}
_SPATIAL_DROPOUT = {"trainable": (True,), "noise_shape": (None,)}
_KERAS2_ONLY = {
    "BatchNormalization": {"fused": (None, True, False), "virtual_batch_size": (None,), "adjustment": (None,)},
    **{name: _RECURRENT for name in ("RNN", "SimpleRNN", "GRU", "LSTM", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
                                     "SimpleRNNCell", "GRUCell", "LSTMCell")},
    **{name: _GROUPS for name in ("DepthwiseConv1D", "DepthwiseConv2D", "Conv1DTranspose", "Conv2DTranspose",
                                  "Conv3DTranspose")},
    # tf.keras's separable convolutions also wrote the base convolution's unused `kernel_*` options.
    **{name: dict(_GROUPS, kernel_initializer=_ANY, kernel_regularizer=_ANY, kernel_constraint=_ANY)
       for name in ("SeparableConv1D", "SeparableConv2D")},
    **{name: _SPATIAL_DROPOUT for name in ("SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D")},
    **{name: _RANDOM for name in ("RandomFlip", "RandomCrop", "RandomRotation", "RandomZoom", "RandomTranslation",
                                  "RandomContrast", "RandomBrightness", "RandomHeight", "RandomWidth")},
    # The shapes it was built with (nanokeras builds from the inputs) and a masking option off by default.
    "MultiHeadAttention": {"query_shape": _ANY, "key_shape": _ANY, "value_shape": _ANY,
                           "softmax_robust_masking": (False,)},
}
# Arguments every Keras 2 layer may carry that Keras 3 has no use for.
_KERAS2_LAYER_ONLY = {"autocast": (True, False, None), "dynamic": (False, None)}
_SINGLE_AXIS_LAYERS = ("BatchNormalization",)
_TF_OP_LAYERS = ("TFOpLambda", "SlicingOpLambda", "TensorFlowOpLayer")


def _is_object(value):
    return isinstance(value, dict) and isinstance(value.get("class_name"), str) and "config" in value


def _dtype_name(dtype):
    """Keras 2's `dtype`: a name or `{"class_name": "Policy", "config": {"name": ...}}`."""
    if isinstance(dtype, dict):
        inner = dtype.get("config") if isinstance(dtype.get("config"), dict) else {}
        return inner.get("name")
    return dtype


def _refuse_lambda_bytecode(config, name):
    function = config.get("function")
    if config.get("function_type") == "lambda" or isinstance(function, (list, tuple)):
        raise ValueError(
            f"Lambda layer {name!r} stores its function as Python bytecode (marshal). Loading it would run "
            "code from the file, so nanokeras refuses it and never decodes it, whatever `safe_mode` is. "
            "Rebuild the model with the lambda rewritten as a named function registered with "
            "`@keras.saving.register_keras_serializable()`, or as a layer."
        )


def _function_reference(config, key, module_key, type_key):
    """Keras 2's `(name, "function", module)` triple as Keras 3's function config."""
    value = config.get(key)
    kind = config.pop(type_key, None)
    module = config.pop(module_key, None)
    if isinstance(value, str) and kind in ("function", None):
        config[key] = {"module": module, "class_name": "function", "config": value, "registered_name": value}
    elif kind == "raw" and isinstance(value, list):
        config[key] = value


def _drop_keras2_options(class_name, config, options):
    for key, allowed in options.items():
        if key in config:
            value = config.pop(key)
            if allowed is not _ANY and value not in allowed:
                raise ValueError(
                    f"Layer {config.get('name')!r} ({class_name}) was saved with `{key}={value!r}`, a Keras 2 "
                    "option that Keras 3 and nanokeras do not have."
                )


def _layer_from_keras2(class_name, config):
    name = config.get("name")
    if class_name in _TF_OP_LAYERS:
        raise ValueError(
            f"Layer {name!r} is a {class_name}: TensorFlow code recorded in a tf.keras model (e.g. `tf.math.*` "
            "or an operator on a Keras tensor). nanokeras cannot run TensorFlow ops; rebuild the model with "
            "Keras layers or `keras.ops` inside a layer."
        )
    if "dtype" in config:
        config["dtype"] = _dtype_name(config["dtype"])
    _drop_keras2_options(class_name, config, dict(_KERAS2_LAYER_ONLY, **_KERAS2_ONLY.get(class_name, {})))
    _single_axis(class_name, config)
    if class_name == "Lambda":
        _refuse_lambda_bytecode(config, name)
        _function_reference(config, "function", "module", "function_type")
        _function_reference(config, "output_shape", "output_shape_module", "output_shape_type")
    return config


def _single_axis(class_name, config):
    """tf-keras writes BatchNormalization's `axis` as a one-item list, with or without a `module`."""
    if class_name in _SINGLE_AXIS_LAYERS and isinstance(config.get("axis"), list):
        if len(config["axis"]) != 1:
            raise ValueError(f"Layer {config.get('name')!r} ({class_name}) normalizes over axes "
                             f"{config['axis']}; only one is supported.")
        config["axis"] = config["axis"][0]


def _activation_name(value):
    if isinstance(value, dict):  # tf.keras 2.13+: {"class_name": "function", "config": "hard_sigmoid", ...}
        value = value.get("config") if value.get("class_name") == "function" else None
    return value


def layers_using_keras2_hard_sigmoid(value, found=None):
    """Names of the layers of a Keras 2 config that use `hard_sigmoid` (Keras 2's had another slope)."""
    found = [] if found is None else found
    if isinstance(value, list):
        for item in value:
            layers_using_keras2_hard_sigmoid(item, found)
    elif isinstance(value, dict):
        inner = value.get("config") if _is_object(value) else None
        if isinstance(inner, dict) and any(_activation_name(inner.get(key)) == "hard_sigmoid"
                                           for key in ("activation", "recurrent_activation")):
            found.append(inner.get("name", value["class_name"]))
        for item in value.values():
            layers_using_keras2_hard_sigmoid(item, found)
    return found


def from_keras2(value):
    """A copy of a Keras 2 (or Keras 3 legacy-writer) config that nanokeras's deserializer builds."""
    if isinstance(value, list):
        return [from_keras2(item) for item in value]
    if not isinstance(value, dict):
        return value
    if not _is_object(value):
        return {key: from_keras2(item) for key, item in value.items()}
    class_name = value["class_name"]
    result = dict(value)
    inner = value["config"]
    if class_name == "Model":  # Keras 2.0-2.3 called functional models "Model"
        result["class_name"] = class_name = "Functional"
    if class_name == "Sequential" and isinstance(inner, list):  # Keras 2.0-2.2: the config was the layer list
        inner = {"name": "sequential", "layers": inner}
    if isinstance(inner, dict):
        inner = {key: from_keras2(item) for key, item in inner.items()}
        if "module" not in value or value.get("module") is None:
            inner = _layer_from_keras2(class_name, inner)
        else:
            # tf.keras 2.13+ writes nested layers (Bidirectional's, TimeDistributed's, a nested
            # model's) with a module; their Keras 2 options go all the same (no Keras 3 config of
            # these classes has them), and a list `axis` becomes its one int.
            _drop_keras2_options(class_name, inner, _KERAS2_ONLY.get(class_name, {}))
            _single_axis(class_name, inner)
    result["config"] = inner
    if "inbound_nodes" in value:
        result["inbound_nodes"] = value["inbound_nodes"]  # the functional loader reads both formats
    return result


# ------------------------------------------------------------------ writing
# Keras 3 arguments that tf-keras's layers do not accept, dropped when they have their default.
_KERAS3_ONLY = {"quantization_config": (None,), "lora_rank": (None,), "lora_alpha": (None,),
                "input_axes": (None,), "output_axes": (None,)}
# The same for one class (other tf-keras classes take the key): dropped at its default.
_KERAS3_ONLY_BY_CLASS = {
    "LayerNormalization": {"rms_scaling": (False,)},
    "ZeroPadding1D": {"data_format": ("channels_last",)},
    **{f"ConvLSTM{n}D": {"seed": (None,)} for n in (1, 2, 3)},
}


def _tensor_reference(value, owner):
    config = value.get("config") if isinstance(value.get("config"), dict) else {}
    history = config.get("keras_history")
    if not isinstance(history, list) or len(history) != 3:
        raise ValueError(f"Cannot write layer {owner!r} in the Keras 2 format: invalid input {value!r:.200}.")
    return list(history)


def _nodes_to_keras2(nodes, owner):
    """Keras 3's `{"args", "kwargs"}` call records as Keras 2's `[[layer, node, tensor, kwargs], ...]`."""
    converted = []
    for node in nodes:
        args = node.get("args") or []
        kwargs = node.get("kwargs") or {}
        first = args[0] if args else None
        tensors = first if isinstance(first, list) else [first]
        if len(args) != 1 or not all(isinstance(t, dict) and t.get("class_name") == "__keras_tensor__" for t in tensors):
            raise ValueError(
                f"Cannot write layer {owner!r} in the Keras 2 `.h5` format: it is called with arguments other "
                "than its input tensors, which that format cannot record. Save as `.keras` instead."
            )
        plain = {k: v for k, v in kwargs.items() if not isinstance(v, (dict, list)) or v is None}
        if len(plain) != len(kwargs):
            raise ValueError(f"Cannot write layer {owner!r} in the Keras 2 `.h5` format: its call takes tensors "
                             "as keyword arguments. Save as `.keras` instead.")
        plain = {k: v for k, v in plain.items() if v is not None}
        converted.append([_tensor_reference(t, owner) + [plain] for t in tensors])
    return converted


def _as_tensor_list(spec):
    """Keras 2's `input_layers`/`output_layers`: always a flat list of `[layer, node, tensor]`."""
    if isinstance(spec, list) and len(spec) == 3 and isinstance(spec[0], str):
        return [spec]
    if isinstance(spec, dict):
        return [item for value in spec.values() for item in _as_tensor_list(value)]
    return [item for value in (spec or []) for item in _as_tensor_list(value)]


def _keras2_functional(config):
    """A functional config whose node references mean the same to tf-keras and to Keras 3.

    tf-keras counts an extra first node on a nested Sequential that has an input layer;
    Keras 3 does not. Written without its input layer (it is built when the outer model
    calls it, as a Sequential without an input is), such a model has no extra node in either.
    """
    for layer in config.get("layers", []):
        inner = layer.get("config") if isinstance(layer, dict) else None
        if layer.get("class_name") == "Sequential" and isinstance(inner, dict) and inner.get("layers"):
            first = inner["layers"][0]
            if isinstance(first, dict) and first.get("class_name") == "InputLayer":
                inner["layers"] = inner["layers"][1:]
                inner.pop("build_input_shape", None)
    # tf-keras also counts a nested functional model's first node (its inputs to its outputs) in
    # the calls' arguments, where Keras 3 counts its calls from 0.
    nested = {layer.get("name") for layer in config.get("layers", [])
              if isinstance(layer, dict) and layer.get("class_name") in ("Functional", "Model")}
    for layer in config.get("layers", []):
        for node in layer.get("inbound_nodes") or [] if isinstance(layer, dict) else []:
            for reference in node if isinstance(node, list) else []:
                if isinstance(reference, list) and len(reference) >= 3 and reference[0] in nested:
                    reference[1] += 1
    for key in ("input_layers", "output_layers"):
        if key in config:
            config[key] = _as_tensor_list(config[key])
    return config


# A wrapper's layer (Bidirectional's, TimeDistributed's): Keras 3's legacy loader builds it only
# with its `module`, as tf.keras 2.13+ writes it (older Keras 2 ignores the extra key).
_WRAPPED_KEYS = ("layer", "backward_layer")


def _wrapped_to_keras2(value):
    converted = to_keras2(value)
    if _is_object(value) and _is_object(converted) and value.get("module") and "module" not in converted:
        converted = dict(converted, module=value["module"])
    return converted


def to_keras2(value):
    """A nanokeras (Keras 3) config rewritten in the dialect tf-keras and Keras 3 read from `.h5`."""
    if isinstance(value, list):
        return [to_keras2(item) for item in value]
    if not isinstance(value, dict):
        return value
    if value.get("module") == "keras" and value.get("class_name") in ("DTypePolicy", "FloatDTypePolicy"):
        return (value.get("config") or {}).get("name")
    if not _is_object(value):
        return {key: to_keras2(item) for key, item in value.items()}
    result = {key: item for key, item in value.items() if key not in ("build_config", "compile_config")}
    inner = value["config"]
    is_layer_entry = "name" in value or "inbound_nodes" in value or _is_layer_module(value.get("module"))
    if isinstance(inner, dict):
        inner = {key: _wrapped_to_keras2(item) if key in _WRAPPED_KEYS else to_keras2(item)
                 for key, item in inner.items()}
        for key, defaults in dict(_KERAS3_ONLY, **_KERAS3_ONLY_BY_CLASS.get(value["class_name"], {})).items():
            if key in inner and inner[key] in defaults:
                del inner[key]
        if value["class_name"] == "InputLayer" and "batch_shape" in inner:
            inner["batch_input_shape"] = inner.pop("batch_shape")
    result["config"] = inner
    if is_layer_entry:
        result.pop("module", None)
        registered = result.pop("registered_name", None)
        if isinstance(registered, str) and registered:
            result["class_name"] = registered  # Keras 2 names a registered class `package>Name`, as Keras 3 here
    if "inbound_nodes" in value:
        result["inbound_nodes"] = _nodes_to_keras2(value["inbound_nodes"], value.get("name"))
    if isinstance(inner, dict) and "input_layers" in inner and isinstance(inner.get("layers"), list):
        result["config"] = _keras2_functional(inner)
    if isinstance(result["config"], dict) and isinstance(result["config"].get("layers"), list):
        for layer in result["config"]["layers"]:
            _single_tensor_specs(layer)
    return result


def _single_tensor_specs(layer):
    """A nested functional model's one input or output as a bare `[layer, node, tensor]`: Keras 3's
    legacy loader reads `[[layer, node, tensor]]` there as a structure and fails to build it;
    tf-keras and nanokeras read both forms."""
    inner = layer.get("config") if isinstance(layer, dict) else None
    if not isinstance(inner, dict) or not isinstance(inner.get("layers"), list):
        return
    for key in ("input_layers", "output_layers"):
        spec = inner.get(key)
        if isinstance(spec, list) and len(spec) == 1 and isinstance(spec[0], list) and len(spec[0]) == 3:
            inner[key] = spec[0]


def _is_layer_module(module):
    return module in ("keras", "keras.layers", "keras.models") or str(module).startswith("keras.src.models")
