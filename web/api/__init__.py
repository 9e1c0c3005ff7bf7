"""Guatu's own JSON API under /api: reads, writes, a place's ledger and history, and its OpenAPI document."""
