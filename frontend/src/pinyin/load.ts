// Loading the phrase dictionary: a separate chunk of a few MB, fetched only when a keyboard
// asks for it, so the first paint and the single-character keyboard never wait on it.
import { PhraseDictionary } from './phrases'

/**
 * loadPhrases resolves to the dictionary. The module system caches the chunk, and the
 * dictionary searches its text in place, so calling this again costs nothing worth caching.
 */
export async function loadPhrases(): Promise<PhraseDictionary> {
  const mod = await import('virtual:pinyin-phrases')
  return new PhraseDictionary(mod.default)
}
