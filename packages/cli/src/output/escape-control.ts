/**
 * Characters a terminal or a log viewer may act on instead of showing: C0 controls (CR
 * rewrites a line, ESC starts colour, cursor and title sequences, BEL, backspace…), DEL,
 * C1 controls (U+0080–U+009F: 8-bit CSI and OSC on some terminals), the Unicode line and
 * paragraph separators, and the bidirectional overrides and isolates that reorder what is
 * shown ("Trojan source").
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: ReadonlyMap<string, string> = new Map([
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
]);

/** How {@link escapeControl} writes an escaped character. */
export type EscapeStyle = 'text' | 'json';

/**
 * Make text from outside (chain commitments, hub answers, model files, error messages
 * quoting them) safe to print: every control character is replaced by a visible escape
 * (`\r`, `\n`, `\t`, `\x1b`, `\u{202e}`), so one event stays one line and nothing is
 * interpreted by the terminal. Other text, backslashes included, is left as it is.
 *
 * `json` is for text that is already JSON (after `JSON.stringify`, which escapes
 * U+0000–U+001F inside strings, so a raw one is indentation and stays): the rest become
 * `\uXXXX`, which keeps the JSON valid and its value equal.
 */
export function escapeControl(text: string, style: EscapeStyle = 'text'): string {
  return text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    if (style === 'json') {
      // A raw C0 character in JSON text is layout (indentation): strings never hold one.
      return code < 0x20 ? char : `\\u${code.toString(16).padStart(4, '0')}`;
    }
    return (
      NAMED.get(char) ??
      (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`)
    );
  });
}

/**
 * One screen line for a message or hint: line breaks (with the indentation around them)
 * become one space, so multi-line hints read as a sentence, then {@link escapeControl}.
 */
export function oneLine(text: string): string {
  return escapeControl(text.replace(/[ \t]*\r?\n[ \t]*/g, ' ').trim());
}
