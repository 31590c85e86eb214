"""Public events of the identity service (support grants arrive with their issue)."""

TOPICS: dict[str, int] = {"kyodo.identity.v1": 3}
