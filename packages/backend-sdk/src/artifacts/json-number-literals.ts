/** How the numbers inside one top-level value of a JSON object were written. */
export interface NumberLiterals {
  /** At least one integer literal (`2`): a Python `int` once loaded. */
  readonly int: boolean;
  /** At least one literal with `.`, `e` or `E` (`2.0`, `1e9`): a Python `float`. */
  readonly float: boolean;
}

/**
 * For each top-level key of the JSON object `text`, how the numbers in its value were
 * written. `JSON.parse` gives `2` and `2.0` alike, but Python's `json` loads them as int and
 * float, and transformers accepts some settings only as one of them. `text` must be valid
 * JSON (already parsed); a repeated key keeps its last value's literals, as both parsers do.
 * One linear pass, no recursion.
 */
export function topLevelNumberLiterals(text: string): Map<string, NumberLiterals> {
  const literals = new Map<string, { int: boolean; float: boolean }>();
  let depth = 0;
  let expectKey = false;
  let current: { int: boolean; float: boolean } | undefined;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) {
        current = { int: false, float: false };
        literals.set(JSON.parse(text.slice(i, end + 1)) as string, current);
        expectKey = false;
      }
      i = end + 1;
    } else if (c === '{' || c === '[') {
      depth += 1;
      expectKey = depth === 1 && c === '{';
      i += 1;
    } else if (c === '}' || c === ']') {
      depth -= 1;
      i += 1;
    } else if (c === ',') {
      if (depth === 1) expectKey = true;
      i += 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let end = i + 1;
      while (end < text.length && /[0-9.eE+-]/.test(text[end] as string)) end += 1;
      if (current !== undefined) {
        if (/[.eE]/.test(text.slice(i, end))) current.float = true;
        else current.int = true;
      }
      i = end;
    } else {
      i += 1;
    }
  }
  return literals;
}
