"""The functional API's graph: symbolic `KerasTensor`s, the `Node`s that connect them, and
`Operation`, the base of everything that can be called on them (layers and symbolic ops)."""

from nanokeras.graph.keras_tensor import KerasTensor, any_symbolic, is_keras_tensor
from nanokeras.graph.node import Node
from nanokeras.graph.operation import Operation
from nanokeras.graph.symbolic_op import SymbolicOperation, symbolic_op
