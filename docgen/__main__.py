"""``python -m docgen`` and the ``docgen`` command.

Signals are taken over before anything heavy is imported, so Ctrl-C (SIGINT) or SIGTERM at any moment — even
while modules load — ends with one Vietnamese line, no traceback, exit code 130 (Ctrl-C) or 143 (SIGTERM).
An interrupted build has written nothing: its output is staged and removed (:class:`docgen.write.StagedOutput`).
"""
import signal
import sys


from .signals import Stopped, handler as _handler, stopped_message  # noqa: F401  (light: no heavy import)


def _finished() -> None:
    """The work is over (its files committed or not): a signal from now on changes nothing, so it is ignored.
    Without this, a signal during interpreter shutdown — when Python has already put the default handlers
    back — would kill the process with no message."""
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, signal.SIG_IGN)


def main() -> None:
    signal.signal(signal.SIGINT, _handler)
    signal.signal(signal.SIGTERM, _handler)
    try:
        try:
            from .cli import main as cli_main

            try:
                cli_main()
            finally:
                _finished()
        except KeyboardInterrupt:          # raised before our handler was set, or by code that re-raises it
            raise Stopped(signal.SIGINT) from None
    except Stopped as exc:
        try:
            sys.stderr.write(stopped_message(exc.signum) + "\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        sys.exit(128 + exc.signum)


if __name__ == "__main__":
    main()
