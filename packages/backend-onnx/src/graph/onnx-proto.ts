/**
 * The ONNX protobuf classes. `onnx-proto` is CommonJS: its default import is the module
 * object, and the namespace's interfaces are imported as types under another name.
 */
import onnxProto from 'onnx-proto';

export const { onnx } = onnxProto;
export type { onnx as Onnx } from 'onnx-proto';
