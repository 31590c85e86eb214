"""Events of services still being built (tax, disaster), as this service expects them.

The seam: when `kyodo_tax_events` / `kyodo_disaster_events` exist, the worker subscribes to
their classes instead and these models document (and test) the fields the read models need.
They ignore extra fields, so a richer event still reads.
"""
