"""The two kinds of failure a user can see; the CLI maps each to one line and an exit code."""


class DattrackError(Exception):
    """Base of every error dattrack reports as a one-line message."""

    exit_code = 1


class BadInput(DattrackError):
    """The user asked for something invalid; nothing was written (exit 2)."""

    exit_code = 2


class OperationFailed(DattrackError):
    """A well-formed request that could not be carried out: network, missing price, failed check (exit 1)."""

    exit_code = 1
