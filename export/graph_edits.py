"""Edits to the exported graph that the runtime relies on.

optimum's decoder computes logits for every input position, but generation only ever
reads the last one. During a prompt of ~30 tokens that is 30 lm_head rows (576 x 49,152
each) and a 5.7 MB logits tensor for nothing; slicing the hidden state to its last
position before the lm_head removes both.
"""

from __future__ import annotations

import logging
from typing import Any

from ._deps import require

log = logging.getLogger(__name__)

LOGITS = "logits"


def keep_last_position_logits(model: Any) -> Any:
    """Insert ``Slice(hidden, -1:, axis=1)`` before the node that produces ``logits``."""
    onnx = require("onnx")
    helper, numpy_helper = onnx.helper, onnx.numpy_helper
    import numpy as np

    graph = model.graph
    producers = [n for n in graph.node if LOGITS in n.output]
    if len(producers) != 1:
        raise ValueError(f"expected one node producing '{LOGITS}', found {len(producers)}")
    head = producers[0]
    hidden = head.input[0]
    sliced = f"{hidden}/last_position"
    names = ("last_position/starts", "last_position/ends", "last_position/axes")
    values = (np.array([-1], np.int64), np.array([np.iinfo(np.int64).max], np.int64), np.array([1], np.int64))
    graph.initializer.extend(numpy_helper.from_array(v, name=n) for n, v in zip(names, values))
    slice_node = helper.make_node("Slice", [hidden, *names], [sliced], name="/lm_head/last_position")
    index = list(graph.node).index(head)
    graph.node.insert(index, slice_node)
    head.input[0] = sliced
    for output in graph.output:
        if output.name == LOGITS:
            dim = output.type.tensor_type.shape.dim[1]
            dim.Clear()
            dim.dim_value = 1
    log.info("logits restricted to the last position (before %s)", head.name)
    return model
