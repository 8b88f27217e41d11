"""Qt face of the candidate station."""
