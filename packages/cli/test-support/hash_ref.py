#!/usr/bin/env python3
# Independent oracle for `pretrain model hash`: builds the test's trees, hashes them like the
# subnet's Python reference (os.walk top-down, sorted names, base64 sha256 of each file fed as text).
# The model hash is that of a directory holding only the files `from_pretrained` fetches, listed
# here by hand for each tree (config.json, generation_config.json, model.safetensors or the index
# and the shards it names); --all-files is the hash of the whole tree.
import base64, hashlib, json, os, shutil, tempfile
# Usage: /usr/bin/python3 hash_ref.py  (builds the trees in a fresh temp dir; prints, one per line:
# whole-tree hash, salted; model hash, salted; sharded model hash, sharded whole-tree hash)
top = tempfile.mkdtemp()
root = os.path.join(top, 'tree')
def put(rel, data, base=None):
    p = os.path.join(base or root, rel); os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, 'wb').write(data if isinstance(data, bytes) else data.encode())
put('config.json', '{"architectures":["GPT2LMHeadModel"]}\n')
put('model.safetensors', bytes((i * 7) % 256 for i in range(4096)))
put('a/b.txt', 'nested\n'); put('a/Z.txt', 'upper\n'); put('a/c/deep.bin', 'deep')
put('B/x.txt', 'x'); put('_underscore', '')
os.symlink('config.json', os.path.join(root, 'link-to-config.json'))
os.symlink('../model.safetensors', os.path.join(root, 'a/link-up.txt'))
os.symlink('a', os.path.join(root, 'linkdir'))
def file_hash(p): return base64.b64encode(hashlib.sha256(open(p, 'rb').read()).digest()).decode()
def dir_hash(d):
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(d):
        dirnames.sort()
        for f in sorted(filenames): h.update(file_hash(os.path.join(dirpath, f)).encode())
    return base64.b64encode(h.digest()).decode()
def snapshot_hash(d, names):
    snap = tempfile.mkdtemp(dir=top)
    for n in names: shutil.copyfile(os.path.join(d, n), os.path.join(snap, n))
    return dir_hash(snap)
hotkey = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'
salt = lambda d: base64.b64encode(hashlib.sha256((d + hotkey).encode()).digest()).decode()
d = dir_hash(root)
print(d)
print(salt(d))
m = snapshot_hash(root, ['config.json', 'model.safetensors'])
print(m)
print(salt(m))
sharded = os.path.join(top, 'sharded')
put('.gitattributes', '*.safetensors filter=lfs diff=lfs merge=lfs -text\n', sharded)
put('README.md', '# sharded\n', sharded)
put('tokenizer.json', '{}', sharded)
put('config.json', '{"model_type":"llama"}', sharded)
put('generation_config.json', '{"eos_token_id":2}', sharded)
put('model.safetensors.index.json', json.dumps({'weight_map': {'a': 's-2.safetensors', 'b': 's-1.safetensors'}}), sharded)
put('s-1.safetensors', 'one', sharded); put('s-2.safetensors', 'two', sharded); put('s-3.safetensors', 'stray', sharded)
print(snapshot_hash(sharded, ['config.json', 'generation_config.json', 'model.safetensors.index.json', 's-1.safetensors', 's-2.safetensors']))
print(dir_hash(sharded))
shutil.rmtree(top)
