"""Chat-completion plumbing: a bundled local model, an OpenAI-compatible server for
it, and a retrying, caching client that talks to any OpenAI-compatible endpoint."""
