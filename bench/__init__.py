"""Benchmarks of the answer engine against rank-bm25 (and bm25s when installed): ``python -m bench``."""
