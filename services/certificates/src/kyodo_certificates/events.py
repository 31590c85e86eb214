"""Public events of the certificates service (none yet: CertificateIssued comes with issuance)."""

TOPICS: dict[str, int] = {"kyodo.certificates.v1": 6}
