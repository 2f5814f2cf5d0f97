"""Probabilistic record linkage (Splink 5 on DuckDB): P3KE deduplicated within itself and linked to the roster.

`features` puts the identities into DuckDB (from the staged files or from frames) with their integer keys;
`scoring.predict` scores the candidate pairs there; include.matching turns them into links and review items.
`score_pairs` does both for two frames and returns the scored pairs.
"""

from include.linkage.scoring import SCORE_COLUMNS, score_pairs

__all__ = ["SCORE_COLUMNS", "score_pairs"]
