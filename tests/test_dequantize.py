"""bench/dequantize.py: float weights, by transformers' names, from a dynamically quantised ONNX graph."""

from __future__ import annotations

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")  # the test extra installs it
from onnx import TensorProto, helper, numpy_helper

from bench.dequantize import float_weights


def _graph():
    rng = np.random.default_rng(0)
    q = rng.integers(-127, 128, size=(4, 3)).astype(np.int8)  # (in, out), as MatMulInteger reads it
    zero = np.array([0, 2, -1], dtype=np.int8)
    scale = np.array([0.5, 0.25, 2.0], dtype=np.float32)
    table = rng.integers(-127, 128, size=(5, 4)).astype(np.int8)
    bias = np.arange(3, dtype=np.float32)
    inits = [
        numpy_helper.from_array(q, "onnx::MatMul_7_quantized"),
        numpy_helper.from_array(zero, "onnx::MatMul_7_zero_point"),
        numpy_helper.from_array(scale, "onnx::MatMul_7_scale"),
        numpy_helper.from_array(bias, "encoder.layer.0.attention.self.query.bias"),
        numpy_helper.from_array(table, "embeddings.word_embeddings.weight_quantized"),
        numpy_helper.from_array(np.array(0.1, dtype=np.float32), "embeddings.word_embeddings.weight_scale"),
        numpy_helper.from_array(np.array(3, dtype=np.int8), "embeddings.word_embeddings.weight_zero_point"),
    ]
    nodes = [
        helper.make_node(
            "Gather", ["embeddings.word_embeddings.weight_quantized", "ids"], ["rows_q"], name="/embeddings/Gather"
        ),
        helper.make_node(
            "DequantizeLinear",
            ["rows_q", "embeddings.word_embeddings.weight_scale", "embeddings.word_embeddings.weight_zero_point"],
            ["rows"],
        ),
        helper.make_node(
            "MatMulInteger",
            ["x_q", "onnx::MatMul_7_quantized", "x_zero", "onnx::MatMul_7_zero_point"],
            ["y"],
            name="/encoder/layer.0/attention/self/query/MatMul_quant",
        ),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, [None])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [None, 3])],
        inits,
    )
    return helper.make_model(graph), q, zero, scale, table, bias


def test_matrices_come_back_as_floats_under_their_module_names():
    model, q, zero, scale, table, bias = _graph()
    weights = float_weights(model)
    assert set(weights) == {
        "encoder.layer.0.attention.self.query.weight",
        "encoder.layer.0.attention.self.query.bias",
        "embeddings.word_embeddings.weight",
    }
    query = weights["encoder.layer.0.attention.self.query.weight"]
    assert query.shape == (3, 4)  # torch's (out, in)
    expected = (q.astype(np.float32) - zero) * scale
    np.testing.assert_allclose(query, expected.T)
    np.testing.assert_allclose(weights["embeddings.word_embeddings.weight"], (table.astype(np.float32) - 3) * 0.1)
    np.testing.assert_array_equal(weights["encoder.layer.0.attention.self.query.bias"], bias)
    assert all(w.dtype == np.float32 for w in weights.values())


def test_a_cross_encoders_head_and_prefixed_names_come_back():
    """A ``BertForSequenceClassification`` export (bench/reader.py): "bert."-prefixed floats and the classifier."""
    q = np.array([[3], [-2]], dtype=np.int8)  # (in 2, out 1)
    inits = [
        numpy_helper.from_array(q, "classifier.weight_quantized"),
        numpy_helper.from_array(np.array(0, dtype=np.int8), "classifier.weight_zero_point"),
        numpy_helper.from_array(np.array(0.5, dtype=np.float32), "classifier.weight_scale"),
        numpy_helper.from_array(np.array([1.5], dtype=np.float32), "classifier.bias"),
        numpy_helper.from_array(np.ones(2, dtype=np.float32), "bert.encoder.layer.0.output.LayerNorm.weight"),
    ]
    node = helper.make_node(
        "MatMulInteger",
        ["x_q", "classifier.weight_quantized", "x_zero", "classifier.weight_zero_point"],
        ["y"],
        name="/classifier/Gemm_MatMul_quant",
    )
    graph = helper.make_graph(
        [node], "head", [], [helper.make_tensor_value_info("y", TensorProto.INT32, [None, 1])], inits
    )
    model = helper.make_model(graph)
    assert set(float_weights(model)) == {"classifier.weight"}  # the defaults keep a BertModel's floats only
    weights = float_weights(model, ("bert.", "classifier."))
    assert set(weights) == {"classifier.weight", "classifier.bias", "bert.encoder.layer.0.output.LayerNorm.weight"}
    np.testing.assert_allclose(weights["classifier.weight"], [[1.5, -1.0]])
