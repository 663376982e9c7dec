import { relative, sep, isAbsolute } from 'node:path';
import { UnsupportedModelError, type Dtype, type TensorView } from '@pretrain/backend-sdk';
import { onnx, type Onnx } from './onnx-proto.js';

/** An ONNX attribute value: numbers become INT unless listed as float, arrays become INTS/FLOATS. */
export type AttributeValue = number | readonly number[] | string | { readonly float: number };

/** ONNX `TensorProto.DataType` codes this backend writes. */
const ONNX_DTYPE: Record<Dtype, number> = {
  F32: onnx.TensorProto.DataType.FLOAT,
  F16: onnx.TensorProto.DataType.FLOAT16,
  BF16: onnx.TensorProto.DataType.BFLOAT16,
};

/** Opset of the standard domain; every op this backend emits exists in it. */
export const OPSET = 17;

/**
 * Accumulates nodes and initializers of one ONNX graph.
 *
 * Weights are never copied into the model bytes: each {@link TensorView} becomes an
 * initializer whose external data points into its safetensors file by offset, relative
 * to the model directory (onnxruntime refuses absolute paths and paths that leave the
 * folder it is given). F16/BF16 weights get a `Cast` to float, which onnxruntime's
 * constant folding performs once at session creation, so compute is fp32 and exact.
 */
export class GraphBuilder {
  private readonly nodes: Onnx.INodeProto[] = [];
  private readonly initializers: Onnx.ITensorProto[] = [];
  private readonly weightNames = new Map<string, string>();
  private counter = 0;

  /** @param weightDir the directory external data locations are relative to (the model dir). */
  constructor(private readonly weightDir: string) {}

  /** A fresh tensor name with a readable prefix. */
  fresh(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${this.counter}`;
  }

  /** Append a node; returns the name of its first output. */
  op(
    type: string,
    inputs: readonly string[],
    attrs: Record<string, AttributeValue> = {},
    outputs = 1,
  ): string {
    return this.opMulti(type, inputs, attrs, outputs)[0] as string;
  }

  /** Append a node with several outputs; returns all output names. */
  opMulti(
    type: string,
    inputs: readonly string[],
    attrs: Record<string, AttributeValue> = {},
    outputs = 1,
    domain = '',
  ): string[] {
    const names = Array.from({ length: outputs }, () => this.fresh(type.toLowerCase()));
    this.nodes.push(
      onnx.NodeProto.create({
        opType: type,
        domain,
        input: [...inputs],
        output: names,
        attribute: Object.entries(attrs).map(([name, value]) => toAttribute(name, value)),
      }),
    );
    return names;
  }

  /** Rename the value `from` to the graph-level name `to` (for graph outputs). */
  alias(from: string, to: string): void {
    this.nodes.push(onnx.NodeProto.create({ opType: 'Identity', input: [from], output: [to] }));
  }

  /** An inline float32 constant. */
  f32(values: readonly number[] | Float32Array, dims: readonly number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    return this.inline(
      onnx.TensorProto.DataType.FLOAT,
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      dims,
    );
  }

  /** An inline int64 constant. */
  i64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    return this.inline(onnx.TensorProto.DataType.INT64, new Uint8Array(data.buffer), dims);
  }

  /** A float32 view of a weight: external data by offset, cast from F16/BF16 when needed. */
  weight(view: TensorView): string {
    const key = `${view.file}\u0000${view.offset}\u0000${view.length}`;
    const known = this.weightNames.get(key);
    if (known !== undefined) return known;
    const location = relative(this.weightDir, view.file);
    if (location.startsWith('..') || isAbsolute(location)) {
      throw new UnsupportedModelError(
        `weight "${view.name}" lives in "${view.file}", outside the model directory "${this.weightDir}"`,
        { hint: 'keep every safetensors shard inside the model directory' },
      );
    }
    const stored = this.fresh(`w_${view.name.replace(/[^A-Za-z0-9]+/g, '_')}`);
    this.initializers.push(
      onnx.TensorProto.create({
        name: stored,
        dims: [...view.shape],
        dataType: ONNX_DTYPE[view.dtype],
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [
          { key: 'location', value: location.split(sep).join('/') },
          { key: 'offset', value: String(view.offset) },
          { key: 'length', value: String(view.length) },
        ],
      }),
    );
    const name =
      view.dtype === 'F32' ? stored : this.op('Cast', [stored], { to: onnx.TensorProto.DataType.FLOAT });
    this.weightNames.set(key, name);
    return name;
  }

  /** Serialise the graph with the given int64 inputs and float outputs. */
  build(inputs: readonly TensorSignature[], outputs: readonly TensorSignature[]): Uint8Array {
    const graph = onnx.GraphProto.create({
      name: 'pretrain_causal_lm',
      node: this.nodes,
      initializer: this.initializers,
      input: inputs.map(valueInfo),
      output: outputs.map(valueInfo),
    });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: '@pretrain/backend-onnx',
      graph,
    });
    return onnx.ModelProto.encode(model).finish();
  }

  private inline(dataType: number, rawData: Uint8Array, dims: readonly number[]): string {
    const name = this.fresh('const');
    this.initializers.push(
      onnx.TensorProto.create({ name, dims: [...dims], dataType, rawData: rawData.slice() }),
    );
    return name;
  }
}

/** A graph input or output: name, element type and dims (strings are symbolic). */
export interface TensorSignature {
  readonly name: string;
  readonly type: 'int64' | 'float32';
  readonly dims: readonly (number | string)[];
}

function valueInfo(sig: TensorSignature): Onnx.IValueInfoProto {
  const elemType = sig.type === 'int64' ? onnx.TensorProto.DataType.INT64 : onnx.TensorProto.DataType.FLOAT;
  const dim = sig.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return onnx.ValueInfoProto.create({ name: sig.name, type: { tensorType: { elemType, shape: { dim } } } });
}

function toAttribute(name: string, value: AttributeValue): Onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') return { name, type: T.INT, i: value };
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  return { name, type: T.INTS, ints: [...value] };
}
