"""prreview: turn GitHub pull-request history into a code-review model."""

__version__ = "0.1.0"
