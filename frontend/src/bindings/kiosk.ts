import * as Kiosk from './wailsjs/go/app/Kiosk'
import { guard, list } from './call'
import type { CardSample, CaseInput, Rating, Session } from './models'

// The kiosk's resident service (app/kiosk.go); every call rejects with an AppError.

export const GetSession = guard(Kiosk.Session as () => Promise<Session | null>)
export const AcceptConsent = guard(Kiosk.AcceptConsent)
export const DeclineConsent = guard(Kiosk.DeclineConsent)
export const StartAnonymous = guard(Kiosk.StartAnonymous)
export const EndSession = guard(Kiosk.EndSession)
export const KeepAlive = guard(Kiosk.KeepAlive)
export const SimulateCard = guard((sample: CardSample) => Kiosk.SimulateCard(sample))

export const Categories = guard(list(Kiosk.Categories))
export const Communities = guard(list(Kiosk.Communities))
export const SubmitCase = guard((input: CaseInput) => Kiosk.SubmitCase(input))

export const MyCases = guard(list(Kiosk.MyCases))
export const CaseDetailOf = guard((id: string) => Kiosk.CaseDetail(id))
export const CaseUploaded = guard((id: string) => Kiosk.CaseUploaded(id))
export const LookupCase = guard((number: string, token: string) => Kiosk.LookupCase(number, token))
export const RateCase = guard((id: string, rating: Rating, comment: string) => Kiosk.RateCase(id, rating, comment))

export const MyRepresentatives = guard(list(Kiosk.MyRepresentatives))
export const Representatives = guard(list(Kiosk.Representatives))
export const Activities = guard(list(Kiosk.Activities))
