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
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
