"""Steps of a long run on standard error: plain lines, or a live line on a terminal."""

from __future__ import annotations

import io

from pilotage.commands.report import StepPrinter


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_off_a_terminal_each_step_is_one_line_in_the_users_language() -> None:
    stream = io.StringIO()
    printer = StepPrinter("fr", stream)
    printer("Lecture du contrat")
    printer("Lecture des tickets")
    printer.close()
    lines = stream.getvalue().splitlines()
    assert [line.split("] ", 1)[1] for line in lines] == [
        "Lecture du contrat…",
        "Lecture des tickets…",
    ]
    assert "\r" not in stream.getvalue()
    assert "," in lines[0].split(" s]")[0]


def test_on_a_terminal_the_current_line_is_redrawn_then_ended() -> None:
    stream = Terminal()
    printer = StepPrinter("en", stream, interval=0.001)
    printer("Reading the tickets")
    printer("Computing the service levels")
    printer.close()
    text = stream.getvalue()
    assert text.startswith("\r[")
    assert text.endswith("Computing the service levels…\n")
    finished = [part for part in text.split("\n") if part]
    assert finished[0].rsplit("\r", 1)[1].endswith("Reading the tickets…")
    assert printer.thread is not None and not printer.thread.is_alive()
