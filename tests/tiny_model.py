"""A tiny randomly initialised Llama with a word-level tokenizer, made on the fly.

It goes through the real export code, so runtime tests exercise a real bundle in seconds.
The vocabulary is small and includes a newline and end-of-sequence token, so random
sampling ends candidates often enough to test streaming, dedupe and cancellation.
"""

from __future__ import annotations

from pathlib import Path

WORDS = (
    "the a cat dog sat ran on under mat rug house garden quickly slowly big small red blue "
    "and but because when it was is were happy sad morning evening near far old new . ,"
).split()
SPECIALS = ["<unk>", "<|endoftext|>", "<|im_end|>", "\n", "Sentence:", "Paraphrase:"]
TINY_TEMPLATE = "Sentence: {text}\nParaphrase:"


def make_tiny_checkpoint(folder: Path, *, seed: int = 0) -> Path:
    """Write a ~300k-parameter LlamaForCausalLM and its tokenizer to ``folder``."""
    import torch
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate(SPECIALS + WORDS)}
    backend = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(" +"), behavior="removed"),
        pre_tokenizers.Split("\n", behavior="isolated"),
    ])
    backend.decoder = decoders.WordPiece(prefix="##", cleanup=False)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, eos_token="<|im_end|>", pad_token="<|im_end|>",
                                        unk_token="<unk>", model_input_names=["input_ids", "attention_mask"])
    torch.manual_seed(seed)
    config = LlamaConfig(vocab_size=len(vocab), hidden_size=128, intermediate_size=256, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                         tie_word_embeddings=True, eos_token_id=2, bos_token_id=1, pad_token_id=2)
    model = LlamaForCausalLM(config).eval()
    snap_to_gguf_grids(model)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def snap_to_gguf_grids(model: object) -> None:
    """Round the weights the way the packaged GGUF stores SmolLM2's, in place.

    Linear layers become Q4_1 (per 32 inputs: ``d * q + m``, q in 0..15, d and m float16)
    and the tied embedding Q8_0 (``d * q``, |q| <= 127), so the tiny base exercises the
    exact 4-bit path of ``export.llama_graph`` like the real one.
    """
    import numpy as np
    import torch

    with torch.no_grad():
        for name, tensor in model.state_dict().items():  # type: ignore[attr-defined]
            if tensor.dim() != 2:
                continue
            w = tensor.numpy().reshape(tensor.shape[0], -1, 32).astype(np.float32)
            if name.endswith("embed_tokens.weight") or name == "lm_head.weight":
                d = (np.abs(w).max(axis=2) / 127).astype(np.float16).astype(np.float32)
                q = np.clip(np.rint(w / np.where(d > 0, d, 1)[:, :, None]), -127, 127)
                snapped = q * d[:, :, None]
            else:
                low = w.min(axis=2).astype(np.float16).astype(np.float32)
                d = ((w.max(axis=2) - low) / 15).astype(np.float16).astype(np.float32)
                q = np.clip(np.rint((w - low[:, :, None]) / np.where(d > 0, d, 1)[:, :, None]), 0, 15)
                snapped = q * d[:, :, None] + low[:, :, None]
            tensor.copy_(torch.from_numpy(snapped.reshape(tensor.shape)))
