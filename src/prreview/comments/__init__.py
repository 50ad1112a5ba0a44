"""Review-comment filtering: rules, embeddings and the learned classifier (no Kedro)."""
