import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { HubTestState, StoredFile } from './hub-test-state.js';
import { jsonBody, sendError, sendJson, type TestRequest, type TestRoute } from './http-test-kit.js';

const PART = '([^/]+)';
/** Files at least this big, and all weights, are LFS files (as the hub decides in preupload). */
const LFS_THRESHOLD = 1024 * 1024;

type NdjsonLine =
  | { key: 'header'; value: { summary?: string; parentCommit?: string } }
  | { key: 'file'; value: { path: string; content: string; encoding?: 'base64' | 'utf-8' } }
  | { key: 'lfsFile'; value: { path: string; oid: string; size: number } }
  | { key: 'deletedFile'; value: { path: string } };

/** The write side: whoami, create repo (409), preupload, LFS batch + basic PUT, and the ndjson commit (412). */
export function hubWriteRoutes(
  state: HubTestState,
  baseUrl: () => string,
  token: string | undefined,
): TestRoute[] {
  /** Writes need `Authorization: Bearer <token>`; false (after answering 401) when missing. */
  const authorized = (req: TestRequest, res: ServerResponse): boolean => {
    if (token === undefined || req.headers.authorization === `Bearer ${token}`) return true;
    sendError(res, 401, 'Invalid credentials in Authorization header');
    return false;
  };
  const repoOr404 = (res: ServerResponse, repo: string): boolean => {
    if (state.repos.has(repo)) return true;
    sendError(res, 404, `Repository not found: ${repo}`, 'RepoNotFound');
    return false;
  };
  return [
    {
      method: 'GET',
      pattern: /^\/api\/whoami-v2$/,
      handle: (req, res) => {
        if (!authorized(req, res)) return;
        sendJson(res, 200, {
          type: 'user',
          id: 'testuser-id',
          name: 'testuser',
          auth: { type: 'access_token' },
        });
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/repos\/create$/,
      handle: (req, res) => {
        if (!authorized(req, res)) return;
        const body = jsonBody<{ name?: string; organization?: string; type?: string }>(req);
        if (typeof body?.name !== 'string') return sendError(res, 400, 'name is required');
        const id = `${body.organization ?? 'testuser'}/${body.name}`;
        if (!state.createRepo(id)) return sendError(res, 409, 'You already created this model repo');
        sendJson(res, 200, { url: `${baseUrl()}/${id}`, name: id, id });
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/api/models/${PART}/${PART}/preupload/${PART}$`),
      handle: (req, res, [ns, name]) => {
        if (!authorized(req, res) || !repoOr404(res, `${ns}/${name}`)) return;
        const body = jsonBody<{ files?: { path: string; size: number }[] }>(req);
        const files = (body?.files ?? []).map((f) => ({
          path: f.path,
          uploadMode: f.size >= LFS_THRESHOLD || /\.(safetensors|bin)$/.test(f.path) ? 'lfs' : 'regular',
          shouldIgnore: false,
        }));
        sendJson(res, 200, { files, commitOid: state.repos.get(`${ns}/${name}`)?.head });
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/${PART}/${PART}\\.git/info/lfs/objects/batch$`),
      handle: (req, res, [ns, name]) => {
        if (!authorized(req, res) || !repoOr404(res, `${ns}/${name}`)) return;
        const body = jsonBody<{ operation?: string; objects?: { oid: string; size: number }[] }>(req);
        if (body?.operation !== 'upload') return sendError(res, 422, 'only upload is supported');
        const objects = (body.objects ?? []).map(({ oid, size }) => ({
          oid,
          size,
          authenticated: true,
          // An object the store already holds needs no upload action.
          ...(state.lfsObjects.has(oid)
            ? {}
            : { actions: { upload: { href: `${baseUrl()}/lfs-upload/${oid}` } } }),
        }));
        sendJson(
          res,
          200,
          { transfer: 'basic', objects },
          { 'Content-Type': 'application/vnd.git-lfs+json' },
        );
      },
    },
    {
      method: 'PUT',
      pattern: /^\/lfs-upload\/([0-9a-f]{64})$/,
      handle: (req, res, [oid]) => {
        const actual = createHash('sha256').update(req.body).digest('hex');
        if (actual !== oid) return sendError(res, 400, `content sha256 ${actual} does not match ${oid}`);
        state.lfsObjects.set(oid as string, req.body);
        res.writeHead(200, { ETag: `"${oid}"` });
        res.end();
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/api/models/${PART}/${PART}/commit/${PART}$`),
      handle: (req, res, [ns, name]) => {
        const repo = `${ns}/${name}`;
        if (!authorized(req, res) || !repoOr404(res, repo)) return;
        let lines: NdjsonLine[];
        try {
          lines = req.body
            .toString('utf8')
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => JSON.parse(l) as NdjsonLine);
        } catch {
          return sendError(res, 400, 'body is not ndjson');
        }
        let title = '';
        let parentCommit: string | undefined;
        const put = new Map<string, StoredFile>();
        const deleted: string[] = [];
        for (const line of lines) {
          if (line.key === 'header') {
            title = line.value.summary ?? '';
            parentCommit = line.value.parentCommit;
          } else if (line.key === 'file') {
            put.set(line.value.path, {
              content: Buffer.from(line.value.content, line.value.encoding === 'base64' ? 'base64' : 'utf8'),
            });
          } else if (line.key === 'lfsFile') {
            const content = state.lfsObjects.get(line.value.oid);
            if (content === undefined || content.length !== line.value.size) {
              return sendError(
                res,
                422,
                `LFS object ${line.value.oid} of ${line.value.path} was not uploaded`,
              );
            }
            put.set(line.value.path, { content, lfsOid: line.value.oid });
          } else if (line.key === 'deletedFile') {
            deleted.push(line.value.path);
          }
        }
        const sha = state.commit(repo, {
          title,
          put,
          deleted,
          ...(parentCommit === undefined ? {} : { parentCommit }),
        });
        if (sha === 'stale')
          return sendError(
            res,
            412,
            `A commit has happened since ${parentCommit}. Please refresh and try again.`,
          );
        sendJson(res, 200, {
          success: true,
          commitOid: sha,
          commitUrl: `${baseUrl()}/${repo}/commit/${sha}`,
          hookOutput: '',
        });
      },
    },
  ];
}
