"""The project's own error class: raised only when a run cannot go on."""


class KlaError(Exception):
    """A problem the user must fix before the run can go on; the message is Indonesian."""
