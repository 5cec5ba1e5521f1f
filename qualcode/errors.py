"""Domain errors. The CLI turns any QualcodeError into a one-line message and a non-zero exit."""


class QualcodeError(Exception):
    """A problem the user can fix: bad input, an unknown name, an impossible change."""


class ProjectError(QualcodeError):
    """The project file is missing, not a qualcode project, or from a newer version."""


class NotFound(QualcodeError):
    """A named thing (code, transcript, analyst, theme, memo) does not exist."""


class InvalidInput(QualcodeError):
    """A value, location or option that cannot be used."""


class ImportFormatError(QualcodeError):
    """A file that cannot be read as a transcript or exchange file."""
