"""Languages: Bahasa Indonesia in the source, English from a compiled Qt translation.

The screens' words are written in Indonesian (the default) inside ``tr()`` and
``translate()`` calls. ``pyside6-lupdate`` collects them into
``i18n/cbt_client_en.ts`` (the reviewed source of the English text) and
``pyside6-lrelease`` compiles that to ``cbt_client_en.qm``, which ships in the
package and is loaded here. To refresh after changing words::

    pyside6-lupdate cbt_client/ui -ts cbt_client/ui/i18n/cbt_client_en.ts \\
        -source-language id -target-language en
    # translate the new <message>s in the .ts (Qt Linguist, or by hand)
    pyside6-lrelease cbt_client/ui/i18n/cbt_client_en.ts

A test checks that every string in the code has a finished translation and
that the .qm is current.
"""

from __future__ import annotations

from pathlib import Path

from cbt_client.ui.qt import QCoreApplication, QTranslator

FOLDER = Path(__file__).parent / "i18n"
LANGUAGES = ("id", "en")


class Languages:
    """Switches the application's language at run time (widgets get LanguageChange)."""

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.current = "id"
        self._translator: QTranslator | None = None

    def use(self, language: str) -> bool:
        """Switch to ``language``; False if its translation cannot be loaded."""
        if language == self.current:
            return True
        if self._translator is not None:
            self.app.removeTranslator(self._translator)
            self._translator = None
        self.current = "id"
        if language == "id":
            return True  # removing the translator already told every widget
        translator = QTranslator(self.app)
        if not translator.load(str(FOLDER / f"cbt_client_{language}.qm")):
            return False
        self.app.installTranslator(translator)
        self._translator = translator
        self.current = language
        return True
