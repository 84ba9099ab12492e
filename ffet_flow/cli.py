"""The `ffet` command line. Subcommands live in `ffet_flow/commands/<name>.py`, each with
`HELP` (one line), `register(parser)` and `run(args) -> int`; they are discovered here, so adding
a command never touches this file.

User errors print one line per problem and exit 2; failing tools exit 1 with the log path;
no traceback reaches the user unless `--debug` is given.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from ffet_flow import __version__
from ffet_flow.errors import FfetError
from ffet_flow.log import get_logger, setup_logging


def _commands() -> dict[str, object]:
    import ffet_flow.commands as pkg

    found = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"ffet_flow.commands.{info.name}")
        found[getattr(module, "NAME", info.name.replace("_", "-"))] = module
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ffet", description="Dual-sided Flip FET (FFET) vs CFET physical-design flow.")
    parser.add_argument("--version", action="version", version=f"ffet-flow {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in _commands().items():
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.register(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    setup_logging(args.verbose)
    try:
        return int(args._run(args) or 0)
    except FfetError as exc:
        if args.debug:
            raise
        for line in str(exc).splitlines():
            print(f"ffet {args.command}: {line}" if not line.startswith("  ") else line,
                  file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        get_logger().error("interrupted")
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
