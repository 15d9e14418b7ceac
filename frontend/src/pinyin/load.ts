// Loading the phrase dictionary: one chunk per first letter, fetched only when a keyboard asks
// for them and one after another, so neither the first paint nor typing waits on them.
import loaders from 'virtual:pinyin-phrases'
import { PhraseDictionary } from './phrases'

/**
 * loadPhrases resolves to the whole dictionary. The module system caches the chunks, and the
 * dictionary searches their text in place, so calling this again costs nothing worth caching.
 */
export async function loadPhrases(): Promise<PhraseDictionary> {
  const texts: string[] = []
  for (const load of Object.values(loaders)) texts.push((await load()).default)
  return new PhraseDictionary(texts)
}
