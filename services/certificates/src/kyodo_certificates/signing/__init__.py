"""Authenticity: the platform's certificate signing key, signatures, PDFs sealed at rest."""
