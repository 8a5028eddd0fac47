"""The exceptions backcheck raises on purpose.

    BackcheckError            anything the user can fix; its message says what, where and how
    ├── InputError            a report, answers file, batch line or other input is unusable
    ├── KnowledgeError        a knowledge-base file is invalid (a bug in the package data)
    ├── ImportFormatError     a training-log export cannot be read (file, line, column)
    └── VideoError            a video cannot be analysed (not a video, no person, too long)

Front ends catch `BackcheckError` and print its message on one line with a non-zero exit.
"""

from __future__ import annotations


class BackcheckError(Exception):
    """Base class: the message is shown to the user as it is."""


class InputError(BackcheckError):
    """Input that cannot be triaged or imported as given."""


class KnowledgeError(BackcheckError):
    """The packaged knowledge base failed validation."""


class ImportFormatError(BackcheckError):
    """A training-log export with a problem at a known place."""


class VideoError(BackcheckError):
    """A video that cannot be analysed."""
