# Paraphrase Studio: the packaged app. Everything else goes through ./studio (see README.md).
#
#   make installer           set-up + model (./studio build --with installer), then dist/ParaphraseStudio/ and the archive
#   make installer-selftest  the frozen app's --self-test, offscreen and (where possible) without network
#   make coldstart           start-up time of the frozen app, cold and warm
#   make icon                redraw installer/assets/icon.* (committed; the build does not need this)

PYTHON ?= .venv/bin/python
APP    := dist/ParaphraseStudio/ParaphraseStudio
NONET  := $(shell unshare -n true 2>/dev/null && echo "unshare -n")

.PHONY: installer installer-only installer-selftest coldstart icon clean-installer

installer:
	./studio build --with installer
	$(PYTHON) -m installer.build

installer-only:
	$(PYTHON) -m installer.build

installer-selftest:
	QT_QPA_PLATFORM=offscreen $(NONET) $(APP) --self-test

coldstart:
	$(PYTHON) -m installer.coldstart dist/ParaphraseStudio -n 5

icon:
	$(PYTHON) -m installer.icon

clean-installer:
	rm -rf dist/ParaphraseStudio dist/ParaphraseStudio-* build/installer
