import { defineStore } from 'pinia'
import { useBusy } from '@/composables/useBusy'
import { computed, ref } from 'vue'
import { AcceptConsent, DeclineConsent, EndSession, GetSession, KeepAlive, SimulateCard, StartAnonymous } from '@/bindings/kiosk'
import { toAppError, type AppError } from '@/bindings/errors'
import type { CardSample, Session } from '@/bindings/models'
import { onCardError, onSessionChanged, type Off } from '@/events'
import { useCasesStore } from './cases'
import { useRepsStore } from './reps'
import { useActivitiesStore } from './activities'

/** The resident at the kiosk. Ending it wipes every personal thing held in memory. */
export const useSessionStore = defineStore('session', () => {
  const session = ref<Session | null>(null)
  const cardError = ref<string | null>(null)
  const { busy, run } = useBusy()
  let offs: Off[] = []

  const active = computed(() => session.value !== null)
  const anonymous = computed(() => session.value?.kind === 'anonymous')
  const needsConsent = computed(() => session.value?.needsConsent === true)

  function wipeData() {
    useCasesStore().reset()
    useRepsStore().reset()
    useActivitiesStore().reset()
  }

  /** apply takes a session from Go; when a session ends or is replaced, its data goes with it. */
  function apply(next: Session | null) {
    if (session.value !== null && session.value.id !== next?.id) wipeData()
    session.value = next
    if (next) cardError.value = null
  }

  async function load() {
    apply(await GetSession())
  }

  function subscribe() {
    unsubscribe()
    offs = [
      onSessionChanged((s) => apply(s)),
      onCardError((e) => {
        cardError.value = e.code || 'internal'
      }),
    ]
  }

  function unsubscribe() {
    for (const off of offs) off()
    offs = []
  }

  const acceptConsent = () => run(async () => apply(await AcceptConsent()))
  const startAnonymous = () => run(async () => apply(await StartAnonymous()))

  async function declineConsent() {
    await run(() => DeclineConsent())
    apply(null)
  }

  /** end always clears the screen's copy, even when Go could not be told. */
  async function end(): Promise<AppError | null> {
    let failure: AppError | null = null
    try {
      await EndSession()
    } catch (err) {
      failure = toAppError(err)
    }
    apply(null)
    wipeData()
    return failure
  }

  const simulate = (sample: CardSample) => run(() => SimulateCard(sample))

  /** keepAlive tells Go the resident is still here; a failure only means Go's backstop may come sooner. */
  const keepAlive = () => KeepAlive().catch(() => false)

  function clearCardError() {
    cardError.value = null
  }

  return {
    session, cardError, busy, active, anonymous, needsConsent,
    apply, load, subscribe, unsubscribe, acceptConsent, declineConsent, startAnonymous, end, simulate, keepAlive, clearCardError,
  }
})
