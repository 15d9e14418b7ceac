// Served by the pinyin-phrases plugin in vite.config.ts from @pinyin-pro/data (see compact.ts).
declare module 'virtual:pinyin-phrases' {
  const text: string
  export default text
}
