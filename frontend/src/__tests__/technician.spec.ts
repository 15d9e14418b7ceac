import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import * as tech from '@/bindings/technician'
import { AppError } from '@/bindings/errors'
import { useTechnicianStore } from '@/stores/technician'

vi.mock('@/bindings/technician', () => ({
  Unlock: vi.fn(),
  Lock: vi.fn(),
  GetDiagnostics: vi.fn(),
  Logs: vi.fn(),
  Pair: vi.fn(),
  PairByScan: vi.fn(),
  SetPorts: vi.fn(),
  SetStation: vi.fn(),
  ChangePIN: vi.fn(),
  RestartSync: vi.fn(),
  TestReader: vi.fn(),
  TestScanner: vi.fn(),
}))
const m = vi.mocked(tech)

beforeEach(() => {
  setActivePinia(createPinia())
  vi.resetAllMocks()
})

describe('technician store', () => {
  it('stays locked on a wrong PIN without fetching anything', async () => {
    m.Unlock.mockResolvedValue(false)
    const s = useTechnicianStore()
    expect(await s.unlock('0000')).toBe(false)
    expect(s.unlocked).toBe(false)
    expect(m.GetDiagnostics).not.toHaveBeenCalled()
  })

  it('loads diagnostics and logs after unlocking', async () => {
    m.Unlock.mockResolvedValue(true)
    m.GetDiagnostics.mockResolvedValue({ ports: ['/dev/ttyS0'] } as never)
    m.Logs.mockResolvedValue([{ time: '', level: 'INFO', component: 'sync', message: 'up' }])
    const s = useTechnicianStore()
    expect(await s.unlock('1234')).toBe(true)
    expect(s.diagnostics?.ports).toEqual(['/dev/ttyS0'])
    expect(s.logs).toHaveLength(1)
    expect(m.Logs).toHaveBeenCalledWith(200)
  })

  it('falls back to the PIN pad when Go says locked', async () => {
    m.Unlock.mockResolvedValue(true)
    m.GetDiagnostics.mockResolvedValueOnce({ ports: [] } as never)
    m.Logs.mockResolvedValue([])
    const s = useTechnicianStore()
    await s.unlock('1234')
    m.GetDiagnostics.mockRejectedValueOnce(new AppError('locked', '未解锁'))
    await s.refresh()
    expect(s.unlocked).toBe(false)
    expect(s.diagnostics).toBeNull()
  })

  it('forgets everything on lock even if Lock fails', async () => {
    m.Unlock.mockResolvedValue(true)
    m.GetDiagnostics.mockResolvedValue({ ports: [] } as never)
    m.Logs.mockResolvedValue([])
    m.Lock.mockRejectedValue(new AppError('internal', 'x'))
    const s = useTechnicianStore()
    await s.unlock('1234')
    await expect(s.lock()).rejects.toBeInstanceOf(AppError)
    expect(s.unlocked).toBe(false)
  })

  it('shows the station as it is after pairing, and after a refused pairing too', async () => {
    m.Unlock.mockResolvedValue(true)
    m.GetDiagnostics.mockResolvedValue({ ports: [], info: { paired: false } } as never)
    m.Logs.mockResolvedValue([])
    const s = useTechnicianStore()
    await s.unlock('246810')
    m.Pair.mockResolvedValue({ station: 'HX01', stationName: '和谐站', deviceCode: 'K2', hubUrl: 'http://h', live: true })
    m.GetDiagnostics.mockResolvedValue({ ports: [], info: { paired: true } } as never)
    const r = await s.pair('http://h', 'ABCDEFGH')
    expect(m.Pair).toHaveBeenCalledWith('http://h', 'ABCDEFGH')
    expect(r.deviceCode).toBe('K2')
    expect(s.diagnostics?.info.paired).toBe(true)

    m.Pair.mockRejectedValue(new AppError('pairing_code_used', '已被使用'))
    const before = m.GetDiagnostics.mock.calls.length
    await expect(s.pair('http://h', 'ABCDEFGH')).rejects.toMatchObject({ code: 'pairing_code_used' })
    expect(m.GetDiagnostics.mock.calls.length).toBe(before + 1)
  })
})
