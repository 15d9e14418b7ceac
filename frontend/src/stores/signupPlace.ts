import type { ActivityCard, ActivityStatus } from '@/bindings/models'

// How the kiosk words a person's sign-up. The hub decides places; until its answer to the
// latest sign-up or cancellation has arrived (offline, or just now), the kiosk says so
// instead of guessing.

export type PlaceTone = 'ok' | 'wait' | 'pending' | 'off'

export interface PlaceLabel {
  key: string // catalogue key
  params: Record<string, number | string>
  tone: PlaceTone
}

type Place = Pick<ActivityStatus, 'place' | 'position' | 'promoted' | 'reason'>

/** placeLabel is the catalogue key of a sign-up's place, or null without a sign-up. */
export function placeLabel(st: Place | null | undefined): PlaceLabel | null {
  switch (st?.place) {
    case 'confirmed':
      return { key: st.promoted ? 'signup.promoted' : 'signup.confirmed', params: {}, tone: 'ok' }
    case 'waitlisted':
      return { key: 'signup.waitlisted', params: { n: st.position }, tone: 'wait' }
    case 'pending':
      return { key: 'signup.pending', params: {}, tone: 'pending' }
    case 'cancelling':
      return { key: 'signup.cancelling', params: {}, tone: 'pending' }
    case 'cancelled':
      return st.reason
        ? { key: `errors.${st.reason}`, params: {}, tone: 'off' }
        : { key: 'signup.cancelled', params: {}, tone: 'off' }
  }
  return null
}

/** canSignUp: the person at the kiosk may sign up now. */
export function canSignUp(a: Pick<ActivityCard, 'state' | 'signUpRefusal'>, st: Pick<ActivityStatus, 'mine' | 'checkedIn'> | null | undefined): boolean {
  return a.state !== 'past' && !a.signUpRefusal && !st?.mine && !st?.checkedIn
}

/** canCancel: the person holds, waits for or awaits a place they may give back. */
export function canCancel(a: Pick<ActivityCard, 'state'>, st: Pick<ActivityStatus, 'mine' | 'checkedIn'> | null | undefined): boolean {
  return a.state !== 'past' && !!st?.mine && !st.checkedIn
}

/** seatsText parameters: places confirmed, capacity (0: no limit), people waiting. */
export function seats(a: Pick<ActivityCard, 'capacity' | 'confirmed' | 'waiting' | 'signedUp'>) {
  return { confirmed: a.confirmed, capacity: a.capacity, waiting: a.waiting, signed: a.signedUp }
}
