"""Ctrl-C and SIGTERM: what docgen raises and says when stopped (no import beyond the standard library, so the
command can take over signals before anything heavy loads)."""
import signal


class Stopped(BaseException):
    """Raised by the signal handlers.  A BaseException, so no ``except Exception`` (ours or a library's) can
    swallow it, and click does not turn it into "Aborted!"."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def handler(signum, frame):
    for s in (signal.SIGINT, signal.SIGTERM):     # a second signal must not interrupt the clean-up
        signal.signal(s, signal.SIG_IGN)
    raise Stopped(signum)


def stopped_message(signum: int) -> str:
    what = "Ctrl-C" if signum == signal.SIGINT else "tín hiệu dừng"
    return (f"Đã dừng theo yêu cầu ({what}); thư mục đầu ra giữ nguyên như trước lần chạy này, "
            "không có tệp dở dang nào.")
