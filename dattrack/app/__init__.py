"""The use cases, one module per noun: load through store/, compute with the pure core (ledger/,
valuation/), return plain values for cli/ to print."""


def open_database(path=None, *, create: bool = True):
    """The database a command works on (migrated when opened), as a store whose `write()` is the
    command's one transaction. Close it when done. create=False: a missing file is bad input."""
    from dattrack.store import open_store

    return open_store(path, create=create)


def http_client():
    """One HTTP client for a command that asks providers several times (close it when done)."""
    from dattrack.providers.http import make_client

    return make_client()
