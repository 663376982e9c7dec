import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { HubTestState, StoredCommit, StoredFile } from './hub-test-state.js';
import { gitBlobOid, lfsPointer } from './hub-test-state.js';
import { jsonBody, sendBytes, sendError, sendJson, type TestRoute } from './http-test-kit.js';

const PART = '([^/]+)';

/** A tree entry as `GET /api/models/:repo/tree/:rev` and `paths-info` return it. */
function fileEntry(path: string, file: StoredFile, commit: StoredCommit, expand: boolean) {
  const pointer = file.lfsOid === undefined ? undefined : lfsPointer(file.lfsOid, file.content.length);
  return {
    type: 'file',
    oid: gitBlobOid(pointer ?? file.content),
    size: file.content.length,
    path,
    ...(file.lfsOid === undefined
      ? {}
      : { lfs: { oid: file.lfsOid, size: file.content.length, pointerSize: (pointer as Buffer).length } }),
    ...(expand ? { lastCommit: { id: commit.sha, title: commit.title, date: commit.date } } : {}),
  };
}

/** Directory entries implied by the file paths (the hub lists them too). */
function directoriesOf(paths: Iterable<string>): string[] {
  const dirs = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return [...dirs].sort();
}

function missing(res: ServerResponse, state: HubTestState, repo: string, revision: string): void {
  if (!state.repos.has(repo)) sendError(res, 404, `Repository not found: ${repo}`, 'RepoNotFound');
  else sendError(res, 404, `Invalid rev id: ${revision}`, 'RevisionNotFound');
}

/** The read side of the hub: model info, tree, paths-info, resolve/raw (with LFS redirects) and LFS downloads. */
export function hubReadRoutes(state: HubTestState, baseUrl: () => string): TestRoute[] {
  const modelInfo = (res: ServerResponse, repo: string, revision: string): void => {
    const commit = state.resolve(repo, revision);
    if (commit === undefined) return missing(res, state, repo, revision);
    sendJson(res, 200, {
      _id: createHash('sha1').update(repo).digest('hex').slice(0, 24),
      id: repo,
      modelId: repo,
      sha: commit.sha,
      private: false,
      gated: false,
      disabled: false,
      downloads: 0,
      likes: 0,
      lastModified: commit.date,
      tags: [],
      siblings: [...commit.files.keys()].map((rfilename) => ({ rfilename })),
    });
  };
  return [
    {
      method: 'GET',
      pattern: new RegExp(`^/api/models/${PART}/${PART}/revision/${PART}$`),
      handle: (_req, res, [ns, name, rev]) => modelInfo(res, `${ns}/${name}`, rev as string),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/api/models/${PART}/${PART}$`),
      handle: (_req, res, [ns, name]) => modelInfo(res, `${ns}/${name}`, 'main'),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/api/models/${PART}/${PART}/tree/${PART}(?:/(.+))?$`),
      handle: (req, res, [ns, name, rev, under]) => {
        const repo = `${ns}/${name}`;
        const commit = state.resolve(repo, rev as string);
        if (commit === undefined) return missing(res, state, repo, rev as string);
        const prefix = under === undefined || under === '' ? '' : `${under}/`;
        const recursive = req.query.get('recursive') === 'true';
        const expand = req.query.get('expand') === 'true';
        const inScope = (path: string) =>
          path.startsWith(prefix) && (recursive || !path.slice(prefix.length).includes('/'));
        const dirs = directoriesOf(commit.files.keys())
          .filter(inScope)
          .map((path) => ({ type: 'directory', oid: gitBlobOid(Buffer.from(path)), size: 0, path }));
        const files = [...commit.files.entries()]
          .filter(([path]) => inScope(path))
          .map(([path, file]) => fileEntry(path, file, commit, expand));
        sendJson(res, 200, [...dirs, ...files]);
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/api/models/${PART}/${PART}/paths-info/${PART}$`),
      handle: (req, res, [ns, name, rev]) => {
        const repo = `${ns}/${name}`;
        const commit = state.resolve(repo, rev as string);
        if (commit === undefined) return missing(res, state, repo, rev as string);
        const body = jsonBody<{ paths?: string[]; expand?: boolean }>(req);
        if (!Array.isArray(body?.paths)) return sendError(res, 400, 'paths must be an array');
        const entries = body.paths.flatMap((path) => {
          const file = commit.files.get(path);
          return file === undefined ? [] : [fileEntry(path, file, commit, body.expand === true)];
        });
        sendJson(res, 200, entries);
      },
    },
    {
      method: ['GET', 'HEAD'],
      pattern: new RegExp(`^/${PART}/${PART}/(resolve|raw)/${PART}/(.+)$`),
      handle: (req, res, [ns, name, kind, rev, path]) => {
        const repo = `${ns}/${name}`;
        const commit = state.resolve(repo, rev as string);
        if (commit === undefined) return missing(res, state, repo, rev as string);
        const file = commit.files.get(path as string);
        if (file === undefined) return sendError(res, 404, `Entry not found: ${path}`, 'EntryNotFound');
        const headers = { 'X-Repo-Commit': commit.sha };
        if (file.lfsOid !== undefined && kind === 'resolve') {
          res.writeHead(302, {
            ...headers,
            Location: `${baseUrl()}/lfs-download/${file.lfsOid}`,
            'X-Linked-Size': String(file.content.length),
            'X-Linked-ETag': `"${file.lfsOid}"`,
          });
          return void res.end();
        }
        const content =
          file.lfsOid === undefined ? file.content : lfsPointer(file.lfsOid, file.content.length);
        sendBytes(req, res, content, { ...headers, ETag: `"${gitBlobOid(content)}"` });
      },
    },
    {
      method: ['GET', 'HEAD'],
      pattern: /^\/lfs-download\/([0-9a-f]{64})$/,
      handle: (req, res, [oid]) => {
        const content = state.lfsObjects.get(oid as string);
        if (content === undefined) return sendError(res, 404, `No LFS object ${oid}`);
        sendBytes(req, res, content, { ETag: `"${oid}"` });
      },
    },
  ];
}
