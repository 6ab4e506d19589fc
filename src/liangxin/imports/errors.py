"""Errors of the import pipeline; each message tells a person what is wrong and what to do."""


class ImportProblem(Exception):
    """The document cannot be read or is not a work plan. The message is for the user."""


class ReaderError(ImportProblem):
    """The file is empty, not a document, damaged, encrypted, too large, or has no text layer."""


class NotAPlanError(ImportProblem):
    """The text was read but does not look like a work plan (no title, no numbered tasks)."""
