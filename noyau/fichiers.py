"""Shared vocabulary for strict file imports: every problem names its file and line, and a file with errors
is rejected whole (the caller writes nothing)."""
import hashlib
import json
import zlib
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


# Decompressed size beyond which a .gz file is refused (the largest shipped file, all French communes, is 9 MB).
TAILLE_MAXIMALE_DECOMPRESSEE = 200 * 1024 * 1024


def suffixe(chemin: Path) -> str:
    """The file's kind by its name, ignoring a final .gz: "x.geojson.gz" → ".geojson"."""
    chemin = Path(chemin)
    return Path(chemin.stem).suffix.lower() if chemin.suffix.lower() == ".gz" else chemin.suffix.lower()


def lire_octets(chemin: Path) -> bytes:
    """The file's content; a `.gz` file is decompressed on the fly (the project ships its large reference files
    compressed), within TAILLE_MAXIMALE_DECOMPRESSEE."""
    chemin = Path(chemin)
    donnees = chemin.read_bytes()
    if chemin.suffix.lower() != ".gz":
        return donnees
    decompresseur = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        contenu = decompresseur.decompress(donnees, TAILLE_MAXIMALE_DECOMPRESSEE + 1)
    except zlib.error:
        raise FichierInvalide([Probleme(chemin.name, None, "fichier compressé (gzip) illisible")]) from None
    if len(contenu) > TAILLE_MAXIMALE_DECOMPRESSEE or decompresseur.unconsumed_tail:
        raise FichierInvalide([Probleme(chemin.name, None, "fichier compressé trop volumineux une fois décompressé "
                                        f"(plus de {TAILLE_MAXIMALE_DECOMPRESSEE // 1024 // 1024} Mo)")])
    if not decompresseur.eof:
        raise FichierInvalide([Probleme(chemin.name, None, "fichier compressé (gzip) tronqué")])
    return contenu


def lire_json(chemin: Path):
    """Parse a JSON file (or .json.gz); a syntax error is reported with its line and column, in French."""
    try:
        texte = lire_octets(chemin).decode("utf-8-sig")
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
