"""Benchmarks: one command each, printing a table of ratios."""
