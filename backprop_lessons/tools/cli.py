"""The ``backprop-lessons`` command.

Subcommands are looked up lazily so that ``backprop-lessons --version`` stays fast and
imports neither matplotlib nor Jupyter.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import __version__

# name -> (module, function, one-line help). The function takes the remaining argv
# (a list of str) and returns an exit code.
SUBCOMMANDS: dict[str, tuple[str, str, str]] = {
    "start": (
        "backprop_lessons.tools.workspace",
        "cli_main",
        "copy the lessons into your workspace and open it in JupyterLab",
    ),
    "progress": (
        "backprop_lessons.exercises.progress",
        "cli_main",
        "show which exercises you have done, lesson by lesson",
    ),
    "build-notebooks": (
        "backprop_lessons.tools.authoring",
        "cli_main",
        "build notebooks/NN_*.ipynb from notebooks/src and execute them",
    ),
    "grade": (
        "backprop_lessons.tools.grader",
        "cli_main",
        "grade a folder of submitted notebooks (CSV/JSON report)",
    ),
    "figures": (
        "backprop_lessons.viz.figures",
        "cli_main",
        "regenerate every committed figure (PNG and SVG, light and dark)",
    ),
}


# Maintainer commands that read or write the repository's files (notebooks/src, figures/):
# from an installed wheel they stop and say so instead of writing into site-packages.
# The value is an option that, when given, makes the command work without a clone.
NEEDS_CLONE: dict[str, str | None] = {"build-notebooks": None, "figures": "--out"}


def _needs_clone_message(command: str, argv: list[str]) -> str | None:
    """Why ``command`` cannot run from here (an installed package, not a clone), or None."""
    if command not in NEEDS_CLONE:
        return None
    escape = NEEDS_CLONE[command]
    if escape is not None and any(a == escape or a.startswith(escape + "=") for a in argv):
        return None
    from .workspace import clone_root

    if clone_root() is not None:
        return None
    return (f"backprop-lessons {command} is a maintainer command: it works in a clone of the "
            "repository (it reads notebooks/src and writes notebooks/ and figures/), and this "
            "backprop_lessons is an installed package. Clone the repository and install it "
            "with `pip install -e .`; to get the lessons, run `backprop-lessons start`.")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backprop-lessons",
        description="Companion command of the backprop-lessons course.",
    )
    parser.add_argument("--version", action="version", version=f"backprop-lessons {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_module, _func, help_text) in SUBCOMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if argv and argv[0] in SUBCOMMANDS:
        module_name, func_name, _help = SUBCOMMANDS[argv[0]]
        refusal = _needs_clone_message(argv[0], argv[1:])
        if refusal is not None:
            print(refusal, file=sys.stderr)
            return 2
        func = getattr(importlib.import_module(module_name), func_name)
        try:
            return int(func(argv[1:]) or 0)
        except BrokenPipeError:  # e.g. `backprop-lessons progress | head`: stop quietly
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return 0  # pragma: no cover - argparse exits for unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
