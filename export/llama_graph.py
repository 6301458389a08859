"""Write a Llama-family decoder straight to an ONNX graph of onnxruntime's fused CPU ops.

Why not optimum's export: its graph spells attention, rotary embedding and RMSNorm out of
~3,500 small nodes (Shape, Gather, Unsqueeze, Concat, Where, ...). Profiled on the
5-row decode step of SmolLM2-135M, the weight matmuls were only a third of the kernel
time; the rest was per-node overhead. This builder emits ~8 nodes per layer instead:

    SkipSimplifiedLayerNormalization → MatMulNBits (q|k|v packed) → GroupQueryAttention
    (rotary inside) → MatMulNBits (o) → SkipSimplifiedLayerNormalization →
    MatMulNBits (gate|up packed) → Split → x·sigmoid(x)·up → MatMulNBits (down)

and the lm_head runs on the last position only. The embedding table and the lm_head are
one tensor in the model (``tie_word_embeddings``), and stay one tensor in the file: the
lookup is a ``GatherBlockQuantized`` over the lm_head's 8-bit ``MatMulNBits`` data. That
alone saves the 28 MB second copy an untied export carries.

The interface is the one :class:`models.onnx_decoder.OnnxDecoder` drives: ``input_ids``,
``attention_mask``, ``past_key_values.{i}.key|value`` in; ``logits`` (last position) and
``present.{i}.key|value`` out. Each row has its own length: the attention mask is
right-padded per row, and its row sums become GroupQueryAttention's ``seqlens_k`` (see
:meth:`LlamaGraphBuilder._lengths`), so a row writes its next position at its own length and
never attends past it. That is how the runtime decodes the rows of several sentences,
whose prompts differ in length, in one batch (:mod:`models.batch_decode`). Several new
tokens after a non-empty cache work for one row only (the graph takes no
``query_seqlens``): a prompt runs on one row, then its cache fans out.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .deps import require
from .blockwise import affine_grid4, quantize_blockwise
from .quantize import QuantizationSettings

log = logging.getLogger(__name__)

OPSET = 18
MS_DOMAIN = "com.microsoft"
#: The graph input that weighs a mode update (shape [1]); the runtime's name for it
#: is :data:`models.onnx_decoder.MODE_UPDATE_INPUT`.
MODE_UPDATE_INPUT = "mode_update"


@dataclass(frozen=True)
class LlamaShape:
    """The config values the graph depends on (read from a transformers ``LlamaConfig``)."""

    layers: int
    hidden: int
    heads: int
    kv_heads: int
    head_dim: int
    intermediate: int
    vocab: int
    max_positions: int
    rope_theta: float
    rms_eps: float

    @classmethod
    def from_config(cls, config: Any) -> LlamaShape:
        if getattr(config, "rope_scaling", None):
            raise ValueError("rope_scaling is not supported by this graph builder")
        if not getattr(config, "tie_word_embeddings", False):
            raise ValueError("the graph builder shares the embedding with the lm_head; this model unties them")
        heads = config.num_attention_heads
        return cls(layers=config.num_hidden_layers, hidden=config.hidden_size, heads=heads,
                   kv_heads=getattr(config, "num_key_value_heads", None) or heads,
                   head_dim=getattr(config, "head_dim", None) or config.hidden_size // heads,
                   intermediate=config.intermediate_size, vocab=config.vocab_size,
                   max_positions=config.max_position_embeddings, rope_theta=float(config.rope_theta),
                   rms_eps=float(config.rms_norm_eps))


@dataclass(frozen=True)
class LoraFactor:
    """One adapted Linear: ``W + b @ a`` with the adapter's scaling already in ``b``."""

    a: np.ndarray  # [rank, in]
    b: np.ndarray  # [out, rank]


class _GraphWriter:
    """Collects nodes and initializers; names every tensor it makes after the node."""

    def __init__(self, onnx: Any) -> None:
        self.onnx = onnx
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []

    def constant(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(self.onnx.numpy_helper.from_array(value, name=name))
        return name

    def node(self, op: str, inputs: list[str], outputs: list[str], name: str, domain: str = "", **attrs: Any) -> list[str]:
        self.nodes.append(self.onnx.helper.make_node(op, inputs, outputs, name=name, domain=domain or None, **attrs))
        return outputs


class LlamaGraphBuilder:
    """Builds the graph from a name → numpy weight mapping in transformers' naming."""

    def __init__(self, shape: LlamaShape, weights: Mapping[str, np.ndarray],
                 quantization: QuantizationSettings | None, lora: Mapping[str, LoraFactor] | None = None,
                 mode_update: Mapping[str, LoraFactor] | None = None) -> None:
        """``weights`` are the base model's; ``lora`` the adapter's factors by module, if any.

        ``quantization=None`` keeps every weight in float32 (references and tests). Layers
        stored in 8 bits get the adapter merged in before rounding; layers stored in 4 bits
        keep the base exactly on its GGUF grid and the adapter beside it (:meth:`_grid4_matmul`).

        ``mode_update``: a second low-rank update (``distill.mode_update``), added times the
        graph input :data:`MODE_UPDATE_INPUT` ([1], fed on every run), so one graph decodes as the
        adapter alone or with the update, per request. Its factors are stored in 8 bits
        (one scale per rank direction): the update is small and its rounding is far below
        the 4-bit base's.
        """
        self.shape = shape
        self.weights = weights
        self.q = quantization
        self.lora = dict(lora or {})
        self.update = dict(mode_update or {})
        self._made: set[str] = set()
        if quantization is not None and not quantization.symmetric:
            raise ValueError("only symmetric blockwise quantization is implemented")
        self.onnx = require("onnx")
        self.g = _GraphWriter(self.onnx)

    # -- weights ------------------------------------------------------------------------
    def _w(self, key: str) -> np.ndarray:
        return np.asarray(self.weights[key], dtype=np.float32)

    def _merged(self, module: str) -> np.ndarray:
        """The module's weight with its adapter update added (what peft's merge computes)."""
        weight = self._w(f"{module}.weight")
        factor = self.lora.get(module)
        return weight + factor.b @ factor.a if factor is not None else weight

    def _matmul(self, x: str, modules: list[str], name: str, bits: int | None) -> str:
        """``x @ W.T`` for the Linear layers ``modules`` packed along their outputs."""
        if self.q is not None and bits == 4:
            return self._grid4_matmul(x, modules, name)
        out = f"{name}/out"
        weight = np.concatenate([self._merged(m) for m in modules], axis=0)  # [out, in]
        if self.q is None or bits is None:
            self.g.node("MatMul", [x, self.g.constant(f"{name}.weight", np.ascontiguousarray(weight.T))], [out], name)
        else:
            q = quantize_blockwise(weight.T, bits, self.q.block_size)
            data = self.g.constant(f"{name}.qweight", q.data)
            scales = self._scales(q.scales, f"{name}.scales")
            self.g.node("MatMulNBits", [x, data, scales], [out], name, MS_DOMAIN, K=weight.shape[1], N=weight.shape[0],
                        bits=q.bits, block_size=q.block_size, accuracy_level=self.q.accuracy_level)
        factors = self._update_factors(modules, name, weight.shape[0])
        if factors is None:
            return out
        # A branch of its own here (references and 8-bit layers); the 4-bit path shares its side matmuls.
        a, b, _ = factors
        g = self.g
        g.node("MatMul", [x, a], [f"{name}/update_h"], f"{name}/update_h")
        g.node("Mul", [f"{name}/update_h", MODE_UPDATE_INPUT], [f"{name}/update_gated"], f"{name}/update_gate")
        g.node("MatMul", [f"{name}/update_gated", b], [f"{name}/update"], f"{name}/update")
        g.node("Add", [out, f"{name}/update"], [f"{name}/with_update"], f"{name}/add_update")
        return f"{name}/with_update"

    def _padded_b(self, b_t: str, start: int, rows: int, n: int, name: str) -> str:
        """``b_t`` [r, rows] placed at output columns ``start..start+rows`` of an [r, n] block."""
        pads = self.g.constant(f"{name}/pads", np.array([0, start, 0, n - start - rows], np.int64))
        self.g.node("Pad", [b_t, pads], [f"{b_t}/padded"], f"{b_t}/pad")
        return f"{b_t}/padded"

    def _output_starts(self, modules: list[str]) -> dict[str, int]:
        """The first output column of each of ``modules`` packed along their outputs."""
        rows = [self.weights[f"{m}.weight"].shape[0] for m in modules]
        return dict(zip(modules, (int(start) for start in np.cumsum([0] + rows[:-1]))))

    def _update_factors(self, modules: list[str], name: str, n: int) -> tuple[str, str, int] | None:
        """The mode update of ``modules`` as (A.T [K, r], B.T [r, N], r) in the packed output
        layout, stored in 8 bits; None when it has none."""
        factors = [(m, self.update[m]) for m in modules if m in self.update]
        if not factors:
            return None
        a_t = np.concatenate([f.a.T for _, f in factors], axis=1)
        a = self._int8_as_float(a_t, 1, f"{name}.update_a")
        starts = self._output_starts(modules)
        blocks = []
        for module, factor in factors:
            short = module.rsplit(".", 1)[-1]
            b_t = self._int8_as_float(factor.b.T, 0, f"{name}.update_b.{short}")
            blocks.append(self._padded_b(b_t, starts[module], factor.b.shape[0], n, f"{name}/update_pads.{short}"))
        if len(blocks) == 1:
            return a, blocks[0], a_t.shape[1]
        self.g.node("Concat", blocks, [f"{name}.update_b"], f"{name}.update_b/concat", axis=0)
        return a, f"{name}.update_b", a_t.shape[1]

    def _int8_as_float(self, values: np.ndarray, axis: int, name: str) -> str:
        """``values`` in 8 bits with one scale per index along ``axis`` (a rank direction),
        cast back to float32 in the graph (folded when the session loads). The scales are a
        few floats: stored as float32, they need no Cast node of their own."""
        values = np.asarray(values, dtype=np.float32)
        peak = np.abs(values).max(axis=1 - axis, keepdims=True)
        scale = (np.where(peak > 0, peak, 1.0) / 127.0).astype(np.float32)
        levels = np.clip(np.rint(values / scale), -127, 127).astype(np.int8)
        g = self.g
        g.node("Cast", [g.constant(f"{name}.int8", levels)], [f"{name}/levels"], f"{name}/cast",
               to=self.onnx.TensorProto.FLOAT)
        g.node("Mul", [f"{name}/levels", g.constant(f"{name}.scale", scale)], [name], f"{name}/dequantize")
        return name

    def _gate(self, widths: tuple[int, int, int]) -> str:
        """[lora | update | blocks] multipliers for a side branch: 1, the mode update's weight, 1."""
        name = f"const/gate{widths[0]}_{widths[1]}_{widths[2]}"
        if name in self._made:
            return name
        g = self.g
        g.node("Expand", [MODE_UPDATE_INPUT, g.constant(f"{name}/width", np.array([widths[1]], np.int64))],
               [f"{name}/update"], f"{name}/expand")
        parts = [f"{name}/update"]
        if widths[0]:
            parts.insert(0, g.constant(f"{name}/lora", np.ones(widths[0], np.float32)))
        parts.append(g.constant(f"{name}/blocks", np.ones(widths[2], np.float32)))
        g.node("Concat", parts, [name], f"{name}/concat", axis=0)
        self._made.add(name)
        return name

    def _grid4_matmul(self, x: str, modules: list[str], name: str) -> str:
        """Base weight exactly in 4 bits, plus a small float32 side branch.

        ``x @ W.T = MatMulNBits(x) + (x @ P) @ Q`` where ``P = [A.T | blocks]`` and
        ``Q = [s B.T ; (m + 8 d).T]``: the LoRA update (rank r, never merged, so never
        rounded) and each block's constant offset (the sum of the block's inputs times
        ``m + 8 d``) share two thin matmuls. P's block indicator and Q's offsets are
        computed in the graph from float16 ``d`` and ``m`` and folded at load.
        """
        g = self.g
        parts = [self._w(f"{m}.weight") for m in modules]
        base_weight = np.concatenate(parts, axis=0)  # [out, in]
        k, n = base_weight.shape[1], base_weight.shape[0]
        starts = self._output_starts(modules)
        grid = affine_grid4(base_weight.T, self.q.block_size)
        data = g.constant(f"{name}.qweight", grid.levels.data)
        scales = self._scales(grid.levels.scales, f"{name}.scales")
        g.node("MatMulNBits", [x, data, scales], [f"{name}/base"], name, MS_DOMAIN, K=k, N=n, bits=4,
               block_size=self.q.block_size, accuracy_level=self.q.accuracy_level)
        minimums = self._fp16_as_float(grid.minimums, f"{name}.minimums")
        g.node("Mul", [scales, g.constant(f"{name}/eight", np.array(8.0, np.float32))], [f"{name}/8d"], f"{name}/8d")
        g.node("Add", [minimums, f"{name}/8d"], [f"{name}/offsets"], f"{name}/offsets")
        g.node("Transpose", [f"{name}/offsets"], [f"{name}/offsets_t"], f"{name}/offsets_t", perm=[1, 0])
        left: list[str] = []
        right: list[str] = []
        lora_rank = 0
        factors = [(m, self.lora[m]) for m in modules if m in self.lora]
        if factors:
            a = np.concatenate([f.a.T for _, f in factors], axis=1)  # [K, R]
            lora_rank = a.shape[1]
            left.append(self._fp16_as_float(a, f"{name}.lora_a"))
            for column, (module, factor) in enumerate(factors):
                b_t = self._fp16_as_float(factor.b.T, f"{name}.lora_b.{module.rsplit('.', 1)[-1]}")  # [r, out_m]
                right.append(self._padded_b(b_t, starts[module], factor.b.shape[0], n, f"{name}/pads.{column}"))
        update = self._update_factors(modules, name, n)
        if update is not None:  # its columns of side_h are scaled by the mode update's weight
            left.append(update[0])
            right.append(update[1])
        left.append(self._block_indicator(k))
        right.append(f"{name}/offsets_t")
        g.node("Concat", left, [f"{name}/side_p"], f"{name}/side_p", axis=1)
        g.node("Concat", right, [f"{name}/side_q"], f"{name}/side_q", axis=0)
        g.node("MatMul", [x, f"{name}/side_p"], [f"{name}/side_h"], f"{name}/side_h")
        side_h = f"{name}/side_h"
        if update is not None:
            g.node("Mul", [side_h, self._gate((lora_rank, update[2], k // self.q.block_size))], [f"{name}/side_h_gated"],
                   f"{name}/side_gate")
            side_h = f"{name}/side_h_gated"
        g.node("MatMul", [side_h, f"{name}/side_q"], [f"{name}/side"], f"{name}/side")
        g.node("Add", [f"{name}/base", f"{name}/side"], [f"{name}/out"], f"{name}/add")
        return f"{name}/out"

    def _block_indicator(self, k: int) -> str:
        """[K, K / block] with 1 where input k belongs to block b (built from an identity, folded)."""
        name = f"const/blocks{k}"
        if name in self._made:
            return name
        g, blocks, size = self.g, k // self.q.block_size, self.q.block_size
        g.node("ConstantOfShape", [g.constant(f"{name}/shape", np.array([blocks, blocks], np.int64))],
               [f"{name}/zeros"], f"{name}/zeros", value=self.onnx.helper.make_tensor("v", self.onnx.TensorProto.FLOAT, [1], [0.0]))
        g.node("EyeLike", [f"{name}/zeros"], [f"{name}/eye"], f"{name}/eye")
        g.node("Unsqueeze", [f"{name}/eye", g.constant(f"{name}/axis", np.array([1], np.int64))], [f"{name}/eye3"], f"{name}/eye3")
        g.node("Expand", [f"{name}/eye3", g.constant(f"{name}/wide", np.array([blocks, size, blocks], np.int64))],
               [f"{name}/wide_eye"], f"{name}/expand")
        g.node("Reshape", [f"{name}/wide_eye", g.constant(f"{name}/flat", np.array([k, blocks], np.int64))], [name], f"{name}/reshape")
        self._made.add(name)
        return name

    def _fp16_as_float(self, values: np.ndarray, name: str) -> str:
        half = self.g.constant(f"{name}.fp16", np.ascontiguousarray(values, dtype=np.float16))
        self.g.node("Cast", [half], [name], f"{name}/cast", to=self.onnx.TensorProto.FLOAT)
        return name

    def _scales(self, scales: np.ndarray, name: str) -> str:
        """Block scales stored as float16 and cast to float32 in the graph.

        onnxruntime folds the Cast when the session loads, so the kernels see float32
        initializers as before; the file is 8 MB smaller (an eighth of a byte per weight
        at block 32). The relative rounding (2^-11) is far below the 8-bit step (1/254),
        and a GGUF Q8_0 table's scales are float16 already, so those stay exact.
        """
        return self._fp16_as_float(scales, name)

    # -- graph --------------------------------------------------------------------------
    def build(self) -> Any:
        s, g, helper, TP = self.shape, self.g, self.onnx.helper, self.onnx.TensorProto
        inputs = [helper.make_tensor_value_info("input_ids", TP.INT64, ["batch", "sequence"]),
                  helper.make_tensor_value_info("attention_mask", TP.INT64, ["batch", "total"])]
        if self.update:  # required: a default initializer would keep onnxruntime from folding around it
            inputs.append(helper.make_tensor_value_info(MODE_UPDATE_INPUT, TP.FLOAT, [1]))
        outputs = [helper.make_tensor_value_info("logits", TP.FLOAT, ["batch", 1, s.vocab])]
        for i in range(s.layers):
            for kind in ("key", "value"):
                inputs.append(helper.make_tensor_value_info(f"past_key_values.{i}.{kind}", TP.FLOAT,
                                                            ["batch", s.kv_heads, "past", s.head_dim]))
                outputs.append(helper.make_tensor_value_info(f"present.{i}.{kind}", TP.FLOAT,
                                                             ["batch", s.kv_heads, "total", s.head_dim]))
        seqlens, total = self._lengths()
        cos_name, sin_name = self._rotary_tables()
        hidden, lm_head = self._embedding()
        residual: str | None = None
        pending = hidden  # the tensor still to be added into the residual stream
        for i in range(s.layers):
            p = f"model.layers.{i}"
            normed, residual = self._norm(pending, residual, self._w(f"{p}.input_layernorm.weight"), f"/layers.{i}/input_norm")
            attn_bits = self.q.matmul_bits if self.q else None
            qkv = self._matmul(normed, [f"{p}.self_attn.{m}_proj" for m in "qkv"], f"/layers.{i}/attn/qkv", attn_bits)
            attn = g.node("GroupQueryAttention",
                          [qkv, "", "", f"past_key_values.{i}.key", f"past_key_values.{i}.value", seqlens, total,
                           cos_name, sin_name],
                          [f"/layers.{i}/attn/out", f"present.{i}.key", f"present.{i}.value"],
                          f"/layers.{i}/attn/gqa", MS_DOMAIN, num_heads=s.heads, kv_num_heads=s.kv_heads,
                          do_rotary=1, rotary_interleaved=0)[0]
            attn_out = self._matmul(attn, [f"{p}.self_attn.o_proj"], f"/layers.{i}/attn/o_proj", attn_bits)
            normed, residual = self._norm(attn_out, residual, self._w(f"{p}.post_attention_layernorm.weight"),
                                          f"/layers.{i}/post_attention_norm")
            pending = self._mlp(normed, p, f"/layers.{i}/mlp")
        last = [self._last_position(pending, "/final/last_delta"), self._last_position(residual, "/final/last_residual")]
        final, _ = self._norm(last[0], last[1], self._w("model.norm.weight"), "/final/norm")
        self._lm_head(final, lm_head)
        graph = helper.make_graph(g.nodes, "paraphrase-studio-decoder", inputs, outputs, g.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(MS_DOMAIN, 1)],
                                  producer_name="paraphrase-studio export.llama_graph")
        model.ir_version = 8
        return model

    def _lengths(self) -> tuple[str, str]:
        """GroupQueryAttention's ``seqlens_k`` (per row, total length - 1) and total length."""
        g = self.g
        axis = g.constant("const/axis1", np.array([1], np.int64))
        one = g.constant("const/one", np.array(1, np.int64))
        g.node("ReduceSum", ["attention_mask", axis], ["/lengths/sum"], "/lengths/sum", keepdims=0)
        g.node("Sub", ["/lengths/sum", one], ["/lengths/last"], "/lengths/last")
        g.node("Cast", ["/lengths/last"], ["seqlens_k"], "/lengths/seqlens_k", to=self.onnx.TensorProto.INT32)
        g.node("Shape", ["attention_mask"], ["/lengths/shape"], "/lengths/shape")
        g.node("Gather", ["/lengths/shape", one], ["/lengths/total64"], "/lengths/total64", axis=0)
        g.node("Cast", ["/lengths/total64"], ["total_sequence_length"], "/lengths/total", to=self.onnx.TensorProto.INT32)
        return "seqlens_k", "total_sequence_length"

    def _rotary_tables(self) -> tuple[str, str]:
        """cos/sin caches [max_positions, head_dim / 2], computed in the graph.

        Every input is a constant, so onnxruntime folds them at load: 2 MB less in the
        file. Computed in float32 like transformers' Llama rotary embedding.
        """
        s, g = self.shape, self.g
        inv_freq = (1.0 / (s.rope_theta ** (np.arange(0, s.head_dim, 2, dtype=np.int64).astype(np.float32) / s.head_dim)))
        positions = g.constant("rotary.positions", np.array(s.max_positions, np.int64))
        g.node("Range", [g.constant("rotary.zero", np.array(0, np.int64)), positions,
                         g.constant("rotary.step", np.array(1, np.int64))], ["/rotary/range"], "/rotary/range")
        g.node("Cast", ["/rotary/range"], ["/rotary/range_f"], "/rotary/range_f", to=self.onnx.TensorProto.FLOAT)
        g.node("Unsqueeze", ["/rotary/range_f", g.constant("rotary.axis", np.array([1], np.int64))],
               ["/rotary/column"], "/rotary/column")
        g.node("Mul", ["/rotary/column", g.constant("rotary.inv_freq", inv_freq.astype(np.float32)[None, :])],
               ["/rotary/angles"], "/rotary/angles")
        g.node("Cos", ["/rotary/angles"], ["rotary.cos"], "/rotary/cos")
        g.node("Sin", ["/rotary/angles"], ["rotary.sin"], "/rotary/sin")
        return "rotary.cos", "rotary.sin"

    def _embedding(self) -> tuple[str, list[str]]:
        """The token lookup, and the lm_head operands that share its table."""
        s, g = self.shape, self.g
        table = self._w("model.embed_tokens.weight")  # [vocab, hidden]
        if self.q is None:
            g.node("Gather", [g.constant("model.embed_tokens.weight", table), "input_ids"], ["/embed/out"], "/embed", axis=0)
            return "/embed/out", [g.constant("lm_head.weight", np.ascontiguousarray(table.T))]
        q = quantize_blockwise(table.T, self.q.embedding_bits, self.q.embedding_block_size)
        data = g.constant("embed_tokens.qweight", q.data)  # [vocab, blocks, bytes]: both ops read it
        scales = self._scales(q.scales, "embed_tokens.scales")
        gather_scales = "embed_tokens.scales.gather"  # the same values with the rank of data, folded at load
        g.node("Unsqueeze", [scales, g.constant("const/axis2", np.array([2], np.int64))], [gather_scales],
               "/embed/scales_rank")
        g.node("GatherBlockQuantized", [data, "input_ids", gather_scales], ["/embed/blocks"], "/embed", MS_DOMAIN,
               bits=q.bits, block_size=q.block_size, gather_axis=0, quantize_axis=2)
        shape = g.constant("const/embed_shape", np.array([0, 0, s.hidden], np.int64))
        g.node("Reshape", ["/embed/blocks", shape], ["/embed/out"], "/embed/reshape")
        return "/embed/out", [data, scales]

    def _lm_head(self, hidden: str, operands: list[str]) -> None:
        s = self.shape
        if self.q is None:
            self.g.node("MatMul", [hidden, *operands], ["logits"], "/lm_head")
            return
        self.g.node("MatMulNBits", [hidden, *operands], ["logits"], "/lm_head", MS_DOMAIN, K=s.hidden, N=s.vocab,
                    bits=self.q.embedding_bits, block_size=self.q.embedding_block_size,
                    accuracy_level=self.q.accuracy_level)

    def _norm(self, x: str, residual: str | None, weight: np.ndarray, name: str) -> tuple[str, str]:
        """RMSNorm of ``residual + x``; returns (normalized, new residual)."""
        g, eps = self.g, self.shape.rms_eps
        w = g.constant(f"{name}.weight", weight)
        if residual is None:
            g.node("SimplifiedLayerNormalization", [x, w], [f"{name}/out"], name, axis=-1, epsilon=eps, stash_type=1)
            return f"{name}/out", x
        g.node("SkipSimplifiedLayerNormalization", [x, residual, w], [f"{name}/out", "", "", f"{name}/sum"], name,
               MS_DOMAIN, epsilon=eps)
        return f"{name}/out", f"{name}/sum"

    def _mlp(self, x: str, prefix: str, name: str) -> str:
        g = self.g
        both = self._matmul(x, [f"{prefix}.mlp.gate_proj", f"{prefix}.mlp.up_proj"], f"{name}/gate_up",
                            self.q.gate_up_bits if self.q else None)
        g.node("Split", [both], [f"{name}/gate", f"{name}/up"], f"{name}/split", axis=-1, num_outputs=2)
        g.node("Sigmoid", [f"{name}/gate"], [f"{name}/sigmoid"], f"{name}/sigmoid")
        g.node("Mul", [f"{name}/gate", f"{name}/sigmoid"], [f"{name}/silu"], f"{name}/silu")
        g.node("Mul", [f"{name}/silu", f"{name}/up"], [f"{name}/act"], f"{name}/act")
        return self._matmul(f"{name}/act", [f"{prefix}.mlp.down_proj"], f"{name}/down_proj",
                            self.q.down_bits if self.q else None)

    def _last_position(self, x: str, name: str) -> str:
        g = self.g
        starts = g.constant(f"{name}/starts", np.array([-1], np.int64))
        ends = g.constant(f"{name}/ends", np.array([np.iinfo(np.int64).max], np.int64))
        g.node("Slice", [x, starts, ends, g.constant(f"{name}/axes", np.array([1], np.int64))], [f"{name}/out"], name)
        return f"{name}/out"


def torch_weights(model: Any) -> dict[str, np.ndarray]:
    """A transformers model's parameters as float32 numpy arrays, by name."""
    return {k: v.detach().float().cpu().numpy().copy() for k, v in model.state_dict().items()}


def write_decoder(config: Any, weights: Mapping[str, np.ndarray], out_model: Path,
                  quantization: QuantizationSettings | None, lora: Mapping[str, LoraFactor] | None = None,
                  mode_update: Mapping[str, LoraFactor] | None = None) -> Path:
    """Build the graph for a transformers Llama ``config``, its base ``weights``, an
    optional adapter (:func:`lora_factors`) and an optional mode update
    (:func:`read_lora_folder`); save it as one file."""
    onnx = require("onnx")
    proto = LlamaGraphBuilder(LlamaShape.from_config(config), weights, quantization, lora, mode_update).build()
    out_model.parent.mkdir(parents=True, exist_ok=True)
    onnx.save_model(proto, str(out_model))
    log.info("decoder graph: %d nodes, %.1f MB", len(proto.graph.node), out_model.stat().st_size / 1e6)
    return out_model


def lora_factors(peft_model: Any) -> dict[str, LoraFactor]:
    """The LoRA factors of a peft model, by the base model's module names (scaling folded into b)."""
    factors: dict[str, LoraFactor] = {}
    for name, module in peft_model.named_modules():
        lora_a = getattr(module, "lora_A", None)
        if not lora_a or "default" not in lora_a:
            continue
        if getattr(module, "use_dora", {}).get("default", False):
            raise ValueError(f"{name}: DoRA adapters cannot be kept as separate factors")
        scaling = float(module.scaling["default"])
        a = lora_a["default"].weight.detach().float().cpu().numpy().copy()
        b = module.lora_B["default"].weight.detach().float().cpu().numpy() * scaling
        factors[name.removeprefix("base_model.model.")] = LoraFactor(a=a, b=b)
    return factors


def read_lora_folder(folder: Path) -> dict[str, LoraFactor]:
    """A PEFT LoRA folder's factors by the base model's module names (scaling folded into b),
    read without peft: a mode update (:mod:`distill.mode_update`) is never applied to a model."""
    import json

    safetensors_numpy = require("safetensors.numpy")
    config_path = folder / "adapter_config.json"
    if not config_path.is_file():
        raise FileNotFoundError(f"{folder} is not a LoRA adapter folder (no adapter_config.json)")
    config = json.loads(config_path.read_text(encoding="utf-8"))
    if config.get("peft_type") != "LORA" or config.get("use_dora"):
        raise ValueError(f"{folder}: only plain LoRA adapters can be read as factors")
    rank = int(config["r"])
    scaling = float(config["lora_alpha"]) / (rank ** 0.5 if config.get("use_rslora") else rank)
    tensors = safetensors_numpy.load_file(str(folder / "adapter_model.safetensors"))
    factors: dict[str, LoraFactor] = {}
    for key in sorted(k for k in tensors if k.endswith(".lora_A.weight")):
        module = key.removesuffix(".lora_A.weight")
        b = tensors.get(f"{module}.lora_B.weight")
        if b is None:
            raise ValueError(f"{folder}: {module} has lora_A but no lora_B")
        factors[module.removeprefix("base_model.model.")] = LoraFactor(
            a=tensors[key].astype(np.float32), b=b.astype(np.float32) * np.float32(scaling))
    if not factors:
        raise ValueError(f"{folder} holds no LoRA factors")
    return factors
