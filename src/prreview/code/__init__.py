"""Libraries that read local git repositories: history, identifiers, FIM examples."""
