"""Sourcing models (import runs and their per-item outcomes)."""
