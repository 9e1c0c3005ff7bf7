"""OGC API – Features (Parts 1–4) under /ogc for GIS clients, and its OpenAPI document."""
