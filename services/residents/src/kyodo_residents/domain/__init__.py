"""Domain rules of the resident register."""
