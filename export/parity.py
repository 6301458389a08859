"""Parity of a quantized bundle against the PyTorch fp32 model it came from.

Two numbers go into the manifest: greedy agreement (does the bundle write exactly what
PyTorch writes, prompt by prompt) and next-token agreement (teacher-forced along PyTorch's
greedy output, how often the bundle's argmax is the same token). The second is the stable
one, so it is the gate: :data:`MIN_NEXT_TOKEN_AGREEMENT`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from models.bundle import ModelGeometry
from models.controls import STANDARD_MODE
from models.onnx_decoder import OnnxDecoder
from models.prompt import PromptFormat

from .deps import require

log = logging.getLogger(__name__)

#: Refuse to write a bundle whose next-token agreement with PyTorch fp32 is below this.
#: 8-bit weight-only MatMulNBits measured ~0.97 on SmolLM2-135M; dynamic int8 (0.68) and
#: 4-bit (0.72) are the failures this gate exists to catch.
MIN_NEXT_TOKEN_AGREEMENT = 0.95

#: Fixed, varied inputs (news, fiction, technical, questions, dialogue, numbers).
PARITY_SENTENCES = [
    "The committee postponed its decision until more evidence could be gathered.",
    "She walked to the station in the rain because the buses were not running.",
    "How do I reset my password if I no longer have access to my email?",
    "The new bridge will cut the journey between the two towns by half an hour.",
    "He said he had never seen the sea before he turned twenty.",
    "Prices rose by 3.2 percent in October, the fastest increase in a decade.",
    "The recipe calls for two eggs, a cup of flour and a pinch of salt.",
    "Our team will present the results at the conference next spring.",
    "The old lighthouse keeper lived alone with his dog for thirty years.",
    "Please remember to turn off the lights when you leave the office.",
    "The museum was closed for renovations, so we visited the park instead.",
    "Scientists believe the comet last passed near the Earth about 3,000 years ago.",
    "I would rather stay at home tonight than go to a crowded restaurant.",
    "The software update fixes several bugs and makes the app start faster.",
    "After the storm, volunteers helped clear fallen trees from the roads.",
    "Why does the moon look larger when it is close to the horizon?",
]


def parity_report(torch_model: Any, bundle_model: Path, geometry: ModelGeometry, prompt: PromptFormat,
                  tokenizer: Any, *, max_new_tokens: int = 20, sentences: list[str] | None = None,
                  mode: str = STANDARD_MODE, update: float = 0.0) -> dict[str, Any]:
    """Compare greedy decoding of ``torch_model`` and the ONNX file ``bundle_model``.

    ``tokenizer`` is the runtime's ``tokenizers.Tokenizer`` from the bundle, so both sides
    see exactly the ids the app will feed. ``mode`` picks the prompt's codes and ``update``
    the weight of the graph's mode update (``torch_model`` must then have it merged in).
    """
    torch = require("torch")
    sentences = sentences or PARITY_SENTENCES
    decoder = OnnxDecoder(bundle_model, geometry)
    stops = set(prompt.stop_token_ids)
    exact = 0
    agree = 0
    positions = 0
    for sentence in tqdm(sentences, desc="parity vs PyTorch fp32", unit="prompt", leave=False):
        prompt_ids = tokenizer.encode(prompt.render(sentence, mode), add_special_tokens=False).ids
        reference = _torch_greedy(torch, torch_model, prompt_ids, stops, max_new_tokens)
        ours = _onnx_greedy(decoder, prompt_ids, stops, max_new_tokens, update)
        exact += int(reference == ours)
        predicted = _onnx_teacher_forced(decoder, prompt_ids, reference, update)
        agree += sum(int(p == r) for p, r in zip(predicted, reference))
        positions += len(reference)
    return {
        "reference": "PyTorch fp32 greedy",
        **({"mode": mode, "mode_update": update} if update else {}),
        "prompts": len(sentences),
        "max_new_tokens": max_new_tokens,
        "greedy_identical": exact,
        "greedy_identical_rate": round(exact / len(sentences), 4),
        "next_token_positions": positions,
        "next_token_agreement": round(agree / positions, 4) if positions else 0.0,
    }


def _torch_greedy(torch: Any, model: Any, prompt_ids: list[int], stops: set[int], max_new: int) -> list[int]:
    out: list[int] = []
    with torch.no_grad():
        ids = torch.tensor([prompt_ids])
        past = None
        for _ in range(max_new):
            result = model(input_ids=ids, past_key_values=past, use_cache=True)
            past = result.past_key_values
            token = int(result.logits[0, -1].argmax())
            out.append(token)
            if token in stops:
                break
            ids = torch.tensor([[token]])
    return out


def _onnx_teacher_forced(decoder: OnnxDecoder, prompt_ids: list[int], reference: list[int],
                         update: float = 0.0) -> list[int]:
    """The bundle's argmax at each position while being fed PyTorch's tokens."""
    predicted: list[int] = []
    cache = decoder.new_cache(1, len(prompt_ids) + len(reference), update=update)
    logits = decoder.forward(np.array([prompt_ids], dtype=np.int64), cache)
    for i, token in enumerate(reference):
        predicted.append(int(logits[0].argmax()))
        if i + 1 < len(reference):
            logits = decoder.forward(np.array([[token]], dtype=np.int64), cache)
    return predicted


def _onnx_greedy(decoder: OnnxDecoder, prompt_ids: list[int], stops: set[int], max_new: int,
                 update: float = 0.0) -> list[int]:
    out: list[int] = []
    cache = decoder.new_cache(1, len(prompt_ids) + max_new, update=update)
    logits = decoder.forward(np.array([prompt_ids], dtype=np.int64), cache)
    for _ in range(max_new):
        token = int(logits[0].argmax())
        out.append(token)
        if token in stops:
            break
        logits = decoder.forward(np.array([[token]], dtype=np.int64), cache)
    return out
