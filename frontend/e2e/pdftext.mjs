// Reading back what the hub's PDFs show, for the browser tests that download one.
import { inflateSync } from 'node:zlib'

/** pdfText reads back the strings a PDF written by the hub shows (see internal/pdftext). */
export function pdfText(pdf) {
  const type0 = new Set()
  const objs = [...pdf.toString('latin1').matchAll(/(\d+) 0 obj([\s\S]*?)endobj/g)]
  for (const [, n, body] of objs) if (body.includes('/Type0')) type0.add(n)
  const wide = new Set()
  for (const [, , body] of objs) {
    for (const [, dict] of body.matchAll(/\/Font\s*<<([\s\S]*?)>>/g)) {
      for (const [, name, n] of dict.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) if (type0.has(n)) wide.add(name)
    }
  }
  let out = ''
  for (const m of objs) {
    const body = m[2]
    if (!body.includes('/FlateDecode') || body.includes('/Subtype')) continue
    // latin1 keeps one character per byte: the match's index is its offset in the file
    const start = m.index + m[0].indexOf('stream') + 'stream'.length
    const from = pdf[start] === 0x0d ? start + 2 : start + 1
    const end = pdf.indexOf('endstream', from)
    let data
    try {
      data = inflateSync(pdf.subarray(from, end)).toString('latin1')
    } catch {
      continue
    }
    let font = ''
    for (const m of data.matchAll(/\/(\w+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\)\s*Tj/gs)) {
      if (m[1]) {
        font = m[1]
        continue
      }
      const raw = Buffer.from(m[2].replace(/\\(.)/gs, (_, c) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c), 'latin1')
      out += wide.has(font) ? raw.swap16().toString('utf16le') : raw.toString('latin1')
    }
  }
  return out
}
