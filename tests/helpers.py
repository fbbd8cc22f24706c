"""Small assertions shared by the tests."""


def error_line(result) -> str:
    """The single error line of a failed run (asserting there is exactly one)."""
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]
