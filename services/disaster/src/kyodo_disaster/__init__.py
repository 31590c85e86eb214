"""Disaster: declarations, the ledger of damaged houses, the victims ledger (被災者台帳)."""
