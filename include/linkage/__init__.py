"""Probabilistic record linkage (Splink 5 on DuckDB): P3KE deduplicated within itself and linked to the roster.

`score_pairs` is the entry point; include.matching turns its scored pairs into links and review items.
"""

from include.linkage.scoring import SCORE_COLUMNS, score_pairs

__all__ = ["SCORE_COLUMNS", "score_pairs"]
