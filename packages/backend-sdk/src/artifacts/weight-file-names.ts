/** Unsharded safetensors weights; preferred over an index when both exist. */
export const SAFETENSORS_FILE = 'model.safetensors';
/** The sharding index Hugging Face writes beside sharded safetensors. */
export const SAFETENSORS_INDEX_FILE = 'model.safetensors.index.json';
