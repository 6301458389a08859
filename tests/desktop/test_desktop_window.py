"""The main window against the REAL default bundle, through the real worker thread."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from models.text import join_segments, split_sentences

SENTENCE = "The library will stay open late during exam week."
#: Generation on two shared cores takes a few seconds; leave room for a loaded machine.
JOB_TIMEOUT_MS = 60_000


def type_and_paraphrase(qtbot, window, text: str, *, n: int = 3) -> None:  # noqa: ANN001
    """Type like a writer, press the button, wait for the run to end."""
    window.controls.set_candidates(n)
    window.editor.clear()
    for number, line in enumerate(text.split("\n")):  # QTest cannot type "\n": press Return instead
        if number:
            qtbot.keyClick(window.editor, Qt.Key.Key_Return)
        qtbot.keyClicks(window.editor, line)
    with qtbot.waitSignal(window.run_finished, timeout=JOB_TIMEOUT_MS):
        qtbot.mouseClick(window.paraphrase_button, Qt.MouseButton.LeftButton)


def test_typing_and_clicking_streams_n_candidates(qtbot, make_window) -> None:  # noqa: ANN001
    window = make_window()
    arrivals: list[tuple[float, int]] = []
    visible: list[bool] = []

    def on_shown(_candidate) -> None:  # noqa: ANN001
        arrivals.append((time.perf_counter(), len(window.cards.cards())))
        visible.append(all(card.isVisible() for card in window.cards.cards()))  # on screen now, not later

    window.candidate_shown.connect(on_shown)
    finished: list[float] = []
    window.run_finished.connect(lambda _r: finished.append(time.perf_counter()))

    type_and_paraphrase(qtbot, window, SENTENCE, n=4)

    cards = window.cards.cards()
    assert len(cards) == 4
    assert all(card.candidate.text and card.candidate.text != SENTENCE for card in cards)
    # One by one: each arrival added exactly one card, and the first was on screen before the end.
    assert [count for _t, count in arrivals] == [1, 2, 3, 4]
    assert arrivals[0][0] < finished[0]
    assert all(visible)
    assert window.first_candidate_ms is not None and window.first_candidate_ms < window.last_total_ms
    scores = [card.candidate.score for card in cards]
    assert scores == sorted(scores, reverse=True)  # best first
    assert all(card.quality_label.text().strip() for card in cards)
    assert "smollm2" in window.model_label.text()
    assert "Last run: 4 alternatives in" in window.timing_label.text()


def test_event_loop_keeps_ticking_while_generating(qtbot, make_window) -> None:  # noqa: ANN001
    """A 10 ms timer must never wait 100 ms while the model writes (model at threads=1, see conftest)."""
    window = make_window()
    window.controls.set_candidates(5)
    window.editor.setPlainText("Our team will present the results at the conference next spring.")
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    qtbot.wait(50)
    with qtbot.waitSignal(window.run_finished, timeout=JOB_TIMEOUT_MS):
        started = time.perf_counter()
        window.paraphrase()
    ended = time.perf_counter()
    timer.stop()
    during = [t for t in ticks if started <= t <= ended]
    gaps = [b - a for a, b in zip(during, during[1:])]
    assert len(during) > 20, "the job was too short to measure anything"
    longest_ms = max(gaps) * 1000
    print(f"longest event-loop gap while generating: {longest_ms:.1f} ms over {ended - started:.2f} s")
    assert longest_ms < 100


def test_slider_and_count_reach_the_runtime(qtbot, make_window, desktop_paraphraser,  # noqa: ANN001
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict] = []
    real = desktop_paraphraser.paraphrase_sentence

    def spy(sentence: str, **kwargs):  # noqa: ANN003, ANN202
        calls.append({"sentence": sentence, **kwargs})
        return real(sentence, **kwargs)

    monkeypatch.setattr(desktop_paraphraser, "paraphrase_sentence", spy)
    window = make_window()
    window.controls.slider.setFocus()
    qtbot.keyClick(window.controls.slider, Qt.Key.Key_End)  # all the way to "Creative"
    type_and_paraphrase(qtbot, window, SENTENCE, n=2)
    qtbot.keyClick(window.controls.slider, Qt.Key.Key_Home)  # back to "Faithful"
    qtbot.keyClick(window.controls.slider, Qt.Key.Key_PageUp)  # one page step: 0.25
    with qtbot.waitSignal(window.run_finished, timeout=JOB_TIMEOUT_MS):
        window.paraphrase()

    assert [c["diversity"] for c in calls] == [1.0, 0.25]
    assert [c["n"] for c in calls] == [2, 2]
    assert [c["mode"] for c in calls] == ["standard", "standard"]  # the default student's one mode
    assert calls[0]["sentence"] == SENTENCE
    assert calls[0]["cancel"] is not None and callable(calls[0]["on_candidate"])


def test_cancel_stops_the_job_at_once(qtbot, make_window) -> None:  # noqa: ANN001
    window = make_window()
    window.controls.set_candidates(10)
    window.editor.setPlainText("During the long winter the villagers repaired their boats, mended nets, "
                               "and told each other stories about the summers they remembered.")
    stopped: list[tuple[float, object]] = []
    window.worker.job_cancelled.connect(lambda _job, result: stopped.append((time.perf_counter(), result)))
    finished: list[object] = []
    window.run_finished.connect(finished.append)
    window.paraphrase()
    assert window.cancel_button.isEnabled()
    qtbot.wait(300)  # let it get going
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    clicked = time.perf_counter()
    assert not window.worker.busy and not window.cancel_button.isEnabled()
    assert window.paraphrase_button.isEnabled()
    qtbot.waitUntil(lambda: bool(stopped), timeout=5000)
    stop_ms = (stopped[0][0] - clicked) * 1000
    print(f"cancel -> worker stopped in {stop_ms:.0f} ms")
    assert stopped[0][1].cancelled
    assert stop_ms < 1000
    assert len(window.cards.cards()) < 10
    assert finished == []  # a cancelled job never reports as a finished run
    assert "Stopped after" in window.cards_status.text()


def test_copy_puts_the_text_on_the_clipboard(qtbot, make_window) -> None:  # noqa: ANN001
    window = make_window()
    type_and_paraphrase(qtbot, window, SENTENCE, n=2)
    card = window.cards.cards()[1]
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(card.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == card.candidate.text


def pin_seed(monkeypatch: pytest.MonkeyPatch, paraphraser, seed: int) -> None:  # noqa: ANN001
    """Make the session's model sample the same way on every run of a test (the window asks with no seed).

    Sampled fresh, the model sometimes writes no alternative at all for a short sentence:
    every sample repeats the input (the window then says so, and writes nothing ahead).
    "The train was late.", seeds 0-19: the default student v2 came back empty at 6 of 20
    seeds at n=2 and 2 of 20 at n=3 (seeds 1 and 2); v1 at none (about 1 run in 100 at
    n=2). So a test that must click its first card, or needs a write-ahead, pins a seed that
    gives one with either student.
    """
    real = paraphraser.paraphrase_sentence

    def seeded(sentence: str, **kwargs):  # noqa: ANN003, ANN202
        if kwargs.get("seed") is None:
            kwargs["seed"] = seed
        return real(sentence, **kwargs)

    monkeypatch.setattr(paraphraser, "paraphrase_sentence", seeded)


def test_use_this_replaces_the_sentence_and_keeps_line_breaks(qtbot, make_window, desktop_paraphraser,  # noqa: ANN001
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    pin_seed(monkeypatch, desktop_paraphraser, seed=1)  # two alternatives for each sentence, every time
    window = make_window()
    text = "The train was late.\nWe missed the first act of the play.  Nobody minded."
    segments = split_sentences(text)
    type_and_paraphrase(qtbot, window, text, n=2)  # the cursor is at the end: the last sentence
    assert window.navigator.position_label.text() == "Sentence 3 of 3"
    window.editor.move_cursor_to(0)
    with qtbot.waitSignal(window.run_finished, timeout=JOB_TIMEOUT_MS):
        window.paraphrase()
    assert window.cards_title.text() == "Alternatives for sentence 1"
    assert len(window.cards.cards()) == 2, window.cards_status.text()
    first = window.cards.cards()[0].candidate.text

    with qtbot.waitSignal(window.run_finished, timeout=JOB_TIMEOUT_MS):  # moves on to sentence 2 by itself
        qtbot.mouseClick(window.cards.cards()[0].use_button, Qt.MouseButton.LeftButton)
    assert window.editor.toPlainText() == join_segments([first, segments[1].text, segments[2].text], segments)
    assert window.cards_title.text() == "Alternatives for sentence 2"
    second = window.cards.cards()[1].candidate.text

    qtbot.keyClick(window.editor, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Ctrl+2 = card 2
    # Sentence 3 was paraphrased first (the cursor was at the end), so its cards come from the cache.
    assert window.cards_title.text() == "Alternatives for sentence 3"
    assert not window.worker.busy and len(window.cards.cards()) == 2
    composed = join_segments([first, second, segments[2].text], segments)
    assert window.editor.toPlainText() == composed
    assert composed.count("\n") == 1 and composed.endswith("  Nobody minded.")  # separators kept as typed

    window.editor.undo()  # each replacement is one undo step
    assert window.editor.toPlainText() == join_segments([first, segments[1].text, segments[2].text], segments)
    assert any(e.input == segments[1].text and e.chosen == second for e in window.history.entries)


def test_ctrl_enter_paraphrases_and_navigation_steps_through_sentences(qtbot, make_window) -> None:  # noqa: ANN001
    window = make_window()
    window.controls.set_candidates(1)
    window.editor.setPlainText("First short sentence. Second short sentence.")
    window.editor.move_cursor_to(0)
    window.editor.setFocus()
    with qtbot.waitSignal(window.run_finished, timeout=JOB_TIMEOUT_MS):
        qtbot.keyClick(window.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.toPlainText() == "First short sentence. Second short sentence."  # no newline typed
    assert len(window.cards.cards()) == 1
    with qtbot.waitSignal(window.run_finished, timeout=JOB_TIMEOUT_MS):
        qtbot.keyClick(window.editor, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    assert window.navigator.position_label.text() == "Sentence 2 of 2"
    assert window.worker.last_request.sentence == "Second short sentence."
    qtbot.keyClick(window.editor, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ControlModifier)
    assert window.navigator.position_label.text() == "Sentence 1 of 2"
    assert not window.worker.busy  # sentence 1's alternatives came back from this session's cache
    assert len(window.cards.cards()) == 1


def test_history_and_settings_survive_a_restart(qtbot, make_window, data_dir: Path) -> None:  # noqa: ANN001
    window = make_window()
    window.controls.set_diversity(0.8)
    type_and_paraphrase(qtbot, window, SENTENCE, n=2)
    chosen = window.cards.cards()[0].candidate.text
    qtbot.mouseClick(window.cards.cards()[0].use_button, Qt.MouseButton.LeftButton)
    window.set_theme("dark")
    window.resize(1000, 580)
    window.close()

    again = make_window()  # same storage folder, new window
    entries = again.history_panel.entries()
    assert entries and entries[0].input == SENTENCE and entries[0].chosen == chosen
    assert again.controls.candidates() == 2
    assert again.controls.diversity() == pytest.approx(0.8)
    assert again.settings.theme == "dark"
    assert again.height() == 580  # (the offscreen screen is 800 px wide, so only the height is comparable)
    assert (data_dir / "history.json").is_file()

    again.editor.setPlainText("Something else entirely.")
    qtbot.mouseClick(again.history_panel.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == chosen
    qtbot.mouseClick(again.history_panel.restore_button, Qt.MouseButton.LeftButton)
    assert again.editor.toPlainText() == SENTENCE
    again.editor.undo()  # restoring is undoable
    assert again.editor.toPlainText() == "Something else entirely."


def test_a_100k_character_paste_stays_responsive_with_a_clear_message(qtbot, make_window) -> None:  # noqa: ANN001
    window = make_window()
    huge = ("A sentence of ordinary prose that goes on for a while. " * 2000)[:100_000]
    QGuiApplication.clipboard().setText(huge)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    window.editor.setFocus()
    started = time.perf_counter()
    window.editor.paste()
    paste_ms = (time.perf_counter() - started) * 1000
    qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    qtbot.wait(300)
    timer.stop()
    after = [t for t in ticks if t >= started + paste_ms / 1000]
    gaps = [b - a for a, b in zip(after, after[1:])]
    print(f"100k paste: {paste_ms:.0f} ms in the GUI thread, longest gap afterwards {max(gaps) * 1000:.0f} ms")
    assert len(window.editor.toPlainText()) == 100_000
    assert paste_ms < 2000
    assert max(gaps) < 0.1  # the debounced checks do not stall the loop
    assert "100,000 characters" in window.banner.text() and "20,000" in window.banner.text()
    assert not window.paraphrase_button.isEnabled()
    window.paraphrase()  # the shortcut path refuses too
    assert not window.worker.busy
    window.editor.setPlainText(SENTENCE)
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=2000)
    assert window.paraphrase_button.isEnabled()


def test_every_focusable_control_has_an_accessible_name(qtbot, make_window) -> None:  # noqa: ANN001
    window = make_window()
    type_and_paraphrase(qtbot, window, SENTENCE, n=1)
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.focusProxy() is not None:
            continue
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and not widget.accessibleName():
            unnamed.append(f"{type(widget).__name__}:{widget.objectName()}")
    assert unnamed == []
    # Tab alone walks from the editor through the controls, the cards and the history.
    window.editor.setFocus()
    reached = []
    for _ in range(40):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    card = window.cards.cards()[0]
    for target in (window.controls.slider, window.controls.count, window.paraphrase_button,
                   card.copy_button, card.use_button, window.history_panel.list):
        assert target in reached, f"Tab never reaches {target.accessibleName()}"
    assert reached.index(window.controls.slider) == 0  # the editor does not swallow Tab


def test_theme_switches_palette(qtbot, make_window) -> None:  # noqa: ANN001
    from desktop import theme

    window = make_window()
    window.set_theme("dark")
    assert theme.current_scheme() == "dark"
    assert window.palette().window().color().lightness() < 80
    window.set_theme("light")
    assert window.palette().window().color().lightness() > 200
    window.set_theme("system")
    assert window.theme_actions["system"].isChecked()


def test_the_app_opens_no_socket(qtbot, make_window, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """Offline means offline: a whole paraphrase-and-use round trip touches no network API."""
    import socket

    attempts: list[str] = []

    def refuse(name: str):  # noqa: ANN202
        def blocked(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
            attempts.append(name)
            raise OSError(f"network access attempted: {name}")
        return blocked

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(name))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    window = make_window()
    type_and_paraphrase(qtbot, window, SENTENCE, n=2)
    qtbot.mouseClick(window.cards.cards()[0].use_button, Qt.MouseButton.LeftButton)
    assert attempts == []


def test_the_model_loads_off_the_gui_thread_and_an_early_click_waits_for_it(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    """The real start-up path: the window is usable at once, a press during loading runs when ready."""
    from desktop.storage import Storage
    from desktop.widgets.main_window import MainWindow

    window = MainWindow(Storage(data_dir), threads=1)  # loads the default bundle on the worker thread
    qtbot.addWidget(window)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    window.show()
    assert window.worker.loading and "Loading model" in window.model_label.text()
    window.editor.setPlainText(SENTENCE)
    window.controls.set_candidates(1)
    window.paraphrase()  # pressed before the model is ready
    assert "as soon as the model is loaded" in window.cards_status.text()
    with qtbot.waitSignal(window.run_finished, timeout=JOB_TIMEOUT_MS):
        pass
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    print(f"load {window.load_ms:.0f} ms; longest event-loop gap during load + run {max(gaps) * 1000:.0f} ms")
    assert window.load_ms and len(window.cards.cards()) == 1
    # Session creation holds the GIL briefly (0.53 s seen with another job on both cores). A load
    # on the GUI thread would stall the loop for most of load_ms, so the bound is relative to it.
    assert max(gaps) < min(1.0, max(0.5, window.load_ms / 1000 / 2))
    window.close()


def test_empty_input_explains_itself_and_the_message_goes_once_text_is_typed(qtbot, make_window) -> None:  # noqa: ANN001
    window = make_window()
    window.paraphrase()
    assert window.banner.isVisible() and "no text to paraphrase" in window.banner.text()
    assert not window.worker.busy
    qtbot.keyClicks(window.editor, "Now there is.")
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=2000)


def paraphrase_first_sentence(qtbot, window, text: str, *, n: int) -> None:  # noqa: ANN001
    """Put ``text`` in the editor, the cursor on its first sentence, and run it."""
    window.controls.set_candidates(n)
    window.editor.setPlainText(text)
    window.editor.move_cursor_to(0)
    with qtbot.waitSignal(window.run_finished, timeout=JOB_TIMEOUT_MS):
        window.paraphrase()


def test_the_next_sentence_is_written_ahead_and_use_this_shows_it_at_once(qtbot, make_window,  # noqa: ANN001
                                                                         desktop_paraphraser,  # noqa: ANN001
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    pin_seed(monkeypatch, desktop_paraphraser, seed=1)  # a card to click for "The train was late.", every time
    window = make_window()
    following = "We missed the first act of the play."
    with qtbot.waitSignal(window.worker.written_ahead, timeout=JOB_TIMEOUT_MS) as ahead:
        paraphrase_first_sentence(qtbot, window, f"The train was late. {following}", n=2)
    request, result = ahead.args
    assert request.sentence == following and 1 <= len(result.candidates) <= 2
    job = window.worker.current_job
    qtbot.mouseClick(window.cards.cards()[0].use_button, Qt.MouseButton.LeftButton)
    assert window.cards_title.text() == "Alternatives for sentence 2"
    assert window.worker.current_job == job and not window.worker.busy  # no run: they were ready
    assert [card.candidate.text for card in window.cards.cards()] == [c.text for c in result.candidates]
    assert "Written ahead" in window.cards_status.text()
    assert any(entry.input == following for entry in window.history.entries)


def test_a_request_of_the_writer_cancels_writing_ahead(qtbot, make_window, desktop_paraphraser,  # noqa: ANN001
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    pin_seed(monkeypatch, desktop_paraphraser, seed=1)  # sentence 1 gets a card, so sentence 2 is written ahead
    window = make_window()
    last = "Nobody minded at all."
    paraphrase_first_sentence(qtbot, window, f"The train was late. We missed the first act of the play. {last}", n=2)
    assert window.worker.writing_ahead is not None  # sentence 2, started as sentence 1 finished
    written: list[object] = []
    window.worker.written_ahead.connect(lambda request, _result: written.append(request))
    window.editor.move_cursor_to(len(window.editor.toPlainText()))
    with qtbot.waitSignal(window.run_finished, timeout=JOB_TIMEOUT_MS):
        window.paraphrase()
    assert window.worker.last_request.sentence == last
    qtbot.wait(200)
    assert written == [] and window.worker.writing_ahead is None  # cancelled, and nothing after the last


def test_writing_ahead_can_be_turned_off_and_stays_off(qtbot, make_window, data_dir: Path) -> None:  # noqa: ANN001
    window = make_window()
    window.write_ahead_action.setChecked(False)
    paraphrase_first_sentence(qtbot, window, "The train was late. We missed the first act of the play.", n=1)
    assert window.worker.writing_ahead is None
    window.close()
    again = make_window()
    assert not again.write_ahead_action.isChecked()


def test_asking_for_the_sentence_being_written_ahead_adopts_that_run(qtbot, make_window, desktop_paraphraser,  # noqa: ANN001
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    pin_seed(monkeypatch, desktop_paraphraser, seed=0)  # a card to click for "The train was late." at n=3
    written: list[str] = []
    real = desktop_paraphraser.paraphrase_sentence

    def counting(sentence: str, **kwargs):  # noqa: ANN003, ANN202
        written.append(sentence)
        return real(sentence, **kwargs)

    monkeypatch.setattr(desktop_paraphraser, "paraphrase_sentence", counting)
    window = make_window()
    following = "We missed the first act of the play."
    paraphrase_first_sentence(qtbot, window, f"The train was late. {following}", n=3)
    assert window.worker.writing_ahead is not None and window.worker.writing_ahead.sentence == following
    with qtbot.waitSignal(window.run_finished, timeout=JOB_TIMEOUT_MS):  # before the write-ahead is done
        qtbot.mouseClick(window.cards.cards()[0].use_button, Qt.MouseButton.LeftButton)
    assert written.count(following) == 1  # the run already under way served the request
    assert window.cards_title.text() == "Alternatives for sentence 2"
    assert 1 <= len(window.cards.cards()) <= 3 and window.first_candidate_ms is not None
    assert "Last run:" in window.timing_label.text()
