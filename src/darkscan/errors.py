"""Every error darkscan raises on purpose.

    DarkscanError                 root; the CLI prints its message on one line, no traceback
    ├── UsageError                bad command-line usage (exit 2)
    ├── InputError                a file the user gave is wrong (exit 2)
    │   ├── AppFileError          a virtual app file: names the file, line and problem
    │   ├── FlowError             a flow file: names the file, key and problem
    │   ├── HierarchyError        uiautomator XML that cannot be parsed
    │   ├── ImageError            a screenshot that cannot be read
    │   └── RunFolderError        a run folder that is missing or corrupt
    ├── EnvironmentProblem        something on this machine is missing (font, adb, OCR model) (exit 3)
    ├── DeviceError               the device misbehaves (exit 3)
    │   └── DeviceDisconnected    the device went away; the crawl stops resumably
    └── Interrupted               Ctrl-C; the message says how to continue (exit 130)

Control flow inside the crawler uses its own exceptions (see darkscan.crawl); they never reach
the user.
"""

from __future__ import annotations


class DarkscanError(Exception):
    """Root of darkscan's own errors. ``exit_code`` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(DarkscanError):
    exit_code = 2


class InputError(DarkscanError):
    exit_code = 2


class AppFileError(InputError):
    """A virtual app file is invalid. The message reads ``FILE:LINE: problem``."""

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem}")
        self.path = str(path)
        self.line = line
        self.problem = problem


class FlowError(InputError):
    """A flow file is invalid. The message reads ``FILE: KEY: problem``."""

    def __init__(self, path: str, key: str | None, problem: str) -> None:
        where = f"{path}: {key}" if key else str(path)
        super().__init__(f"{where}: {problem}")
        self.path = str(path)
        self.key = key
        self.problem = problem


class HierarchyError(InputError):
    pass


class ImageError(InputError):
    pass


class RunFolderError(InputError):
    pass


class EnvironmentProblem(DarkscanError):
    exit_code = 3


class DeviceError(DarkscanError):
    exit_code = 3


class DeviceDisconnected(DeviceError):
    """The device went away mid-crawl; ``darkscan crawl --resume`` continues."""


class Interrupted(DarkscanError):
    """The user pressed Ctrl-C; the hint says how to continue (e.g. ``--resume``)."""

    exit_code = 130
