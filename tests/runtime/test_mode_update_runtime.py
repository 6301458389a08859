"""The default student's Simpler mode decodes with its own low-rank update; every other
mode decodes without it, from one graph (``mode_update``, see ``export.llama_graph``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.batch_decode import RowPool
from models.onnx_decoder import KVCache


def test_rows_of_different_update_weights_never_share_a_batch() -> None:
    def prompt(update: float) -> KVCache:
        return KVCache([np.zeros((1, 1, 4, 2), np.float32)], 2, update=update)

    pool = RowPool(max_rows=8)
    joined = pool.join(None, [(prompt(1.0), 2), (prompt(1.0), 1)])
    assert joined.rows == 3 and joined.update == 1.0
    with pytest.raises(ValueError, match="different mode update weights"):
        pool.join(joined, [(prompt(0.0), 1)])
    assert joined.keep_rows(np.array([0, 2])).update == 1.0 and joined.rewound(1).update == 1.0


def test_simpler_decodes_with_the_update_and_standard_without(default_bundle: Path) -> None:
    from models import Paraphraser

    paraphraser = Paraphraser.load(default_bundle, scorer=None)
    controls = paraphraser.prompt.controls
    assert controls is not None and controls.mode_updates == {"simpler": 1.0}
    assert paraphraser.decoder.has_mode_update
    sentence = "The committee postponed its decision until more evidence could be gathered."
    ids = np.array([paraphraser.tokenizer.encode(paraphraser.prompt.render(sentence, "simpler"),
                                                 add_special_tokens=False).ids])
    decoder = paraphraser.decoder
    without = decoder.forward(ids, decoder.new_cache(1, ids.shape[1])).copy()
    weighed = decoder.forward(ids, decoder.new_cache(1, ids.shape[1], update=1.0)).copy()
    assert np.abs(without - weighed).max() > 0.1  # the update changes what Simpler writes
    assert np.abs(without - decoder.forward(ids, decoder.new_cache(1, ids.shape[1]))).max() == 0.0

    paraphraser.paraphrase("The committee postponed its decision. It met again in May.", n=2, seed=1,
                           mode="simpler")
    assert set(paraphraser._prefixes) == {1.0}  # both sentences, one batch, one weight
    paraphraser.paraphrase(sentence, n=2, seed=1, mode="shorter")
    assert set(paraphraser._prefixes) == {0.0, 1.0}
    assert paraphraser._prefixes[0.0][1].update == 0.0 and paraphraser._prefixes[1.0][1].update == 1.0
