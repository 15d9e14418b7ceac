import { call } from './transport'
import type {
  ActivityCard,
  CardSample,
  CaseDetail,
  CaseInput,
  CaseSummary,
  Category,
  Rating,
  Receipt,
  RepCard,
  Session,
} from './types'

export const GetSession = (): Promise<Session | null> => call<Session | null>('Session')
export const AcceptConsent = (): Promise<Session> => call<Session>('AcceptConsent')
export const DeclineConsent = (): Promise<void> => call<void>('DeclineConsent')
export const StartAnonymous = (): Promise<Session> => call<Session>('StartAnonymous')
export const EndSession = (): Promise<void> => call<void>('EndSession')
export const SimulateCard = (sample: CardSample): Promise<void> => call<void>('SimulateCard', sample)

export const Categories = async (): Promise<Category[]> => (await call<Category[] | null>('Categories')) ?? []
export const Communities = async (): Promise<string[]> => (await call<string[] | null>('Communities')) ?? []
export const SubmitCase = (input: CaseInput): Promise<Receipt> => call<Receipt>('SubmitCase', input)

export const MyCases = async (): Promise<CaseSummary[]> => (await call<CaseSummary[] | null>('MyCases')) ?? []
export const CaseDetailOf = (id: string): Promise<CaseDetail> => call<CaseDetail>('CaseDetail', id)
export const RateCase = (id: string, rating: Rating, comment: string): Promise<CaseDetail> =>
  call<CaseDetail>('RateCase', id, rating, comment)

export const MyRepresentatives = async (): Promise<RepCard[]> =>
  (await call<RepCard[] | null>('MyRepresentatives')) ?? []
export const Representatives = async (): Promise<RepCard[]> =>
  (await call<RepCard[] | null>('Representatives')) ?? []
export const Activities = async (): Promise<ActivityCard[]> =>
  (await call<ActivityCard[] | null>('Activities')) ?? []
