import chinese from 'simple-keyboard-layouts/build/layouts/chinese'
import type { PinyinTable } from '@/pinyin/engine'

// The package types its layouts without the candidate table it ships alongside.
const withCandidates = chinese as { layoutCandidates?: Record<string, string> }

/** The bundled syllable → characters table shipped with simple-keyboard-layouts. */
export const pinyinTable: PinyinTable = withCandidates.layoutCandidates ?? {}
