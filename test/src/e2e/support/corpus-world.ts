import { readDocuments, type ChainClient, type ChainSigner } from '@pretrain/core';
import { loadTokenizer } from '@pretrain/huggingface';
import type { Devnet, DevnetWallet } from '@pretrain/devnet';
import { connectSubtensor, loadHotkey } from '@pretrain/subtensor';
import { DEMO_CORPUS } from '../../../../packages/cli/src/demo/run-demo.js';
import { writeDemoModels } from '../../../../packages/cli/src/demo/demo-models.js';

/**
 * The demo's three base models (unigram, flattened, random) fitted to the demo corpus as
 * the validator tokenizes it (distilgpt2, EOS after each document), written under `dir`.
 */
export async function writeCorpusModels(dir: string): Promise<string[]> {
  const tokenizer = await loadTokenizer('distilgpt2');
  const documents = (await readDocuments(DEMO_CORPUS)).map((t) => [
    ...tokenizer.encode(t, { truncation: true }),
    tokenizer.eosTokenId,
  ]);
  const models = await writeDemoModels({
    dir,
    documents,
    vocabSize: 50257,
    eosTokenId: 50256,
    sequenceLength: 1024,
  });
  return models.map((m) => m.dir);
}

/** A chain client of the test's own on `devnet`, and a signer for each of its miners' hotkeys. */
export async function connectMiners(devnet: Devnet): Promise<{ chain: ChainClient; signers: ChainSigner[] }> {
  const chain = await connectSubtensor({ endpoint: devnet.endpoint });
  const signers: ChainSigner[] = [];
  for (const wallet of devnet.wallets.filter((w: DevnetWallet) => w.role === 'miner')) {
    signers.push(await loadHotkey({ wallet: wallet.wallet, hotkey: wallet.hotkey, path: devnet.walletPath }));
  }
  return { chain, signers };
}
