"""The command line: exit code first, then stdout/stderr (CliRunner)."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from kehoach import __version__
from kehoach.cli import main

from .conftest import SAMPLES

PARTY = SAMPLES / "ke-hoach-tinh-uy-chuyen-doi-so.txt"
STATE = SAMPLES / "ke-hoach-ubnd-cai-cach-hanh-chinh.md"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"kehoach, version {__version__}\n"


def test_every_command_has_help(runner: CliRunner) -> None:
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help, name
        assert "Usage:" in result.stdout


def test_parse_json_to_stdout(runner: CliRunner) -> None:
    result = runner.invoke(main, ["parse", str(PARTY)])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["source"]["name"] == PARTY.name  # a file name, never a path of the machine
    assert data["metadata"]["number"] == "42-KH/TU"
    assert result.stdout.endswith("}\n") and result.stderr == ""


def test_same_input_same_bytes(runner: CliRunner) -> None:
    first = runner.invoke(main, ["parse", str(STATE)]).stdout_bytes
    assert first == runner.invoke(main, ["parse", str(STATE)]).stdout_bytes


def test_stdin(runner: CliRunner) -> None:
    result = runner.invoke(main, ["parse", "-"], input=PARTY.read_bytes())
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["source"]["name"] == "-"
    file_data = json.loads(runner.invoke(main, ["parse", str(PARTY)]).stdout)
    assert data["sections"] == file_data["sections"]


def test_yaml_and_jsonl(runner: CliRunner) -> None:
    import yaml

    as_json = json.loads(runner.invoke(main, ["parse", str(STATE)]).stdout)
    result = runner.invoke(main, ["parse", "-f", "yaml", str(STATE)])
    assert result.exit_code == 0
    assert yaml.safe_load(result.stdout) == as_json
    result = runner.invoke(main, ["parse", "-f", "jsonl", str(STATE), str(PARTY)])
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) == 2
    assert json.loads(lines[0]) == as_json


def test_several_files_as_json_array(runner: CliRunner) -> None:
    result = runner.invoke(main, ["parse", str(STATE), str(PARTY)])
    assert result.exit_code == 0
    assert [d["source"]["name"] for d in json.loads(result.stdout)] == [STATE.name, PARTY.name]


def test_csv(runner: CliRunner) -> None:
    result = runner.invoke(main, ["parse", "-f", "csv", str(STATE)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == ("id,kind,section,text,lead,support,monitor,timeframe_raw,timeframe_kind,"
                        "start,end,recurrence")
    assert any(line.startswith("table:1:4,task,I,") for line in lines)


def test_output_file(runner: CliRunner, tmp_path: os.PathLike[str]) -> None:
    out = os.path.join(tmp_path, "out.json")
    result = runner.invoke(main, ["parse", str(PARTY), "-o", out])
    assert result.exit_code == 0 and result.stdout == ""
    with open(out, encoding="utf-8") as f:
        assert json.load(f)["metadata"]["issuer"] == "Tỉnh ủy Thanh Sơn"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 4, "not a text file"),
        (b"", "the file is empty"),
        (b"\xff\xfe\x00\xd8", "not valid UTF-16"),
        (b"Ke hoach \xe9\xe8 latin-1", "invalid UTF-8"),
        (b"%PDF-1.7\n1 0 obj\n<<", "not a readable PDF"),
        (b"PK\x03\x04 truncated", "Word document"),
    ],
)
def test_bad_input_one_line_error(runner: CliRunner, tmp_path: os.PathLike[str], content: bytes,
                                  message: str) -> None:
    bad = os.path.join(tmp_path, "bad.txt")
    with open(bad, "wb") as f:
        f.write(content)
    result = runner.invoke(main, ["parse", bad])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: bad.txt: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_missing_file(runner: CliRunner) -> None:
    result = runner.invoke(main, ["parse", "no-such-plan.txt"])
    assert result.exit_code == 1
    assert result.stderr == "Error: no-such-plan.txt: no such file\n"


def test_one_bad_file_does_not_stop_the_others(runner: CliRunner) -> None:
    result = runner.invoke(main, ["parse", "-f", "jsonl", "missing.txt", str(PARTY)])
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1
    assert "missing.txt: no such file" in result.stderr


def test_usage_error_exits_2(runner: CliRunner) -> None:
    assert runner.invoke(main, ["parse"]).exit_code == 2
    assert runner.invoke(main, ["parse", "-f", "xml", str(PARTY)]).exit_code == 2


def test_schema(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "kehoach document"
    assert set(schema["required"]) >= {"schema_version", "source", "metadata", "sections"}


def test_show(runner: CliRunner) -> None:
    result = runner.invoke(main, ["show", str(STATE)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Kế hoạch · 118/KH-UBND · 2026-02-06" in out
    assert "▸ Sở Tư pháp" in out and "⏱ thường xuyên" in out
    assert "Nhiệm vụ trong bảng" in out


def test_show_bad_file(runner: CliRunner) -> None:
    result = runner.invoke(main, ["show", "nothing.txt"])
    assert result.exit_code == 1
    assert result.stderr == "Error: nothing.txt: no such file\n"


def test_text(runner: CliRunner) -> None:
    result = runner.invoke(main, ["text", str(STATE)])
    assert result.exit_code == 0
    assert result.stdout.startswith("**ỦY BAN NHÂN DÂN**")
    assert "| STT | Nhiệm vụ |" not in result.stdout
    assert "STT | Nhiệm vụ | Cơ quan chủ trì" in result.stdout
