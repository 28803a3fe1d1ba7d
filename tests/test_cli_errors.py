"""sim.cli.errors: how the apps end on a user error, a full disk, Ctrl-C or a config file
Hydra cannot read; which run folders are removed."""

from __future__ import annotations

import errno
import io
from pathlib import Path

import pytest
import yaml

from sim.cli.errors import (
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_USER_ERROR,
    config_error_line,
    remove_empty_run_dir,
    reported_errors,
    run_app,
)
from sim.validate import ScenarioError


def exit_code_and_stderr(body: BaseException, capsys: pytest.CaptureFixture[str]
                         ) -> tuple[object, str]:
    with pytest.raises(SystemExit) as done, reported_errors():
        raise body
    return done.value.code, capsys.readouterr().err


def test_a_user_error_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = exit_code_and_stderr(ScenarioError("run.seed", -1, "a seed must be >= 0"), capsys)
    assert (code, err) == (EXIT_USER_ERROR, "error: run.seed=-1: a seed must be >= 0\n")


def test_a_full_disk_is_one_line_naming_the_path_and_exit_1(
        capsys: pytest.CaptureFixture[str]) -> None:
    full = OSError(errno.ENOSPC, "No space left on device", "/data/out/summary.json")
    code, err = exit_code_and_stderr(full, capsys)
    assert (code, err) == (EXIT_FAILURE,
                           "error: /data/out/summary.json: no space left on device\n")


def test_ctrl_c_prints_interrupted_and_exits_130(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = exit_code_and_stderr(KeyboardInterrupt(), capsys)
    assert (code, err) == (EXIT_INTERRUPTED, "interrupted\n")


def test_another_os_error_is_not_swallowed() -> None:
    with pytest.raises(PermissionError), reported_errors():
        raise PermissionError(errno.EACCES, "Permission denied", "/root/x")


def test_a_yaml_syntax_error_names_the_file_and_the_line_counted_from_1() -> None:
    with pytest.raises(yaml.YAMLError) as info:
        yaml.safe_load(yaml_stream("name: x\nchannels:\n  a: [1,\n  b: 2\n", "conf/s.yaml"))
    assert config_error_line(info.value) == (
        "conf/s.yaml, line 5: expected ',' or ']', but got '<stream end>' "
        "(while parsing a flow sequence from line 3)")


def yaml_stream(text: str, name: str) -> object:
    """A stream that PyYAML names like a file (Hydra opens the config file)."""
    stream = io.StringIO(text)
    stream.name = name
    return stream


def test_a_yaml_error_wrapped_by_another_is_still_found() -> None:
    try:
        yaml.safe_load(yaml_stream("a: [\n", "x.yaml"))
    except yaml.YAMLError as cause:
        wrapper = RuntimeError("Error loading config")
        wrapper.__cause__ = cause
    assert config_error_line(wrapper).startswith("x.yaml, line 2: ")


def test_run_app_turns_a_composition_error_into_one_line_and_exit_2(
        capsys: pytest.CaptureFixture[str]) -> None:
    from hydra.errors import ConfigCompositionException

    def main() -> None:
        raise ConfigCompositionException("Could not override 'scenario.nokey'.\nmore detail")

    with pytest.raises(SystemExit) as done:
        run_app(main)
    assert done.value.code == EXIT_USER_ERROR
    assert capsys.readouterr().err == "error: Could not override 'scenario.nokey'\n"


def test_run_app_lets_a_bug_inside_the_run_raise() -> None:
    from hydra.errors import HydraException

    def main() -> None:
        with reported_errors():
            raise HydraException("a bug in the app, not the user's config")

    with pytest.raises(HydraException):
        run_app(main)


def hydra_run_folder(root: Path, *extra: str) -> Path:
    run = root / "outputs" / "day" / "12-00-00"
    (run / ".hydra").mkdir(parents=True)
    (run / ".hydra" / "config.yaml").write_text("a: 1\n")
    (run / "__main__.log").write_text("")
    for name in extra:
        (run / name).write_text("x")
    return run


def test_a_run_folder_with_only_hydra_files_is_removed_with_its_empty_parents(
        tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("")
    run = hydra_run_folder(tmp_path)
    assert remove_empty_run_dir(run, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_a_run_folder_holding_a_result_is_kept(tmp_path: Path) -> None:
    run = hydra_run_folder(tmp_path, "summary.json")
    assert not remove_empty_run_dir(run, tmp_path)
    assert (run / "summary.json").is_file() and (run / ".hydra").is_dir()


def test_parents_outside_the_working_directory_are_not_removed(tmp_path: Path) -> None:
    run = hydra_run_folder(tmp_path)
    assert remove_empty_run_dir(run, tmp_path / "elsewhere")
    assert (tmp_path / "outputs" / "day").is_dir()
