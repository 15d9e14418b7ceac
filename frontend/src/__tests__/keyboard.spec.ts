import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { mount } from '@vue/test-utils'
import PinyinKeyboard from '@/components/kiosk/keyboard/PinyinKeyboard.vue'
import type { KeyboardMode } from '@/components/kiosk/keyboard/layouts'
import { createAppI18n } from '@/i18n'

// A host that owns the v-model, as the submit screen does.
function mountKeyboard(modes?: KeyboardMode[]) {
  const text = ref('')
  const Host = defineComponent({
    setup: () => () =>
      h(PinyinKeyboard, { modelValue: text.value, 'onUpdate:modelValue': (v: string) => (text.value = v), modes }),
  })
  const w = mount(Host, { global: { plugins: [createAppI18n()] }, attachTo: document.body })
  return { w, text }
}

async function tap(w: ReturnType<typeof mountKeyboard>['w'], key: string) {
  const btn = w.find(`[data-skbtn="${key}"]`)
  expect(btn.exists(), `key ${key}`).toBe(true)
  await btn.trigger('click')
}

async function type(w: ReturnType<typeof mountKeyboard>['w'], letters: string) {
  for (const k of letters) await tap(w, k)
}

describe('PinyinKeyboard', () => {
  it('shows candidates for typed pinyin and commits the chosen character', async () => {
    const { w, text } = mountKeyboard()
    await type(w, 'lu')
    expect(w.get('[data-testid="spelling"]').text()).toBe('lu')
    const cands = w.findAll('[data-testid="candidate"]')
    const lu = cands.find((c) => c.text() === '路')
    expect(lu, 'candidate 路').toBeDefined()
    await lu!.trigger('click')
    expect(text.value).toBe('路')
    expect(w.find('[data-testid="candidate"]').exists()).toBe(false)
    w.unmount()
  })

  it('keeps the letters of later syllables after a choice', async () => {
    const { w, text } = mountKeyboard()
    await type(w, 'ludeng')
    expect(w.get('[data-testid="spelling"]').text()).toBe("lu'deng")
    await w.findAll('[data-testid="candidate"]').find((c) => c.text() === '路')!.trigger('click')
    expect(w.get('[data-testid="spelling"]').text()).toBe('deng')
    await w.findAll('[data-testid="candidate"]').find((c) => c.text() === '灯')!.trigger('click')
    expect(text.value).toBe('路灯')
    w.unmount()
  })

  it('space takes the first candidate and backspace edits the spelling first', async () => {
    const { w, text } = mountKeyboard()
    await type(w, 'shuix')
    await tap(w, '{bksp}')
    expect(w.get('[data-testid="spelling"]').text()).toBe('shui')
    const first = w.findAll('[data-testid="candidate"]')[0]!.text()
    await tap(w, '{space}')
    expect(text.value).toBe(first)
    await tap(w, '{bksp}')
    expect(text.value).toBe('')
    w.unmount()
  })

  it('offers phrases once the dictionary has loaded and keeps the letters a phrase did not use', async () => {
    const { w, text } = mountKeyboard()
    const bar = () => w.get('[data-testid="candidate-bar"]')
    // The first load compacts the package's word list; poll until the bar says phrases are in.
    await vi.waitFor(() => expect(bar().attributes('data-phrases')).toBe('ready'), { timeout: 110_000, interval: 50 })
    await type(w, 'ludengh')
    expect(w.get('[data-testid="spelling"]').text()).toBe("lu'deng'h")
    const first = w.findAll('[data-testid="candidate"]')[0]!
    expect(first.text()).toBe('路灯')
    await first.trigger('click')
    expect(text.value).toBe('路灯')
    expect(w.get('[data-testid="spelling"]').text()).toBe('h')
    await tap(w, '{bksp}')
    await type(w, 'shequ')
    await tap(w, '{space}')
    expect(text.value).toBe('路灯社区')
    w.unmount()
  }, 120_000)

  it('types digits straight into the text in digits mode', async () => {
    const { w, text } = mountKeyboard(['digits'])
    await type(w, '138')
    expect(text.value).toBe('138')
    expect(w.find('[data-testid="candidate-bar"]').exists()).toBe(false)
    w.unmount()
  })
})
