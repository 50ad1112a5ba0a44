"""Curation libraries for the dataset pipeline: QC, dedupe, redaction, splits."""
