"""``python -m docgen`` and the ``docgen`` command.

Signals are taken over before anything heavy is imported, so Ctrl-C (SIGINT) or SIGTERM at any moment — even
while modules load — ends with one Vietnamese line, no traceback, exit code 130 (Ctrl-C) or 143 (SIGTERM).
An interrupted build has written nothing: its output is staged and removed (:class:`docgen.write.StagedOutput`).
"""
import signal
import sys


class Stopped(BaseException):
    """Raised by the signal handlers.  A BaseException, so no ``except Exception`` (ours or a library's) can
    swallow it, and click does not turn it into "Aborted!"."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _handler(signum, frame):
    for s in (signal.SIGINT, signal.SIGTERM):     # a second signal must not interrupt the clean-up
        signal.signal(s, signal.SIG_IGN)
    raise Stopped(signum)


def stopped_message(signum: int) -> str:
    what = "Ctrl-C" if signum == signal.SIGINT else "tín hiệu dừng"
    return (f"Đã dừng theo yêu cầu ({what}); thư mục đầu ra giữ nguyên như trước lần chạy này, "
            "không có tệp dở dang nào.")


def main() -> None:
    signal.signal(signal.SIGINT, _handler)
    signal.signal(signal.SIGTERM, _handler)
    try:
        try:
            from .cli import main as cli_main

            cli_main()
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
