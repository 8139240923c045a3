"""The one error the offline lab raises: a single line saying what failed and what to do."""


class OfflineLabError(Exception):
    """The offline lab could not start, stop or find a registry server."""
