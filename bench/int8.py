"""``python -m bench.int8 MODEL.onnx OUT.onnx``: read only the rows of an int8 embedding table that a text uses.

``bench.finetune`` stores a model's matrices as int8 with a float scale per column or row, each turned
back into floats by a ``DequantizeLinear`` node (``weights_to_int8``). onnxruntime folds the matrices'
nodes into its int8 matrix product at load, but not the embedding tables': it turned the whole
30,522 x 384 word table back into floats on every run, 2.8 ms of the sentence model's 5.7 ms for one
question. ``rows_first`` reads the int8 rows a text uses and their scales, and multiplies only those:
the same numbers to the bit (``DequantizeLinear`` computes ``(q - 0) x scale`` in float32 too), so
vectors, and every weight fitted on them, stay as they were. Needs the extra ``finetune`` (onnx).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np


def rows_first(model) -> int:
    """Rewrite, in place, each ``Gather`` of a table that a ``DequantizeLinear`` restores whole (int8,
    a scale per row, zero points 0) into a gather of its int8 rows and their scales and a product. The
    ``DequantizeLinear`` goes when nothing else reads its output. Returns how many gathers changed."""
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    init = {i.name: i for i in graph.initializer}
    readers: dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            readers.setdefault(name, []).append(node)
    changed = 0
    for dequantize in [n for n in graph.node if n.op_type == "DequantizeLinear"]:
        if not _restores_table(dequantize, init, numpy_helper):
            continue
        table, scale = dequantize.input[0], dequantize.input[1]
        out = dequantize.output[0]
        gathers = [n for n in readers.get(out, []) if n.op_type == "Gather" and list(n.input).count(out) == 1]
        if not gathers or len(gathers) != len(readers[out]) or any(_axis(g) != 0 or g.input[0] != out for g in gathers):
            continue
        last = f"{out}_last_axis"  # Unsqueeze's axes: an input since opset 13, which a scale per row needs too
        if last not in init:
            axes = numpy_helper.from_array(np.array([-1], dtype=np.int64), last)
            graph.initializer.append(axes)
            init[last] = axes
        for gather in gathers:
            rows, result = gather.input[1], gather.output[0]
            new = [
                helper.make_node("Gather", [table, rows], [f"{result}_int8"], axis=0),
                helper.make_node("Gather", [scale, rows], [f"{result}_scale"], axis=0),
                helper.make_node("Cast", [f"{result}_int8"], [f"{result}_float"], to=TensorProto.FLOAT),
                helper.make_node("Unsqueeze", [f"{result}_scale", last], [f"{result}_scales"]),
                helper.make_node("Mul", [f"{result}_float", f"{result}_scales"], [result]),
            ]
            at = list(graph.node).index(gather)
            graph.node.remove(gather)
            for k, node in enumerate(new):
                graph.node.insert(at + k, node)
            changed += 1
        graph.node.remove(dequantize)
    return changed


def _restores_table(node, init: dict, numpy_helper) -> bool:
    """Whether ``node`` turns a whole int8 table (a scale per row, zero points 0) back into floats."""
    if len(node.input) < 2 or any(name not in init for name in node.input) or _axis(node) != 0:
        return False
    table = numpy_helper.to_array(init[node.input[0]])
    scale = numpy_helper.to_array(init[node.input[1]])
    zero = numpy_helper.to_array(init[node.input[2]]) if len(node.input) > 2 else np.zeros(1, dtype=np.int8)
    return (
        table.dtype == np.int8
        and table.ndim == 2
        and scale.dtype == np.float32
        and scale.shape == (table.shape[0],)
        and not np.any(zero)
    )


def _axis(node) -> int:
    return next((a.i for a in node.attribute if a.name == "axis"), 1 if node.op_type == "DequantizeLinear" else 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.int8", description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path, help="an ONNX file that bench.finetune wrote (weights_to_int8)")
    parser.add_argument("out", type=Path, help="where to write the rewritten file")
    args = parser.parse_args(argv)
    import onnx

    model = onnx.load(str(args.model))
    changed = rows_first(model)
    onnx.checker.check_model(model)
    onnx.save(model, str(args.out))
    print(f"{changed} gathers of int8 tables now read their rows first: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
