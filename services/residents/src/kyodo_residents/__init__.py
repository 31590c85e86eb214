"""Residents: the resident register (住民記録 / 住民基本台帳)."""
