"""How the command-line apps end on an error: one line on stderr, an exit code, no empty run folder.

Shared by ``python -m sim``, ``python -m optimize`` and ``python -m sim.calibrate``:

- a user error (``sim.validate.UserError``: a bad value, a bad file row) prints
  ``error: <one line>``, removes the run folder Hydra made for the run if it holds
  nothing but ``.hydra/`` and the job's log, and exits with ``EXIT_USER_ERROR`` (2);
- a full disk (``OSError`` ENOSPC) prints one line naming the path, exit 1;
- Ctrl-C prints ``interrupted``, exit 130 (128 + SIGINT, as shells report it);
- an error Hydra meets before the run starts (a YAML syntax error in a config file, an
  override it cannot apply) prints one line naming the file and line or the override,
  exit 2, instead of Hydra's traceback.

Two pieces, because Hydra composes the config before the app's function runs:
``reported_errors`` wraps the body of the ``@hydra.main`` function (it knows the run
folder), ``run_app`` wraps the call of that function in ``if __name__ == "__main__"``.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import yaml
from hydra.core.hydra_config import HydraConfig
from hydra.errors import HydraException, OverrideParseException
from hydra.types import RunMode
from omegaconf.errors import OmegaConfBaseException

from sim.validate import UserError

EXIT_FAILURE = 1
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130
HYDRA_FILES = ".hydra"  # what Hydra writes into a run folder before the app runs

_task_started = False  # set by reported_errors: an error after this is not Hydra's


def yaml_error_line(error: yaml.YAMLError) -> str:
    """``<file>, line <n>: <problem>`` for a YAML syntax error (lines count from 1)."""
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        mark = error.problem_mark
        context = ""
        if error.context and error.context_mark is not None:
            context = f" ({error.context} from line {error.context_mark.line + 1})"
        return f"{mark.name}, line {mark.line + 1}: {error.problem}{context}"
    return (str(error).splitlines() or ["YAML error"])[0]


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: Optional[BaseException] = error
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def config_error_line(error: BaseException) -> str:
    """One line for an error met while composing the config: a YAML syntax error anywhere
    in the chain of causes names its file and line; otherwise the first line of each
    of the first two messages in the chain (Hydra's ``Could not override ...`` and
    OmegaConf's reason), without OmegaConf's ``full_key:`` detail lines."""
    chain = list(_causes(error))
    for cause in chain:
        if isinstance(cause, yaml.YAMLError):
            return yaml_error_line(cause)
        if isinstance(cause, OverrideParseException):
            reason = (cause.message.splitlines() or ["cannot be parsed"])[0]
            return f"{cause.override}: {reason}"
    parts: list[str] = []
    for cause in chain:
        first = next((line.strip() for line in str(cause).splitlines() if line.strip()), "")
        first = first.rstrip(".")
        if first not in ("", "None") and "$" not in first and first not in parts:  # "$VALUE": a template
            parts.append(first)
    return ": ".join(parts[:2]) or type(error).__name__


def disk_full_line(error: OSError, run_dir: Optional[Path]) -> str:
    """``<where>: no space left on device``, naming the file that failed, else the run
    folder, else "the output folder"."""
    where = error.filename or run_dir or "the output folder"
    return f"{where}: no space left on device"


def remove_empty_run_dir(run_dir: Path, stop: Path) -> bool:
    """Remove ``run_dir`` if it holds nothing but Hydra's ``.hydra/`` and ``*.log`` files,
    then its parents that became empty, up to (not including) ``stop``.  True if removed."""
    if not run_dir.is_dir():
        return False
    if any(not (p.name == HYDRA_FILES or (p.is_file() and p.suffix == ".log"))
           for p in run_dir.iterdir()):
        return False
    shutil.rmtree(run_dir)
    stop = stop.resolve()
    parent = run_dir.resolve().parent
    while parent != stop and stop in parent.parents and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
    return True


def _run_dir() -> Optional[Path]:
    """The folder of a single run (not a sweep job's, which its sweep row reports)."""
    if not HydraConfig.initialized():
        return None
    config = HydraConfig.get()
    if config.mode != RunMode.RUN:
        return None
    return Path(config.runtime.output_dir)


def _fail(message: str, code: int, clean: bool) -> None:
    print(message, file=sys.stderr)
    run_dir = _run_dir()
    if clean and run_dir is not None:
        remove_empty_run_dir(run_dir, Path.cwd())
    raise SystemExit(code)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Wrap the body of an app's ``@hydra.main`` function: user errors, a full disk and
    Ctrl-C end the process with one line and their exit code (module docstring)."""
    global _task_started
    _task_started = True
    try:
        yield
    except UserError as error:
        _fail(f"error: {error}", EXIT_USER_ERROR, clean=True)
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
        _fail(f"error: {disk_full_line(error, _run_dir())}", EXIT_FAILURE, clean=False)
    except KeyboardInterrupt:
        _fail("interrupted", EXIT_INTERRUPTED, clean=True)


def run_app(main: Callable[[], None]) -> None:
    """Call an app's ``@hydra.main`` function so that what Hydra refuses before the run
    (a config file that is not YAML, an override it cannot apply) is one line and exit 2.

    Hydra prints its own report of such errors, many lines long, unless
    ``HYDRA_FULL_ERROR`` is set, when it raises them instead: set it for the call, and
    report what comes back (unless the user set it: then Hydra's tracebacks, as asked).
    An error raised after the app's function started is the
    app's own: ``reported_errors`` dealt with the user's; the rest are bugs, raised.
    """
    global _task_started
    _task_started = False
    previous = os.environ.get("HYDRA_FULL_ERROR")
    if previous:  # the user asked for Hydra's full tracebacks
        main()
        return
    os.environ["HYDRA_FULL_ERROR"] = "1"
    try:
        main()
    except (HydraException, OmegaConfBaseException, yaml.YAMLError) as error:
        if _task_started:
            raise
        print(f"error: {config_error_line(error)}", file=sys.stderr)
        raise SystemExit(EXIT_USER_ERROR) from None
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        raise SystemExit(EXIT_INTERRUPTED) from None
    finally:
        os.environ.pop("HYDRA_FULL_ERROR", None)
