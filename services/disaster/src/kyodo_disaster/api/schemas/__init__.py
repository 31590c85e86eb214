"""Request and response bodies of the disaster API (XCreate / XPublic)."""
