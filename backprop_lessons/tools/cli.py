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
