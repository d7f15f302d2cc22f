"""Archived texts of sources: files named by source key ("wikipedia-2024.txt"), each read
byte for byte as UTF-8, from a folder (the command) or from uploaded files (the admin)."""

from pathlib import Path

from .exchange import FileError, decode


def read_texts(files):
    """{source key: text} of [(file name, bytes)]; FileError names every file that is not
    UTF-8 or whose key comes twice."""
    texts, errors = {}, []
    for name, data in files:
        key = Path(name).stem
        if key in texts:
            errors.append(f"{name}: a second text for the source “{key}”")
            continue
        try:
            # Line ends are kept as the file has them: a quote is checked against these words.
            texts[key] = decode(name, data)
        except FileError as error:
            errors.extend(error.errors)
    if errors:
        raise FileError(errors)
    return texts


def read_folder(directory):
    paths = sorted(path for path in Path(directory).iterdir() if path.is_file())
    return read_texts((path.name, path.read_bytes()) for path in paths)
