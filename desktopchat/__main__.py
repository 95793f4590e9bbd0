"""Entry point for `python -m desktopchat`, the `desktopchat` script and the frozen bundle."""

import sys


def main() -> int:
    argv = sys.argv[1:]
    if argv == ["--math-worker"]:  # the app's own helper process (ui/math_worker.py)
        from desktopchat.math_svg import main as math_worker

        return math_worker()
    from desktopchat.cli.parser import wants_cli

    if wants_cli(argv):  # a subcommand: the command line, which never loads Qt
        from desktopchat.cli import main as cli_main

        return cli_main(argv)
    # Imported here so `--version` and errors in argument parsing stay cheap.
    from desktopchat.app import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
