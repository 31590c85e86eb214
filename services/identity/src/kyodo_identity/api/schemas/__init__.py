"""Request and response bodies of the identity API (XCreate / XPublic), one module a concept."""
