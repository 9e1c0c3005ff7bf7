"""Guatu's domain and geospatial core: campaign configuration, places and
their ledger, validation, stores and derived rules. Nothing here imports Flask."""
