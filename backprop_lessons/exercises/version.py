"""The version stamp of a lesson: ``written_for("0.1.0")`` in a notebook's setup cell."""

from __future__ import annotations

import warnings

__all__ = ["VersionMismatchWarning", "written_for"]


class VersionMismatchWarning(UserWarning):
    """The installed backprop_lessons is not the version a lesson was written for."""


def written_for(version: str) -> None:
    """Warn (:class:`VersionMismatchWarning`) if the installed package is not ``version``.

    Prints nothing and returns None when they match.
    """
    from backprop_lessons import __version__ as installed

    if not isinstance(version, str) or not version.strip():
        raise TypeError(f"version must be a version string such as '0.1.0', got {version!r}")
    if version.strip() == installed:
        return None
    warnings.warn(
        VersionMismatchWarning(
            f"This lesson was written for backprop_lessons {version.strip()}, but "
            f"{installed} is installed. Results and exercise checks may differ. To update: "
            "`pip install -U backprop-lessons`, or `pip install -e .` in your clone of the "
            "course (after `git pull`)."
        ),
        stacklevel=2,
    )
    return None
