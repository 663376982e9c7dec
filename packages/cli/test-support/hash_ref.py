#!/usr/bin/env python3
# Independent oracle for `pretrain model hash`: builds the test's tree, hashes it like the
# subnet's Python reference (os.walk top-down, sorted names, base64 sha256 of each file fed as text).
import base64, hashlib, os, shutil, tempfile
# Usage: /usr/bin/python3 hash_ref.py  (builds the tree in a fresh temp dir; prints hash, then salted hash)
root = os.path.join(tempfile.mkdtemp(), 'tree')
def put(rel, data):
    p = os.path.join(root, rel); os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, 'wb').write(data if isinstance(data, bytes) else data.encode())
put('config.json', '{"architectures":["GPT2LMHeadModel"]}\n')
put('model.safetensors', bytes((i * 7) % 256 for i in range(4096)))
put('a/b.txt', 'nested\n'); put('a/Z.txt', 'upper\n'); put('a/c/deep.bin', 'deep')
put('B/x.txt', 'x'); put('_underscore', '')
os.symlink('config.json', os.path.join(root, 'link-to-config.json'))
os.symlink('../model.safetensors', os.path.join(root, 'a/link-up.txt'))
os.symlink('a', os.path.join(root, 'linkdir'))
def file_hash(p): return base64.b64encode(hashlib.sha256(open(p, 'rb').read()).digest()).decode()
h = hashlib.sha256()
for dirpath, dirnames, filenames in os.walk(root):
    dirnames.sort()
    for f in sorted(filenames): h.update(file_hash(os.path.join(dirpath, f)).encode())
d = base64.b64encode(h.digest()).decode()
hotkey = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'
print(d)
print(base64.b64encode(hashlib.sha256((d + hotkey).encode()).digest()).decode())
shutil.rmtree(os.path.dirname(root))
