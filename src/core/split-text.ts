/**
 * Splits text into pieces a platform accepts, cutting after a line break or else a space; nothing
 * is dropped and no character is cut in half (a surrogate pair, such as most emoji, stays whole).
 */
export function splitText(text: string, limit: number): string[] {
  const parts: string[] = []
  let rest = text
  while (rest.length > limit) {
    const window = rest.slice(0, limit)
    const newline = window.lastIndexOf('\n')
    const cut = newline > limit / 2 ? newline : window.lastIndexOf(' ')
    let at = cut > limit / 2 ? cut + 1 : limit
    if (isHighSurrogate(rest.charCodeAt(at - 1))) at -= 1
    parts.push(rest.slice(0, at))
    rest = rest.slice(at)
  }
  parts.push(rest)
  return parts
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff
