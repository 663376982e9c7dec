"""Reference model-directory hash (SUBNET9.md §3), an independent oracle for the tests.

Usage: python3 dir_hash.py <dir> [hotkey]
Prints JSON: {"hash": <dir hash>, "salted": <hash salted with hotkey or null>}.
Uses only hashlib + os.walk with Python's defaults (followlinks=False).
"""
import base64
import hashlib
import json
import os
import sys


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


if __name__ == "__main__":
    result = dir_hash(sys.argv[1])
    hotkey = sys.argv[2] if len(sys.argv) > 2 else None
    print(json.dumps({"hash": result, "salted": salted(result, hotkey) if hotkey else None}))
