/**
 * Order strings by their UTF-8 bytes. For valid Unicode this is code-point order, the
 * order Python's `sorted()` gives `str` names; JavaScript's default sort compares UTF-16
 * units and puts astral characters (emoji) before U+E000–U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
