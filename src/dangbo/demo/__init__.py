"""Deterministic demo data: realistic Vietnamese people and the shape of the demo Party committee."""
