import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createAppI18n } from '@/i18n'
import type { RepCard } from '@/bindings/models'
import RepCardView from '../RepCardView.vue'

const rep = (photoUrl: string): RepCard => ({
  id: 'HX01-R01', name: '张三', gender: '男', level: '区人大代表', constituency: '第一选区', title: '',
  photoSeed: 7, photoUrl, onDutyToday: false, signedIn: false, mine: false, qrDataUrl: '',
})

function mountCard(r: RepCard) {
  return mount(RepCardView, { props: { rep: r }, global: { plugins: [createAppI18n('zh-CN')] } })
}

describe('RepCardView', () => {
  it('shows the photo uploaded on the hub', () => {
    const w = mountCard(rep('http://hub.test/media/reps/HX01-R01.jpg?v=ab12'))
    const img = w.find('img.rep__photo')
    expect(img.attributes('src')).toBe('http://hub.test/media/reps/HX01-R01.jpg?v=ab12')
    expect(w.find('svg').exists()).toBe(false)
  })

  it('draws the avatar without a photo, and when the photo cannot be loaded', async () => {
    expect(mountCard(rep('')).find('svg').exists()).toBe(true)
    const w = mountCard(rep('http://hub.test/media/reps/HX01-R01.jpg?v=ab12'))
    await w.find('img.rep__photo').trigger('error')
    expect(w.find('img.rep__photo').exists()).toBe(false)
    expect(w.find('svg').exists()).toBe(true)
  })
})
