"""Storage: tables and the database handle."""
