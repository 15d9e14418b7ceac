// Served by the pinyin-phrases plugin in vite.config.ts from @pinyin-pro/data (see compact.ts).
declare module 'virtual:pinyin-phrases' {
  /** first letter of the pinyin → loader of that letter's part of the dictionary text */
  const loaders: Readonly<Record<string, () => Promise<{ default: string }>>>
  export default loaders
}
