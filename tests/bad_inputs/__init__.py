"""The bad-input corpus (cases.yml) and its test."""
