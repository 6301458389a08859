"""The generation controls: a Faithful…Creative slider, the student's mode and the number of alternatives.

The Mode selector offers only the modes the loaded student was trained for
(:attr:`models.Paraphraser.modes`): a student without control codes has one, Standard,
and the selector then stays disabled, its tooltip saying why.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QSpinBox, QWidget

from models.controls import STANDARD_MODE
from models.paraphraser import MAX_CANDIDATES

from ..students import mode_label, usable_mode

#: The slider works in whole steps; the runtime takes a float in [0, 1].
SLIDER_STEPS = 100
#: What the known modes do (a mode not listed here is offered without a hint).
MODE_HINTS = {
    "standard": "Reword the sentence, keeping its length and meaning",
    "simpler": "Plainer words and simpler sentences, the same meaning",
    "shorter": "Fewer words, the same meaning",
}


class GenerationControls(QWidget):
    """Emits ``changed`` whenever the writer moves the slider or the spin box, ``mode_chosen``
    when the writer picks a mode (not when :meth:`set_modes` changes it for another student)."""

    changed = Signal()
    mode_chosen = Signal(str)  # a mode name of the loaded student

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.faithful_label = QLabel("Faithful")
        self.faithful_label.setObjectName("mutedLabel")
        self.creative_label = QLabel("Creative")
        self.creative_label.setObjectName("mutedLabel")

        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setSingleStep(5)
        self.slider.setPageStep(25)
        self.slider.setTickInterval(25)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setMinimumWidth(120)
        self.slider.setAccessibleName("Diversity")
        self.slider.setAccessibleDescription("From Faithful (close to your wording) to Creative (freer rewording)")
        self.slider.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.slider.valueChanged.connect(self._on_slider)

        self.count_label = QLabel("&Alternatives")
        self.count = QSpinBox()
        self.count.setRange(1, MAX_CANDIDATES)
        self.count.setValue(5)
        self.count.setAccessibleName("Number of alternatives")
        self.count.setToolTip("How many alternatives to write for each sentence (1–10)")
        self.count_label.setBuddy(self.count)
        self.count.valueChanged.connect(lambda _value: self.changed.emit())

        self.diversity_title = QLabel("&Style")
        self.diversity_title.setBuddy(self.slider)

        self.mode_title = QLabel("Mo&de")
        self.mode_box = QComboBox()
        self.mode_box.setAccessibleName("Mode")
        self.mode_box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.mode_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.mode_title.setBuddy(self.mode_box)
        self.mode_box.activated.connect(lambda _index: self.mode_chosen.emit(self.current_mode()))
        self.set_modes((STANDARD_MODE,))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.diversity_title)
        layout.addWidget(self.faithful_label)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.creative_label)
        layout.addSpacing(16)
        layout.addWidget(self.mode_title)
        layout.addWidget(self.mode_box)
        layout.addSpacing(16)
        layout.addWidget(self.count_label)
        layout.addWidget(self.count)
        self._on_slider(self.slider.value())

    def diversity(self) -> float:
        """The slider position as the runtime's diversity, 0 (faithful) to 1 (creative)."""
        return self.slider.value() / SLIDER_STEPS

    def set_diversity(self, value: float) -> None:
        self.slider.setValue(round(min(1.0, max(0.0, value)) * SLIDER_STEPS))

    def modes(self) -> tuple[str, ...]:
        """The modes on offer (the loaded student's), in its order."""
        return tuple(self.mode_box.itemData(i) for i in range(self.mode_box.count()))

    def current_mode(self) -> str:
        """The mode the next request asks for."""
        value = self.mode_box.currentData()
        return value if isinstance(value, str) else STANDARD_MODE

    def set_modes(self, modes: Sequence[str], wanted: str = STANDARD_MODE) -> str:
        """Offer ``modes`` (a student's), select ``wanted`` if among them, else standard; returns the selection.

        With a single mode there is nothing to choose: the selector is disabled and its
        tooltip says why. Emits nothing (the writer did not choose).
        """
        offered = tuple(dict.fromkeys(m for m in modes if isinstance(m, str) and m)) or (STANDARD_MODE,)
        self.mode_box.blockSignals(True)
        self.mode_box.clear()
        for name in offered:
            self.mode_box.addItem(mode_label(name), name)
            if name in MODE_HINTS:
                self.mode_box.setItemData(self.mode_box.count() - 1, MODE_HINTS[name], Qt.ItemDataRole.ToolTipRole)
        self.select_mode(usable_mode(wanted, offered))
        self.mode_box.blockSignals(False)
        single = len(offered) == 1
        self.mode_box.setEnabled(not single)
        self.mode_title.setEnabled(not single)
        self.mode_box.setToolTip(f"This model has only the {mode_label(offered[0])} mode" if single
                                 else "What kind of rewrite: " + ", ".join(mode_label(m) for m in offered))
        return self.current_mode()

    def select_mode(self, mode: str) -> bool:
        """Select ``mode`` if it is on offer; False (selection unchanged) if not."""
        index = self.mode_box.findData(mode)
        if index < 0:
            return False
        self.mode_box.setCurrentIndex(index)
        return True

    def candidates(self) -> int:
        return self.count.value()

    def set_candidates(self, value: int) -> None:
        self.count.setValue(value)

    def _on_slider(self, value: int) -> None:
        percent = round(100 * value / SLIDER_STEPS)
        self.slider.setToolTip(f"Diversity {percent}%: left keeps your wording, right rewrites more freely")
        self.slider.setAccessibleDescription(f"Diversity {percent} percent, from Faithful to Creative")
        self.changed.emit()
