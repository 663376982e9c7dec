"""Reference model-directory hash (docs/SUBNET.md §3), an independent oracle for the tests.

Usage: python3 dir_hash.py <dir> [hotkey] [--only <path>,<path>,...]
Prints JSON: {"hash": <dir hash>, "salted": <hash salted with hotkey or null>}.
Uses only hashlib + os.walk with Python's defaults (followlinks=False).

--only copies just the named files (relative paths, contents read through symlinks)
into a fresh directory and hashes that, as the reference hashes a Hugging Face cache
snapshot that holds only the files `from_pretrained` fetched.
"""
import base64
import hashlib
import json
import os
import shutil
import sys
import tempfile


def file_hash(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return base64.b64encode(digest.digest()).decode("utf-8")


def dir_hash(top):
    running = hashlib.sha256()
    for current, dirnames, filenames in os.walk(top):
        dirnames.sort()
        for name in sorted(filenames):
            running.update(file_hash(os.path.join(current, name)).encode("utf-8"))
    return base64.b64encode(running.digest()).decode("utf-8")


def salted(hash_b64, hotkey):
    digest = hashlib.sha256((hash_b64 + hotkey).encode("utf-8")).digest()
    return base64.b64encode(digest).decode("utf-8")


def only_hash(top, names):
    snapshot = tempfile.mkdtemp()
    try:
        for name in names:
            target = os.path.join(snapshot, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(top, name), target)
        return dir_hash(snapshot)
    finally:
        shutil.rmtree(snapshot)


if __name__ == "__main__":
    args = sys.argv[1:]
    only = None
    if "--only" in args:
        at = args.index("--only")
        only = args[at + 1].split(",")
        del args[at : at + 2]
    result = dir_hash(args[0]) if only is None else only_hash(args[0], only)
    hotkey = args[1] if len(args) > 1 else None
    print(json.dumps({"hash": result, "salted": salted(result, hotkey) if hotkey else None}))
