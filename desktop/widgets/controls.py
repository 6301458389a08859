"""The generation controls: a Faithful…Creative slider and the number of alternatives."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QSpinBox, QWidget

from models.paraphraser import MAX_CANDIDATES

#: The slider works in whole steps; the runtime takes a float in [0, 1].
SLIDER_STEPS = 100


class GenerationControls(QWidget):
    """Emits ``changed`` whenever the writer moves the slider or the spin box."""

    changed = Signal()

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

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.diversity_title)
        layout.addWidget(self.faithful_label)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.creative_label)
        layout.addSpacing(16)
        layout.addWidget(self.count_label)
        layout.addWidget(self.count)
        self._on_slider(self.slider.value())

    def diversity(self) -> float:
        """The slider position as the runtime's diversity, 0 (faithful) to 1 (creative)."""
        return self.slider.value() / SLIDER_STEPS

    def set_diversity(self, value: float) -> None:
        self.slider.setValue(round(min(1.0, max(0.0, value)) * SLIDER_STEPS))

    def candidates(self) -> int:
        return self.count.value()

    def set_candidates(self, value: int) -> None:
        self.count.setValue(value)

    def _on_slider(self, value: int) -> None:
        percent = round(100 * value / SLIDER_STEPS)
        self.slider.setToolTip(f"Diversity {percent}%: left keeps your wording, right rewrites more freely")
        self.slider.setAccessibleDescription(f"Diversity {percent} percent, from Faithful to Creative")
        self.changed.emit()
