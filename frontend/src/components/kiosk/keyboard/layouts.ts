export type KeyboardMode = 'pinyin' | 'english' | 'digits'

// Large keys, no rarely-used symbols: residents type text, a phone number, a building.
export const layouts: Record<KeyboardMode, string[]> = {
  pinyin: [
    'q w e r t y u i o p',
    'a s d f g h j k l',
    'z x c v b n m {bksp}',
    '{mode} ， 。 {space} ？ {done}',
  ],
  english: [
    'q w e r t y u i o p',
    'a s d f g h j k l',
    'z x c v b n m {bksp}',
    '{mode} - , {space} . {done}',
  ],
  digits: ['1 2 3', '4 5 6', '7 8 9', '{mode} 0 {bksp}', '{done}'],
}

export const nextMode = (mode: KeyboardMode, allowed: readonly KeyboardMode[]): KeyboardMode => {
  const i = allowed.indexOf(mode)
  return allowed[(i + 1) % allowed.length] ?? mode
}
