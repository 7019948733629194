/**
 * What is structurally wrong with a PNG file, in words, or undefined when its chunk layout is
 * whole. pngjs reports a file cut short as "There are some read requests waiting on finished
 * stream", which tells a user nothing; walking the chunks (PNG spec: an 8-byte signature, then
 * chunks of length, type, data and CRC, ending with IEND) says where the file stops.
 */
export function pngStructureProblem(bytes: Uint8Array): string | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < signature.length || signature.some((b, i) => bytes[i] !== b)) return 'not a PNG file (no PNG signature)';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = bytes.length;
  const truncated = (where: string) => `the PNG is truncated: it ends at byte ${size}, ${where}`;
  let at = signature.length;
  while (at < size) {
    if (at + 8 > size) return truncated(`inside the header of a chunk starting at byte ${at}`);
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const end = at + 12 + length;
    if (end > size) return truncated(`inside its ${type} chunk, which needs ${end} bytes`);
    if (type === 'IEND') return undefined;
    at = end;
  }
  return truncated('before the IEND chunk that closes every PNG');
}
