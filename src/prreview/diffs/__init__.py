"""Unified-diff handling: no Kedro here."""
