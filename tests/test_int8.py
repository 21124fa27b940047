"""bench/int8.py: an int8 embedding table's rows are read first, and the numbers stay the same to the bit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort  # a dependency of the project: never skipped
import pytest

onnx = pytest.importorskip("onnx")  # the test extra installs it
from onnx import TensorProto, helper, numpy_helper

from bench.finetune import weights_to_int8
from bench.int8 import rows_first
from index.embed import MODEL_FILE

ROWS, WIDTH = 600, 8


def _table_graph(zero: int = 0, also_read: bool = False):
    """ids -> Gather of a table that a DequantizeLinear restores whole (as weights_to_int8 writes it)."""
    rng = np.random.default_rng(1)
    table = rng.integers(-127, 128, size=(ROWS, WIDTH)).astype(np.int8)
    scale = rng.uniform(0.001, 0.05, size=ROWS).astype(np.float32)
    inits = [
        numpy_helper.from_array(table, "emb_int8"),
        numpy_helper.from_array(scale, "emb_scale"),
        numpy_helper.from_array(np.full(ROWS, zero, dtype=np.int8), "emb_zero"),
    ]
    nodes = [
        helper.make_node("DequantizeLinear", ["emb_int8", "emb_scale", "emb_zero"], ["emb"], axis=0),
        helper.make_node("Gather", ["emb", "ids"], ["rows"]),
    ]
    outputs = [helper.make_tensor_value_info("rows", TensorProto.FLOAT, [None, None, WIDTH])]
    if also_read:
        nodes.append(helper.make_node("ReduceSum", ["emb"], ["total"], keepdims=0))
        outputs.append(helper.make_tensor_value_info("total", TensorProto.FLOAT, []))
    graph = helper.make_graph(
        nodes, "table", [helper.make_tensor_value_info("ids", TensorProto.INT64, [None, None])], outputs, inits
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def _run(model, ids: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(["rows"], {"ids": ids})[0]


def _restores_whole_tables(model) -> list[str]:
    """The tables a DequantizeLinear turns back into floats whole for a Gather (not a matrix's weights,
    which onnxruntime folds at load)."""
    gathered = {n.input[0] for n in model.graph.node if n.op_type == "Gather"}
    return [n.output[0] for n in model.graph.node if n.op_type == "DequantizeLinear" and n.output[0] in gathered]


def test_rows_first_gives_the_same_numbers_to_the_bit():
    model = _table_graph()
    ids = np.array([[0, 5, 599, 5], [17, 3, 2, 1]], dtype=np.int64)
    before = _run(model, ids)
    assert rows_first(model) == 1
    onnx.checker.check_model(model)
    assert _restores_whole_tables(model) == []
    after = _run(model, ids)
    assert after.shape == (2, 4, WIDTH) and after.dtype == np.float32
    assert np.array_equal(before, after)


@pytest.mark.parametrize(
    "graph", [_table_graph(zero=3), _table_graph(also_read=True)], ids=["zero point", "read whole"]
)
def test_a_table_read_otherwise_or_with_a_zero_point_is_left_as_it_is(graph):
    assert rows_first(graph) == 0
    assert _restores_whole_tables(graph) == ["emb"]


def test_weights_to_int8_writes_tables_read_row_by_row(tmp_path: Path):
    rng = np.random.default_rng(2)
    table = rng.normal(size=(ROWS, WIDTH)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Gather", ["emb", "ids"], ["rows"])],
        "float",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, [None])],
        [helper.make_tensor_value_info("rows", TensorProto.FLOAT, [None, WIDTH])],
        [numpy_helper.from_array(table, "emb")],
    )
    source, target = tmp_path / "float.onnx", tmp_path / "int8.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(source))
    weights_to_int8(source, target)
    model = onnx.load(str(target))
    assert _restores_whole_tables(model) == []
    ids = np.array([4, 0, 599], dtype=np.int64)
    rows = _run(model, ids)
    assert np.allclose(rows, table[ids], atol=np.abs(table).max() / 127)


def test_the_packaged_sentence_model_reads_its_tables_row_by_row():
    model = onnx.load(str(Path(__file__).resolve().parent.parent / "index" / MODEL_FILE))
    assert _restores_whole_tables(model) == []
