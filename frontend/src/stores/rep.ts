import { defineStore } from 'pinia'
import { useBusy } from '@/composables/useBusy'
import { computed, ref } from 'vue'
import {
  ClaimCase,
  DutySignIn,
  DutySignOut,
  EndWorkbench,
  HasDemoBadge,
  LogReception,
  ScanText,
  SimulateScan,
  TouchWorkbench,
  UnclaimedCases,
  Workbench,
  type ReceptionInput,
  type ReceptionReceipt,
  type RepSession,
} from '@/bindings/rep'
import { toAppError, type AppError } from '@/bindings/errors'
import type { CaseSummary } from '@/bindings/models'
import { onRepChanged, type Off } from '@/events'

/** The representative at the workbench and the cases waiting for one. */
export const useRepStore = defineStore('rep', () => {
  const session = ref<RepSession | null>(null)
  const unclaimed = ref<CaseSummary[]>([])
  const { busy, run } = useBusy()
  const error = ref<AppError | null>(null)
  const demoBadge = ref(false)
  let offs: Off[] = []

  const active = computed(() => session.value !== null)

  function apply(next: RepSession | null) {
    if (session.value?.id !== next?.id) unclaimed.value = []
    session.value = next
  }

  async function load() {
    apply(await Workbench())
    demoBadge.value = await HasDemoBadge().catch(() => false)
  }

  function subscribe() {
    unsubscribe()
    offs = [onRepChanged(apply)]
  }

  function unsubscribe() {
    for (const off of offs) off()
    offs = []
  }

  const signIn = () => run(async () => apply(await DutySignIn()))
  const signOut = () => run(async () => apply(await DutySignOut()))
  const touch = () => TouchWorkbench().catch(() => undefined)

  async function loadUnclaimed() {
    try {
      unclaimed.value = await UnclaimedCases()
      error.value = null
    } catch (err) {
      error.value = toAppError(err)
    }
  }

  async function claim(id: string): Promise<CaseSummary> {
    const c = await run(() => ClaimCase(id))
    unclaimed.value = unclaimed.value.filter((x) => x.id !== id)
    return c
  }

  const logReception = (input: ReceptionInput): Promise<ReceptionReceipt> => run(() => LogReception(input))

  /** scan hands a keyboard-wedge scan to Go; its result arrives as scan:result. */
  async function scan(text: string) {
    await ScanText(text)
  }

  /** simulate has Go scan the demo badge. */
  const simulate = () => run(() => SimulateScan(''))

  async function end() {
    apply(null)
    await EndWorkbench().catch(() => undefined)
  }

  return {
    session, unclaimed, busy, error, demoBadge, active,
    load, subscribe, unsubscribe, signIn, signOut, touch, loadUnclaimed, claim, logReception, scan, simulate, end,
  }
})
