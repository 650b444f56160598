"""Random min-max games (placeholder, filled below)."""
