"""PDF rendering of certificates (A4, Japanese text in an embedded IPAmj明朝 subset: ADR 0014)."""
