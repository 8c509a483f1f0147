import { inflateSync } from 'node:zlib'

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** A PNG decoded far enough to look at: its size and its RGBA pixels (8-bit RGBA only). */
export function decodePng(png: Buffer): { width: number; height: number; rgba: Buffer } {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: the signature is wrong')
  let width = 0
  let height = 0
  const data: Buffer[] = []
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at)
    const type = png.toString('latin1', at + 4, at + 8)
    const body = png.subarray(at + 8, at + 8 + length)
    if (type === 'IHDR') {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      if (body[8] !== 8 || body[9] !== 6) throw new Error('only 8-bit RGBA is read here')
    }
    if (type === 'IDAT') data.push(body)
    at += 12 + length
  }
  const raw = inflateSync(Buffer.concat(data))
  const stride = width * 4
  const rgba = Buffer.alloc(stride * height)
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)]
    const line = raw.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1))
    for (let i = 0; i < stride; i++) {
      const left = i >= 4 ? rgba[row * stride + i - 4]! : 0
      const up = row > 0 ? rgba[(row - 1) * stride + i]! : 0
      const corner = row > 0 && i >= 4 ? rgba[(row - 1) * stride + i - 4]! : 0
      const paeth = () => {
        const p = left + up - corner
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - corner)]
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : corner
      }
      const predictor = [0, left, up, (left + up) >> 1, filter === 4 ? paeth() : 0][filter ?? 0] ?? 0
      rgba[row * stride + i] = (line[i]! + predictor) & 0xff
    }
  }
  return { width, height, rgba }
}

/** How many pixels have each colour (`#rrggbb`), opaque pixels only. */
export function colourCounts(rgba: Buffer): Map<string, number> {
  const counts = new Map<string, number>()
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i + 3] !== 255) continue
    const hex = `#${rgba.subarray(i, i + 3).toString('hex')}`
    counts.set(hex, (counts.get(hex) ?? 0) + 1)
  }
  return counts
}
