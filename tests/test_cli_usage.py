"""Usage mistakes (an unknown option or command, a value of the wrong type) are one
line naming the command's help, exit 2, and change nothing."""

from __future__ import annotations

import json

import pytest
from helpers import error_line


@pytest.mark.parametrize(("args", "message"), [
    (("--nope",), "Error: No such option '--nope'. (see 'certjourney --help')"),
    (("resource", "nope"), "Error: No such command 'nope'. (see 'certjourney resource --help')"),
    (("resource", "done", "x"), "Error: Invalid value for 'RESOURCE_ID': 'x' is not a valid integer. "
                                "(see 'certjourney resource done --help')"),
    (("report", "--by", "year"), "Error: Invalid value for '--by': 'year' is not one of"),
    (("log", "--from"), "Error: Option '--from' requires an argument."),
    (("goal", "add"), "Error: Missing argument 'CODE'."),
])
def test_usage_mistakes_are_one_line_exit_2_and_change_nothing(cli, args, message):
    cli("goal", "add", "SAA-C03", "--exam-date", "+6w")
    before = json.loads(cli("export", "json", "--out", "-").stdout)
    result = cli(*args, ok=False)
    assert result.exit_code == 2
    assert error_line(result).startswith(message)
    assert json.loads(cli("export", "json", "--out", "-").stdout) == before


def test_a_group_without_a_command_still_shows_its_help(cli):
    result = cli("resource", ok=False)
    assert "Usage: certjourney resource" in result.output and "link" in result.output
    assert "Error" not in result.output
