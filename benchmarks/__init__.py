"""Benchmarks of the token keeper (``make bench``; see BENCHMARKS.md). Figures are printed, not
asserted."""
