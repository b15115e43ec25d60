"""The project's own error class: raised only when a run cannot go on."""


class KlaError(Exception):
    """A problem the user must fix before the run can go on; the message is Indonesian."""


class OutputsError(KlaError):
    """The outputs folder could not be written (read-only, disk full, size limit): `exit_code` says which."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code
