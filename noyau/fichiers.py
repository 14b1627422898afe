"""Shared vocabulary for strict file imports: every problem names its file and line, and a file with errors
is rejected whole (the caller writes nothing)."""
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Probleme:
    fichier: str
    ligne: int | None  # line number in a CSV, or position of the record in a JSON list (1-based)
    message: str

    def __str__(self):
        ou = f"{self.fichier}, ligne {self.ligne}" if self.ligne is not None else self.fichier
        return f"{ou} : {self.message}"


@dataclass(frozen=True)
class Message:
    """One line of an import report (error or warning), with the line it concerns when there is one."""

    ligne: int | None
    message: str

    def en_dict(self) -> dict:
        return {"ligne": self.ligne, "message": self.message}


class FichierInvalide(Exception):
    """Raised with every problem found, so the user can fix them all in one go."""

    def __init__(self, problemes: list[Probleme]):
        self.problemes = problemes
        super().__init__("\n".join(str(p) for p in problemes))


def lire_json(chemin: Path):
    """Parse a JSON file; a syntax error is reported with its line and column, in French."""
    try:
        texte = chemin.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FichierInvalide([Probleme(chemin.name, None, "fichier introuvable")]) from None
    except UnicodeDecodeError as exc:
        raise FichierInvalide([Probleme(chemin.name, None, f"le fichier n'est pas en UTF-8 ({exc.reason})")]) from None
    try:
        return json.loads(texte)
    except json.JSONDecodeError as exc:
        message = f"JSON invalide, colonne {exc.colno} : {exc.msg}"
        raise FichierInvalide([Probleme(chemin.name, exc.lineno, message)]) from None


def sha256_fichier(chemin: Path) -> str:
    empreinte = hashlib.sha256()
    with chemin.open("rb") as flux:
        for bloc in iter(lambda: flux.read(1 << 20), b""):
            empreinte.update(bloc)
    return empreinte.hexdigest()
