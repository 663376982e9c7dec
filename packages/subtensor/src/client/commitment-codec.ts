import type { Commitment } from '@pretrain/core';
import { ChainError } from '@pretrain/core';
import { u8aToHex } from '@polkadot/util';

/** Longest commitment a single Raw field holds. */
export const MAX_RAW_COMMITMENT_BYTES = 128;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The `fields` argument of `commitments.setCommitment` for `data`: one `Raw<N>` field. */
export function encodeCommitmentFields(data: string): { fields: Record<string, string>[] } {
  const bytes = new TextEncoder().encode(data);
  if (bytes.length === 0 || bytes.length > MAX_RAW_COMMITMENT_BYTES) {
    throw new ChainError(
      `commitment of ${bytes.length} bytes cannot be written: expected 1 to ${MAX_RAW_COMMITMENT_BYTES} UTF-8 bytes`,
      {
        hint: 'shorten the repository id (the compressed model string must fit in 128 bytes)',
      },
    );
  }
  return { fields: [{ [`Raw${bytes.length}`]: u8aToHex(bytes) }] };
}

/** The decoded shape of `Commitments.CommitmentOf` (`Registration`), as JSON. */
interface RegistrationJson {
  block?: unknown;
  info?: { fields?: unknown };
}

/**
 * A stored commitment as a {@link Commitment}. Anything but a first field of kind `Raw<N>`
 * holding valid UTF-8 gives `data: undefined` (no metadata), never an exception.
 */
export function decodeCommitment(hotkey: string, registration: unknown): Commitment {
  const json = (registration ?? {}) as RegistrationJson;
  const block = typeof json.block === 'number' ? json.block : Number(json.block ?? 0);
  const fields = Array.isArray(json.info?.fields) ? (json.info.fields as unknown[]) : [];
  return { hotkey, data: rawFieldText(fields[0]), block: Number.isFinite(block) ? block : 0 };
}

function rawFieldText(field: unknown): string | undefined {
  if (typeof field !== 'object' || field === null) return undefined;
  const entries = Object.entries(field);
  if (entries.length !== 1) return undefined;
  const [kind, value] = entries[0] as [string, unknown];
  if (!/^raw\d+$/i.test(kind) || typeof value !== 'string' || !/^0x([0-9a-f]{2})*$/i.test(value))
    return undefined;
  try {
    return strictUtf8.decode(Buffer.from(value.slice(2), 'hex'));
  } catch {
    return undefined;
  }
}
