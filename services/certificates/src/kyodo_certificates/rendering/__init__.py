"""PDF rendering of certificates (A4, Japanese text in an embedded IPAex Gothic subset)."""
